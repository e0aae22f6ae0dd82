/**
 * An SSH server emulator on `ssh2`'s server: public-key login, `exec` run by the real `/bin/sh` with a fake `docker`
 * first on `PATH`, and an SFTP subsystem on the real file system, confined to a temporary root. Listens on 127.0.0.1.
 *
 * What it follows from upstream (OpenSSH `sshd`, `sftp-server.c`):
 * - a command runs in the user's shell (`sh -c`), its exit status returned as `exit-status`;
 * - SFTP `OPEN` with `CREAT` uses the requested permissions (`0600` stays `0600` under a `022` umask);
 * - SFTP v3 `RENAME` fails when the target exists (`sftp-server.c` `process_rename` links, then unlinks), so
 *   replacing a file atomically needs `posix-rename@openssh.com` or `mv` on the host;
 * - the host key is fixed per server: clients see the same fingerprint on every connection.
 *
 * The host's `/etc` is the root's `etc/` for the commands that install Docker the way Docker's guide does
 * (`cat`, `install`, `chmod`, `tee` see `/etc/...` there; `curl`, `dpkg --print-architecture` and `apt-get` are fakes
 * that record their calls), so `/etc/os-release` is the emulated distribution's and this machine's `/etc` is never
 * written. Commands that touch `/etc` are recorded in order ({@link SshEmulator.systemCommands}).
 *
 * @module
 */
