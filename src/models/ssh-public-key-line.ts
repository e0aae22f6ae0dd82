/**
 * Tells an OpenSSH public key line from anything else (a private key, a broken line), as Proxmox's `ssh-keygen -l`
 * would.
 *
 * @module
 */

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
