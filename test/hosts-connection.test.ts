import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HostConnection } from '../src/clients/hosts/client.js';
import { HostConnectionError, HostKeyError } from '../src/clients/hosts/errors.js';
import type { SshEmulator } from '../src/testing/ssh/index.js';
import { generateSshKeyPair, startSshEmulator } from '../src/testing/ssh/index.js';

const clientKey = generateSshKeyPair();
const otherKey = generateSshKeyPair();

let host: SshEmulator | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function knownHostsFile(lines: string[]): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'kh-')), 'known_hosts');
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

const endpoint = (emulator: SshEmulator, hostKey?: { fingerprint: string } | { knownHostsFile: string }) => ({
  guest: 'holly',
  address: emulator.host,
  port: emulator.port,
  user: 'admin',
  ...(hostKey ? { hostKey } : {}),
});

describe('hosts: SSH connection over a real loopback socket', () => {
  it('logs in with a key file and a pinned fingerprint and runs a command', async () => {
    host = await startSshEmulator({ user: 'admin', authorizedKeys: [clientKey.public] });
    const connection = await HostConnection.open(endpoint(host, { fingerprint: host.fingerprint }), {
      credentials: { privateKey: clientKey.private, knownHostsFile: '/nonexistent' },
    });
    const result = await connection.exec('echo hello; echo oops >&2; exit 3');
    connection.close();
    expect(result).toEqual({ stdout: 'hello\n', stderr: 'oops\n', code: 3 });
  });

  it('refuses a host whose key differs from the pinned one before logging in or sending anything', async () => {
    host = await startSshEmulator({ user: 'admin', authorizedKeys: [clientKey.public] });
    const pinned = `SHA256:${'A'.repeat(43)}`;
    const error = await HostConnection.open(endpoint(host, { fingerprint: pinned }), {
      credentials: { privateKey: clientKey.private, knownHostsFile: '/nonexistent' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostKeyError);
    expect((error as HostKeyError).fingerprint).toBe(host.fingerprint);
    expect((error as Error).message).toContain(`not the pinned ${pinned}`);
    expect(host.record).toMatchObject({ connections: 1, authAttempts: 0, execs: [], sftpRequests: 0 });
  });

  it('verifies against known_hosts: listed key accepted, a different key for the host refused, [host]:port form', async () => {
    host = await startSshEmulator({ user: 'admin', authorizedKeys: [clientKey.public] });
    const name = `[${host.host}]:${host.port}`;
    const good = await knownHostsFile([`# comment`, `${name} ${host.publicKey}`]);
    const connection = await HostConnection.open(endpoint(host, { knownHostsFile: good }), {
      credentials: { privateKey: clientKey.private, knownHostsFile: '/nonexistent' },
    });
    connection.close();
    const attemptsBefore = host.record.authAttempts;
    const [, otherHostKey] = otherKey.public.split(' ');
    const bad = await knownHostsFile([`${name} ssh-ed25519 ${otherHostKey}`]);
    const error = await HostConnection.open(endpoint(host), {
      credentials: { privateKey: clientKey.private, knownHostsFile: bad },
      trustOnFirstUse: true,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostKeyError);
    expect((error as Error).message).toMatch(/differs from the one .* holds for \[127\.0\.0\.1\]:\d+/);
    expect(host.record.authAttempts).toBe(attemptsBefore);
  });

  it('trusts an unlisted host only with trustOnFirstUse, reporting its fingerprint', async () => {
    host = await startSshEmulator({ user: 'admin', authorizedKeys: [clientKey.public] });
    const empty = await knownHostsFile([]);
    const options = { credentials: { privateKey: clientKey.private, knownHostsFile: empty } };
    await expect(HostConnection.open(endpoint(host), options)).rejects.toThrow(
      /is not in .*known_hosts; pin its fingerprint/,
    );
    const warnings: string[] = [];
    const connection = await HostConnection.open(endpoint(host), {
      ...options,
      trustOnFirstUse: true,
      onWarning: (message) => warnings.push(message),
    });
    connection.close();
    expect(warnings).toEqual([expect.stringContaining(`trusting host key ${host.fingerprint}`)]);
  });

  it('reports a refused login without a stack trace worth of detail', async () => {
    host = await startSshEmulator({ user: 'admin', authorizedKeys: [clientKey.public] });
    const error = await HostConnection.open(endpoint(host, { fingerprint: host.fingerprint }), {
      credentials: { privateKey: otherKey.private, knownHostsFile: '/nonexistent' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostConnectionError);
    expect((error as Error).message).toBe(
      'holly: refused the login of admin (add a key to ssh-agent or HOSTS_SSH_KEY_FILE that the host accepts)',
    );
  });
});

describe('hosts: through a jump host', () => {
  it('reaches the host through the bastion, verifying both keys', async () => {
    host = await startSshEmulator({ user: 'admin', authorizedKeys: [clientKey.public] });
    const bastion = await startSshEmulator({ user: 'jump', authorizedKeys: [clientKey.public] });
    try {
      const connection = await HostConnection.open(endpoint(host, { fingerprint: host.fingerprint }), {
        credentials: { privateKey: clientKey.private, knownHostsFile: '/nonexistent' },
        jumpHost: {
          guest: 'holly (jump host)',
          address: bastion.host,
          port: bastion.port,
          user: 'jump',
          hostKey: { fingerprint: bastion.fingerprint },
        },
      });
      expect((await connection.exec('echo through')).stdout).toBe('through\n');
      connection.close();
      expect(bastion.record.forwards).toEqual([`${host.host}:${host.port}`]);
      const refused = await HostConnection.open(endpoint(host, { fingerprint: host.fingerprint }), {
        credentials: { privateKey: clientKey.private, knownHostsFile: '/nonexistent' },
        jumpHost: {
          guest: 'holly (jump host)',
          address: bastion.host,
          port: bastion.port,
          user: 'jump',
          hostKey: { fingerprint: host.fingerprint },
        },
      }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(HostKeyError);
      expect(bastion.record.forwards).toHaveLength(1);
    } finally {
      await bastion.close();
    }
  });
});
