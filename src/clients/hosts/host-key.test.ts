import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hostKeyFingerprint, verifyHostKey } from './host-key.js';

const blob = Buffer.concat([
  Buffer.from('\u0000\u0000\u0000\u000bssh-ed25519\u0000\u0000\u0000 ', 'latin1'),
  randomBytes(32),
]);
const other = Buffer.concat([blob.subarray(0, 19), randomBytes(32)]);
const line = (host: string, key: Buffer) => `${host} ssh-ed25519 ${key.toString('base64')}`;

/** A hashed host entry as `ssh-keygen -H` writes it: `|1|base64(salt)|base64(HMAC-SHA1(salt, host))`. */
function hashed(host: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(host).digest('base64')}`;
}

describe('host key verification', () => {
  it('gives the OpenSSH SHA256 fingerprint: unpadded base64', () => {
    expect(hostKeyFingerprint(blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('accepts plain and hashed known_hosts entries, with [host]:port off port 22', () => {
    const file = 'known_hosts';
    expect(verifyHostKey({ knownHosts: line('10.0.0.5,holly', blob), file }, '10.0.0.5', 22, blob).accepted).toBe(true);
    expect(
      verifyHostKey({ knownHosts: line(hashed('[10.0.0.5]:2222'), blob), file }, '10.0.0.5', 2222, blob).accepted,
    ).toBe(true);
    expect(verifyHostKey({ knownHosts: line('10.0.0.5', blob), file }, '10.0.0.5', 2222, blob)).toMatchObject({
      accepted: false,
      reason: expect.stringContaining('[10.0.0.5]:2222 is not in known_hosts'),
    });
  });

  it('refuses a changed key and a revoked one', () => {
    const file = 'known_hosts';
    expect(verifyHostKey({ knownHosts: line('holly', other), file }, 'holly', 22, blob).reason).toContain('differs');
    const revoked = `${line('holly', blob)}\n@revoked ${line('holly', blob)}`;
    expect(verifyHostKey({ knownHosts: revoked, file }, 'holly', 22, blob)).toMatchObject({
      accepted: false,
      reason: expect.stringContaining('revoked'),
    });
  });
});
