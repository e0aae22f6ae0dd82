/**
 * Ed25519 key pairs for SSH tests.
 *
 * @module
 */
// ssh2 is CommonJS: Node's ESM loader cannot name its exports, so it is imported whole (as the clients do).
import ssh2 from 'ssh2';

/** An OpenSSH key pair. */
export interface SshKeyPair {
  /** The private key, `-----BEGIN OPENSSH PRIVATE KEY-----` text. */
  readonly private: string;
  /** The public key, an `ssh-ed25519 AAAA…` line. */
  readonly public: string;
}

/**
 * Makes an Ed25519 key pair that `ssh2` itself can read back. `ssh2`'s `generateKeyPairSync('ed25519')` strips
 * leading zero bytes from the public key, so about 1 key in 256 (one whose public key starts with 0x00) comes out
 * malformed and `parseKey` refuses it (mscdex/ssh2#1390, #1513, open in 1.17.0); such a pair is made again.
 *
 * @returns The key pair.
 *
 * @example
 * ```ts
 * import { generateSshKeyPair, startSshEmulator } from '@talos-sdk/topology/testing';
 *
 * const client = generateSshKeyPair();
 * const host = await startSshEmulator({ user: 'debian', authorizedKeys: [client.public] });
 * ```
 */
export function generateSshKeyPair(): SshKeyPair {
  for (;;) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519');
    if (!(ssh2.utils.parseKey(pair.private) instanceof Error) && !(ssh2.utils.parseKey(pair.public) instanceof Error)) {
      return { private: pair.private, public: pair.public };
    }
  }
}
