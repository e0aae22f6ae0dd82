/**
 * OpenSSH public keys for logging in to guests (cloud-init `sshkeys`, container `ssh-public-keys`).
 *
 * @module
 */
import * as z from './zod.js';
import { lazy } from './lazy.js';
import { addRuleIssue } from './primitives.js';

/** Key types `ssh-keygen -l` reads in a public key line (what Proxmox runs to validate each key). */
const KEY_TYPES = new Set([
  'ssh-ed25519',
  'ssh-rsa',
  'ssh-dss',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
]);

const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|^PuTTY-User-Key-File-/m;
const KEY_LINE = /^(\S+) ([A-Za-z0-9+/]+={0,2})(?: (.*))?$/;

/** A reference to a file holding one or more public keys, read when the CLI loads a YAML or JSON topology. */
export interface SshKeyFileReference {
  /** Path of the key file (e.g. `keys/admin.pub`), relative to the topology file. */
  readonly file: string;
}

/**
 * Says why a text is not one OpenSSH public key line, or nothing when it is one. The key type must be one
 * `ssh-keygen` knows, and the base64 blob must start with the same type name (RFC 4253 §6.6). Never repeats the text.
 *
 * @param text - The candidate key.
 * @returns The reason, or `undefined` for a valid public key.
 */
export function sshPublicKeyProblem(text: string): string | undefined {
  if (PRIVATE_KEY.test(text)) {
    return 'is a private key, which must never be in a topology; give its public half (the .pub file) instead';
  }
  const line = KEY_LINE.exec(text.trim());
  if (!line || text.trim().includes('\n')) {
    return 'is not one OpenSSH public key line (`<type> <base64> [comment]`, like the line in ~/.ssh/id_ed25519.pub)';
  }
  const [, type = '', blob = ''] = line;
  if (!KEY_TYPES.has(type)) {
    return 'does not start with an OpenSSH public key type (ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, …)';
  }
  const bytes = Buffer.from(blob, 'base64');
  const length = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
  if (length < 0 || bytes.length < 4 + length || bytes.subarray(4, 4 + length).toString('latin1') !== type) {
    return `is not a valid ${type} public key (its base64 data does not encode a ${type} key)`;
  }
  return undefined;
}

/**
 * One OpenSSH public key, e.g. `ssh-ed25519 AAAAC3Nza… admin@example`. Public keys are not secrets: they may be
 * written in the topology, or (in YAML and JSON topologies) read from a file with `{ file: 'keys/admin.pub' }`,
 * which the CLI resolves relative to the topology file before validation. A private key is refused without being
 * repeated.
 */
export const sshPublicKeySchema = lazy(() =>
  z.preprocess(
    (input, ctx) => {
      if (input !== null && typeof input === 'object' && 'file' in input) {
        addRuleIssue(ctx, {
          rule: 'file-reference',
          message:
            '{ file } key references are read when the CLI loads a YAML or JSON topology (relative to that file); ' +
            "in a TypeScript topology pass the key's text, e.g. readFileSync(path, 'utf8')",
        });
        return z.NEVER;
      }
      return input;
    },
    z
      .string()
      .superRefine((key, ctx) => {
        const problem = sshPublicKeyProblem(key);
        if (problem) addRuleIssue(ctx, { rule: 'ssh-public-key', message: problem });
      })
      // On the inner schema: zod leaves a transforming schema's (the preprocess) examples out of an input JSON Schema.
      .meta({
        description:
          "One OpenSSH public key line (`<type> <base64> [comment]`, like ~/.ssh/id_ed25519.pub); in YAML and JSON topologies also `{ file: 'keys/admin.pub' }`, read relative to the topology file.",
        examples: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGV4YW1wbGUga2V5OiByZXBsYWNlIHdpdGggeW91cnMh admin@example'],
      }),
  ),
);
