import { describe, expect, it } from 'vitest';
import { spaceshipsInput } from '../../test/fixtures.js';
import { safeDefineTopology } from './define.js';
import { sshPublicKeyProblem } from './ssh-public-key-line.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke values into the input
type Loose = any;

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGV4YW1wbGUga2V5OiByZXBsYWNlIHdpdGggeW91cnMh admin@example';
const PRIVATE = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  '-----END OPENSSH PRIVATE KEY-----',
].join('\n');

function issuesFor(keys: unknown[]): { path: string; rule: string; message: string }[] {
  const input = spaceshipsInput() as Loose;
  input.guests.holly.cloudInit = { user: 'admin', sshKeys: keys };
  const result = safeDefineTopology(input);
  return result.success ? [] : result.issues.map(({ path, rule, message }) => ({ path, rule, message }));
}

describe('SSH public keys', () => {
  it('accepts an OpenSSH public key line with or without a comment', () => {
    expect(sshPublicKeyProblem(KEY)).toBeUndefined();
    expect(sshPublicKeyProblem(KEY.split(' ').slice(0, 2).join(' '))).toBeUndefined();
  });

  it('refuses a key whose data does not encode its declared type, and a line that is no key', () => {
    expect(sshPublicKeyProblem(KEY.replace('ssh-ed25519', 'ssh-rsa'))).toMatch(/not a valid ssh-rsa public key/);
    expect(sshPublicKeyProblem('rsa AAAAB3NzaC1yc2E')).toMatch(/does not start with an OpenSSH public key type/);
    expect(issuesFor(['not-a-key'])).toEqual([
      {
        path: 'guests.holly.cloudInit.sshKeys.0',
        rule: 'ssh-public-key',
        message: expect.stringMatching(/is not one OpenSSH public key line/),
      },
    ]);
  });

  it('refuses a private key with a clear message that never repeats it', () => {
    const issues = issuesFor([PRIVATE]);
    expect(issues).toContainEqual({
      path: 'guests.holly.cloudInit.sshKeys.0',
      rule: 'ssh-public-key',
      message: expect.stringMatching(/is a private key.*public half/),
    });
    expect(JSON.stringify(issues)).not.toContain('b3BlbnNzaC1rZXktdjEA');
  });

  it('explains that { file } references are read by the CLI, not by defineTopology', () => {
    expect(issuesFor([{ file: 'keys/admin.pub' }])).toEqual([
      {
        path: 'guests.holly.cloudInit.sshKeys.0',
        rule: 'file-reference',
        message: expect.stringMatching(/read when the CLI loads/),
      },
    ]);
  });
});