import { generateSshKeyPair } from './key-pair.js';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { lstat, mkdir, mkdtemp, open, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { constants, existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import type { Attributes, Connection, ParsedKey, SFTPWrapper } from 'ssh2';
import ssh2 from 'ssh2';
import type { FakeDocker, FakeDockerOptions } from './fake-docker.js';
import { startFakeDocker } from './fake-docker.js';
import { injectLatency, RoundTripLog } from '../round-trips.js';

const { Server, utils } = ssh2;
const { OPEN_MODE, STATUS_CODE } = ssh2.utils.sftp;

/** Options of {@link startSshEmulator}. */
export interface SshEmulatorOptions {
  /** The host's private key (OpenSSH format); a fresh Ed25519 key when absent. */
  readonly hostKey?: string;
  /** The only user allowed to log in. */
  readonly user: string;
  /** Public keys (`authorized_keys` lines) that may log in as that user. */
  readonly authorizedKeys: readonly string[];
  /** The fake `docker` (versions, container states). */
  readonly docker?: FakeDockerOptions;
  /** Fault: end the connection once this many bytes were written over SFTP (once; later connections are whole). */
  readonly dropAfterUploadBytes?: number;
  /** The host's `/etc/os-release`; Debian 12 (bookworm) when absent. */
  readonly osRelease?: string;
  /** Delay before each `exec` and each SFTP request is handled, in milliseconds: one network round trip. */
  readonly latencyMs?: number;
}

/** What the emulator saw, for assertions. */
export interface SshEmulatorRecord {
  /** TCP connections accepted. */
  connections: number;
  /** Authentication requests (any method). */
  authAttempts: number;
  /** Commands run with `exec`, in order. */
  readonly execs: string[];
  /** SFTP requests of any kind. */
  sftpRequests: number;
  /** Files opened for writing over SFTP, by absolute path. */
  readonly writtenFiles: string[];
  /** `direct-tcpip` channels opened (a client using this host as a jump host), as `address:port`. */
  readonly forwards: string[];
}

/** A running SSH emulator. */
export interface SshEmulator {
  /** `127.0.0.1`. */
  readonly host: string;
  /** The listening port. */
  readonly port: number;
  /** The temporary root: SFTP reaches nothing outside it, and commands run in it. */
  readonly root: string;
  /** The host key's OpenSSH fingerprint, `SHA256:…`. */
  readonly fingerprint: string;
  /** The host's public key as a `known_hosts` key field pair, e.g. `ssh-ed25519 AAAA…`. */
  readonly publicKey: string;
  /** The fake `docker` on the host. */
  readonly docker: FakeDocker;
  /** What happened so far. */
  readonly record: SshEmulatorRecord;
  /** Every `exec` (until the command exits) and SFTP request served. */
  readonly roundTrips: RoundTripLog;
  /** The `apt-get` and `curl` calls and the `install`, `chmod`, `tee` calls on `/etc` paths, in order. */
  systemCommands(): Promise<string[]>;
  /** Arms the upload fault again: the connection ends after this many more SFTP bytes. */
  dropAfterUploadBytes(bytes: number): void;
  /** Stops listening, closes connections and removes the root. */
  close(): Promise<void>;
}

/**
 * The OpenSSH fingerprint of a public key blob: `SHA256:` and unpadded base64 (`sshkey_fingerprint`).
 *
 * @param blob - The key in SSH wire format.
 * @returns E.g. `SHA256:n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg`.
 */
export function opensshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function parsed(key: string | Buffer): ParsedKey {
  const result = utils.parseKey(key);
  if (result instanceof Error) throw result;
  return Array.isArray(result) ? (result[0] as ParsedKey) : result;
}

function attributesOf(stats: Stats): Attributes {
  return {
    mode: stats.mode,
    uid: stats.uid,
    gid: stats.gid,
    size: stats.size,
    atime: Math.floor(stats.atimeMs / 1000),
    mtime: Math.floor(stats.mtimeMs / 1000),
  };
}

/** Debian 12's `/etc/os-release` (its fields that matter here). */
const DEBIAN_12_OS_RELEASE =
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n';

/**
 * The host's `/etc` under the root, and the commands that see it there or fake what would reach the network or this
 * machine's package database, each logging to `system.log` beside them.
 */
async function installSystemTools(root: string, bin: string, aptGet: string, osRelease: string): Promise<void> {
  await mkdir(join(root, 'etc/apt/sources.list.d'), { recursive: true });
  await writeFile(join(root, 'etc/os-release'), osRelease);
  const log = shellWord(join(bin, 'system.log'));
  const etc = shellWord(root);
  const record = (name: string): string => `printf '%s\\n' "${name} $*" >> ${log}`;
  const tools: Record<string, string> = {
    'apt-get': `${record('apt-get')}\nexec ${shellWord(aptGet)} "$@"`,
    dpkg: `[ "$1" = --print-architecture ] && echo amd64`,
    curl: [
      record('curl'),
      'out=',
      'while [ $# -gt 0 ]; do [ "$1" = -o ] && out=$2; shift; done',
      `case $out in /etc/*) out=${etc}$out;; esac`,
      `[ -z "$out" ] || printf '%s\\n' '-----BEGIN PGP PUBLIC KEY BLOCK-----' '-----END PGP PUBLIC KEY BLOCK-----' > "$out"`,
    ].join('\n'),
  };
  for (const name of ['cat', 'install', 'chmod', 'tee']) {
    const real = ['/usr/bin', '/bin'].map((dir) => join(dir, name)).find((path) => existsSync(path)) ?? name;
    tools[name] = [
      name === 'cat' ? '' : `case " $* " in *' /etc/'*) ${record(name)};; esac`,
      `for a do shift; case $a in /etc/*) a=${etc}$a;; esac; set -- "$@" "$a"; done`,
      `exec ${shellWord(real)} "$@"`,
    ].join('\n');
  }
  for (const [name, body] of Object.entries(tools)) {
    await writeFile(join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  }
}

const shellWord = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * Starts the SSH emulator on 127.0.0.1 with a fresh temporary root and fake `docker`.
 *
 * @param options - User, authorized keys, host key, docker and faults.
 * @returns The running emulator.
 *
 * @example
 * ```ts
 * const host = await startSshEmulator({ user: 'admin', authorizedKeys: [publicKey] });
 * // connect to host.host:host.port, pin host.fingerprint
 * await host.close();
 * ```
 */
export async function startSshEmulator(options: SshEmulatorOptions): Promise<SshEmulator> {
  const hostKey = options.hostKey ?? generateSshKeyPair().private;
  const hostPublic = parsed(hostKey);
  const allowed = options.authorizedKeys.map((line) => parsed(line));
  const root = await mkdtemp(join(tmpdir(), 'ssh-root-'));
  const docker = await startFakeDocker(options.docker);
  // Debian cloud images let their default user run anything with passwordless sudo; the shim runs it as is.
  const sudoBin = join(root, '.emulator-bin');
  await mkdir(sudoBin);
  await writeFile(join(sudoBin, 'sudo'), '#!/bin/sh\n[ "$1" = "-n" ] && shift\nexec "$@"\n', { mode: 0o755 });
  await installSystemTools(root, sudoBin, docker.aptGetCommand, options.osRelease ?? DEBIAN_12_OS_RELEASE);
  const systemLog = join(sudoBin, 'system.log');
  const record: SshEmulatorRecord = {
    connections: 0,
    authAttempts: 0,
    execs: [],
    sftpRequests: 0,
    writtenFiles: [],
    forwards: [],
  };
  let dropBudget = options.dropAfterUploadBytes;
  const roundTrips = new RoundTripLog();
  const connections = new Set<Connection>();

  const inRoot = (path: string): string | undefined => {
    const full = resolve(root, path.startsWith('/') ? path : join(root, path));
    return full === root || full.startsWith(root + sep) ? full : undefined;
  };

  function serveSftp(sftp: SFTPWrapper, client: Connection): void {
    const handles = new Map<number, { file: FileHandle; path: string }>();
    let next = 0;
    const fail = (id: number, error: unknown): void => {
      const code = (error as NodeJS.ErrnoException).code;
      sftp.status(
        id,
        code === 'ENOENT'
          ? STATUS_CODE.NO_SUCH_FILE
          : code === 'EACCES'
            ? STATUS_CODE.PERMISSION_DENIED
            : STATUS_CODE.FAILURE,
        code ?? 'failure',
      );
    };
    const counted = <A extends unknown[]>(request: string, fn: (id: number, ...args: A) => Promise<void>) => {
      return (id: number, ...args: A): void => {
        record.sftpRequests++;
        const finish = roundTrips.start(`sftp ${request}`);
        injectLatency(options.latencyMs)
          .then(() => fn(id, ...args))
          .catch((error: unknown) => fail(id, error))
          .finally(finish);
      };
    };
    const path = (id: number, requested: string): string | undefined => {
      const full = inRoot(requested);
      if (!full) sftp.status(id, STATUS_CODE.PERMISSION_DENIED, 'outside the root');
      return full;
    };
    const handleOf = (buffer: Buffer) => (buffer.length === 4 ? handles.get(buffer.readUInt32BE(0)) : undefined);

    sftp.on(
      'OPEN',
      counted('OPEN', async (id, filename: string, flags: number, attrs: Attributes) => {
        const full = path(id, filename);
        if (!full) return;
        const write = (flags & OPEN_MODE.WRITE) !== 0;
        // SSH_FXF_* to open(2) flags, as sftp-server.c `flags_from_portable` maps them.
        const read = (flags & OPEN_MODE.READ) !== 0;
        let systemFlags = write ? (read ? constants.O_RDWR : constants.O_WRONLY) : constants.O_RDONLY;
        if (flags & OPEN_MODE.APPEND) systemFlags |= constants.O_APPEND;
        if (flags & OPEN_MODE.CREAT) systemFlags |= constants.O_CREAT;
        if (flags & OPEN_MODE.TRUNC) systemFlags |= constants.O_TRUNC;
        if (flags & OPEN_MODE.EXCL) systemFlags |= constants.O_EXCL;
        const file = await open(full, systemFlags, attrs.mode ?? 0o666);
        if (write) record.writtenFiles.push(full);
        const handle = Buffer.alloc(4);
        handle.writeUInt32BE(next, 0);
        handles.set(next++, { file, path: full });
        sftp.handle(id, handle);
      }),
    );
    sftp.on(
      'WRITE',
      counted('WRITE', async (id, buffer: Buffer, offset: number, data: Buffer) => {
        const open = handleOf(buffer);
        if (!open) return sftp.status(id, STATUS_CODE.FAILURE, 'bad handle');
        if (dropBudget !== undefined) {
          if (data.length >= dropBudget) {
            await open.file.write(data.subarray(0, dropBudget), 0, dropBudget, offset);
            dropBudget = undefined;
            client.end();
            return;
          }
          dropBudget -= data.length;
        }
        await open.file.write(data, 0, data.length, offset);
        sftp.status(id, STATUS_CODE.OK);
      }),
    );
    sftp.on(
      'READ',
      counted('READ', async (id, buffer: Buffer, offset: number, length: number) => {
        const open = handleOf(buffer);
        if (!open) return sftp.status(id, STATUS_CODE.FAILURE, 'bad handle');
        const chunk = Buffer.alloc(length);
        const { bytesRead } = await open.file.read(chunk, 0, length, offset);
        if (bytesRead === 0) return sftp.status(id, STATUS_CODE.EOF);
        sftp.data(id, chunk.subarray(0, bytesRead));
      }),
    );
    sftp.on(
      'FSTAT',
      counted('FSTAT', async (id, buffer: Buffer) => {
        const open = handleOf(buffer);
        if (!open) return sftp.status(id, STATUS_CODE.FAILURE, 'bad handle');
        sftp.attrs(id, attributesOf(await open.file.stat()));
      }),
    );
    sftp.on(
      'CLOSE',
      counted('CLOSE', async (id, buffer: Buffer) => {
        const open = handleOf(buffer);
        if (!open) return sftp.status(id, STATUS_CODE.FAILURE, 'bad handle');
        handles.delete(buffer.readUInt32BE(0));
        await open.file.close();
        sftp.status(id, STATUS_CODE.OK);
      }),
    );
    for (const event of ['STAT', 'LSTAT'] as const) {
      sftp.on(
        event,
        counted(event, async (id, requested: string) => {
          const full = path(id, requested);
          if (full) sftp.attrs(id, attributesOf(await (event === 'STAT' ? stat(full) : lstat(full))));
        }),
      );
    }
    sftp.on(
      'MKDIR',
      counted('MKDIR', async (id, requested: string, attrs: Attributes) => {
        const full = path(id, requested);
        if (!full) return;
        await mkdir(full, { mode: attrs.mode ?? 0o777 });
        sftp.status(id, STATUS_CODE.OK);
      }),
    );
    sftp.on(
      'REMOVE',
      counted('REMOVE', async (id, requested: string) => {
        const full = path(id, requested);
        if (!full) return;
        await unlink(full);
        sftp.status(id, STATUS_CODE.OK);
      }),
    );
    sftp.on(
      'RENAME',
      counted('RENAME', async (id, from: string, to: string) => {
        const source = path(id, from);
        const target = source && path(id, to);
        if (!source || !target) return;
        if (await lstat(target).catch(() => undefined)) return sftp.status(id, STATUS_CODE.FAILURE, 'target exists');
        await rename(source, target);
        sftp.status(id, STATUS_CODE.OK);
      }),
    );
    sftp.on(
      'REALPATH',
      counted('REALPATH', async (id, requested: string) => {
        const full = inRoot(requested) ?? root;
        sftp.name(id, [{ filename: full, longname: full, attrs: {} as Attributes }]);
      }),
    );
    sftp.on('close', () => {
      for (const { file } of handles.values()) void file.close().catch(() => undefined);
      handles.clear();
    });
  }

  const server = new Server({ hostKeys: [hostKey] }, (client) => {
    record.connections++;
    connections.add(client);
    // ssh2 writes each packet with a socket write of its own, and with Nagle's algorithm on, a packet written while an
    // earlier one is unacknowledged waits for the client's delayed ACK (up to 40 ms): measured, 41 ms between EXT_INFO
    // and SERVICE_ACCEPT at login and as much after each command. OpenSSH's sshd gathers what it has to send into one
    // output buffer per loop; without Nagle, the emulator's timing is the latency it injects, not ssh2's write pattern.
    // ssh2's README documents Connection#setNoDelay; @types/ssh2 declares it on the client only.
    (client as typeof client & { setNoDelay(noDelay: boolean): void }).setNoDelay(true);
    client.on('close', () => connections.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      record.authAttempts++;
      if (ctx.method !== 'publickey' || ctx.username !== options.user) return ctx.reject(['publickey']);
      const key = allowed.find(
        (candidate) => candidate.type === ctx.key.algo && candidate.getPublicSSH().equals(ctx.key.data),
      );
      if (!key) return ctx.reject(['publickey']);
      if (ctx.signature && ctx.blob && key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) return ctx.reject();
      ctx.accept();
    });
    client.on('ready', () => {
      // A jump host: `direct-tcpip` (RFC 4254 7.2) to the destination, loopback only since this is a test server.
      client.on('tcpip', (accept, reject, info) => {
        if (!/^127\./.test(info.destIP)) return reject();
        record.forwards.push(`${info.destIP}:${info.destPort}`);
        const socket = connect(info.destPort, info.destIP);
        let opened = false;
        socket.once('connect', () => {
          opened = true;
          const channel = accept();
          channel.pipe(socket).pipe(channel);
          channel.on('close', () => socket.destroy());
          socket.on('close', () => channel.close());
        });
        socket.on('error', () => {
          if (!opened) reject();
        });
      });
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', async (accept, _reject, info) => {
          const channel = accept();
          record.execs.push(info.command);
          const finish = roundTrips.start(info.command);
          await injectLatency(options.latencyMs);
          const shell = spawn('/bin/sh', ['-c', info.command], {
            cwd: root,
            env: { PATH: `${docker.binDir}:${sudoBin}:/usr/bin:/bin`, HOME: root, LANG: 'C.UTF-8' },
            stdio: ['pipe', 'pipe', 'pipe'],
          });
          shell.stdout.pipe(channel, { end: false });
          shell.stderr.pipe(channel.stderr, { end: false });
          channel.pipe(shell.stdin);
          shell.on('close', (code) => {
            finish();
            channel.exit(code ?? 1);
            channel.end();
          });
          shell.on('error', () => {
            finish();
            channel.exit(127);
            channel.end();
          });
        });
        session.on('sftp', (accept) => serveSftp(accept(), client));
      });
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    root,
    fingerprint: opensshFingerprint(hostPublic.getPublicSSH()),
    publicKey: `${hostPublic.type} ${hostPublic.getPublicSSH().toString('base64')}`,
    docker,
    record,
    roundTrips,
    async systemCommands() {
      const log = await readFile(systemLog, 'utf8').catch(() => '');
      return log.split('\n').filter(Boolean);
    },
    dropAfterUploadBytes(bytes) {
      dropBudget = bytes;
    },
    async close() {
      for (const client of connections) client.end();
      await new Promise<void>((done) => server.close(() => done()));
      await docker.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
