import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyHosts, hostKeyFingerprint } from '../src/clients/hosts/index.js';
import { generate } from '../src/generators/generate.js';
import { defineTopology } from '../src/models/define.js';
import type { FakeDocker } from '../src/testing/ssh/index.js';
import { generateSshKeyPair, startFakeDocker } from '../src/testing/ssh/index.js';
import { spaceshipsInput } from './fixtures.js';
import { CLIENT_KEY, SECRETS } from './hosts-fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke values into the input
type Loose = any;

const SSHD = '/usr/sbin/sshd';
const available = existsSync(SSHD);
if (!available) console.log(`hosts-sshd: skipped: ${SSHD} is not installed (apt-get install openssh-server)`);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

async function waitForPort(port: number, deadline: number): Promise<void> {
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => socket.destroy() && resolve(true));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`sshd did not listen on ${port}`);
    await new Promise((wake) => setTimeout(wake, 50));
  }
}

describe.skipIf(!available)('hosts: end to end against OpenSSH sshd on loopback', () => {
  let dir: string;
  let port: number;
  let sshd: ChildProcess | undefined;
  let docker: FakeDocker;
  let hostPublicKey: string;
  let log = '';
  const user = userInfo().username;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sshd-'));
    port = await freePort();
    docker = await startFakeDocker();
    const hostKey = generateSshKeyPair();
    hostPublicKey = hostKey.public;
    await writeFile(join(dir, 'host_ed25519'), hostKey.private, { mode: 0o600 });
    await writeFile(join(dir, 'authorized_keys'), `${CLIENT_KEY.public}\n`, { mode: 0o600 });
    // Privilege separation needs this folder when sshd starts as root (Debian creates it from its service unit).
    if (process.getuid?.() === 0) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
    const config = [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_ed25519')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      `AllowUsers ${user}`,
      // The fake docker comes first on PATH for every session (SetEnv overrides the default environment, sshd_config(5)).
      `SetEnv PATH=${docker.binDir}:/usr/bin:/bin`,
      'Subsystem sftp internal-sftp',
      'LogLevel ERROR',
    ];
    await writeFile(join(dir, 'sshd_config'), `${config.join('\n')}\n`);
    sshd = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    sshd.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    await waitForPort(port, Date.now() + 10_000).catch((error: unknown) => {
      throw new Error(`${String(error)}: ${log}`);
    });
  });

  afterAll(async () => {
    sshd?.kill();
    await docker?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers both stacks, then a second apply writes nothing and starts nothing', async () => {
    const knownHosts = join(dir, 'known_hosts');
    await writeFile(knownHosts, `[127.0.0.1]:${port} ${hostPublicKey}\n`);
    const [, blob = ''] = hostPublicKey.split(' ');
    const input = spaceshipsInput() as Loose;
    input.guests.holly.ssh = {
      user,
      address: '127.0.0.1',
      port,
      hostKey: { fingerprint: hostKeyFingerprint(Buffer.from(blob, 'base64')) },
      directory: join(dir, 'holly'),
    };
    input.guests['ct-200'].ssh = {
      user,
      address: '127.0.0.1',
      port,
      hostKey: { knownHostsFile: knownHosts },
      directory: join(dir, 'ct-200'),
    };
    const set = { artifacts: generate(defineTopology(input)).artifacts };
    await mkdir(join(dir, 'out/hosts/ct-200/provider-proxmox'), { recursive: true });
    await writeFile(
      join(dir, 'out/hosts/ct-200/provider-proxmox/.env'),
      `OMNI_SERVICE_ACCOUNT_KEY=${SECRETS.OMNI_SERVICE_ACCOUNT_KEY}\n`,
    );
    const options = {
      credentials: { privateKey: CLIENT_KEY.private, knownHostsFile: knownHosts },
      env: { TS_AUTHKEY: SECRETS.TS_AUTHKEY, PROXMOX_TOKEN_SECRET: SECRETS.PROXMOX_TOKEN_SECRET },
      outDir: join(dir, 'out'),
      pollIntervalMs: 10,
    };
    const first = await applyHosts(set, options);
    expect(first.composeUps).toBe(2);
    const compose = set.artifacts.find((a) => a.path === 'hosts/ct-200/provider-proxmox/compose.yaml')?.content;
    expect(await readFile(join(dir, 'ct-200/provider-proxmox/compose.yaml'), 'utf8')).toBe(compose);
    expect((await stat(join(dir, 'ct-200/provider-proxmox/.env'))).mode & 0o777).toBe(0o600);
    expect(first.containers.flatMap((stack) => stack.containers.map((c) => `${c.service} ${c.state}`))).toContain(
      'proxmox-provider running',
    );
    const second = await applyHosts(set, options);
    expect(second).toMatchObject({ writes: 0, composeUps: 0 });
    expect(docker.composeUps()).toHaveLength(2);
  });
});
