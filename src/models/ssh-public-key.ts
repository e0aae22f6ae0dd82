/**
 * OpenSSH public keys for logging in to guests (cloud-init `sshkeys`, container `ssh-public-keys`).
 *
 * @module
 */
import * as z from './zod.js';
import { lazy } from './lazy.js';
import { refineWith } from './primitives.js';
import { checkSshPublicKey, refuseKeyFileReference } from './refinements.js';

/** A reference to a file holding one or more public keys, read when the CLI loads a YAML or JSON topology. */
export interface SshKeyFileReference {
  /** Path of the key file (e.g. `keys/admin.pub`), relative to the topology file. */
  readonly file: string;
}

/**
 * One OpenSSH public key, e.g. `ssh-ed25519 AAAAC3Nza… admin@example`. Public keys are not secrets: they may be
 * written in the topology, or (in YAML and JSON topologies) read from a file with `{ file: 'keys/admin.pub' }`,
 * which the CLI resolves relative to the topology file before validation. A private key is refused without being
 * repeated.
 */
export const sshPublicKeySchema = lazy(() =>
  z.preprocess(
    refuseKeyFileReference,
    refineWith(z.string(), checkSshPublicKey)
      // On the inner schema: zod leaves a transforming schema's (the preprocess) examples out of an input JSON Schema.
      .meta({
        description:
          "One OpenSSH public key line (`<type> <base64> [comment]`, like ~/.ssh/id_ed25519.pub); in YAML and JSON topologies also `{ file: 'keys/admin.pub' }`, read relative to the topology file.",
        examples: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGV4YW1wbGUga2V5OiByZXBsYWNlIHdpdGggeW91cnMh admin@example'],
      }),
  ),
);
