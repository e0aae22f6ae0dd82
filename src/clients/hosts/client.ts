import { readFile } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import type { ClientChannel, ConnectConfig, SFTPWrapper } from 'ssh2';
import ssh2 from 'ssh2';
import type { HostKeySpec } from './artifacts.js';
import type { HostsCredentials } from './credentials.js';
import { HostCommandError, HostConnectionError, HostKeyError, redactSecrets } from './errors.js';
import type { HostKeyPolicy } from './host-key.js';
import { verifyHostKey } from './host-key.js';

/** Where and how to connect. */
export interface HostEndpoint {
  /** Guest name, for messages. */
  readonly guest: string;
  /** Address or name. */
  readonly address: string;
  /** Port. */
  readonly port: number;
  /** User. */
  readonly user: string;
  /** Pinned key or known_hosts file; the credentials' known_hosts file when absent. */
  readonly hostKey?: HostKeySpec | undefined;
}

/** Options of {@link HostConnection.open}. */
export interface HostConnectionOptions {
  /** Login and known_hosts. */
  readonly credentials: HostsCredentials;
  /**
   * Accept a host that the known_hosts file does not list yet, reporting its fingerprint through `onWarning`. A key
   * that differs from a listed or pinned one is still refused.
   */
  readonly trustOnFirstUse?: boolean;
  /** Receives warnings (a key trusted on first use). */
  readonly onWarning?: (message: string) => void;
  /** Handshake and login timeout in milliseconds. Defaults to 20 s. */
  readonly timeoutMs?: number;
  /** A bastion to go through (its own endpoint, verified the same way). */
  readonly jumpHost?: HostEndpoint | undefined;
  /** Values to remove from every command output and error. */
  readonly secrets?: () => Iterable<string>;
}

/** What a command printed and how it ended. */
export interface ExecResult {
  /** Standard output. */
  readonly stdout: string;
  /** Standard error, with secrets removed. */
  readonly stderr: string;
  /** Exit status (255 when the connection ended without one). */
  readonly code: number;
}

async function policyFor(endpoint: HostEndpoint, credentials: HostsCredentials): Promise<HostKeyPolicy> {
  if (endpoint.hostKey && 'fingerprint' in endpoint.hostKey) return { fingerprint: endpoint.hostKey.fingerprint };
  const file = endpoint.hostKey?.knownHostsFile ?? credentials.knownHostsFile;
  const knownHosts = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw new HostConnectionError(endpoint.guest, `cannot read known_hosts file ${file} (${error.code ?? 'error'})`);
  });
  return { knownHosts, file };
}

/**
 * One SSH connection to a host (ssh2's `Client`): the host key is verified during the handshake, before the login,
 * so a host with the wrong key never receives a byte of payload. Commands and SFTP requests are counted as round
 * trips.
 */
export class HostConnection {
  /** Requests sent: one per command, one per SFTP request. */
  roundTrips = 0;
  private sftpSession: Promise<SFTPWrapper> | undefined;

  private constructor(
    /** The endpoint. */
    readonly endpoint: HostEndpoint,
    private readonly client: ssh2.Client,
    private readonly jump: HostConnection | undefined,
    private readonly secrets: () => Iterable<string>,
  ) {}

  /**
   * Connects, verifies the host key and logs in.
   *
   * @param endpoint - Where to connect.
   * @param options - Credentials, trust on first use, jump host, timeout.
   * @returns The open connection.
   * @throws {@link HostKeyError} when the key does not verify; {@link HostConnectionError} when the host cannot be
   *   reached or refuses the login.
   */
  static async open(endpoint: HostEndpoint, options: HostConnectionOptions): Promise<HostConnection> {
    const jump = options.jumpHost
      ? await HostConnection.open(options.jumpHost, { ...options, jumpHost: undefined })
      : undefined;
    try {
      const sock = jump ? await jump.forward(endpoint.address, endpoint.port) : undefined;
      const client = await HostConnection.connect(endpoint, options, sock);
      return new HostConnection(endpoint, client, jump, options.secrets ?? (() => []));
    } catch (error) {
      jump?.close();
      throw error;
    }
  }

  private static async connect(
    endpoint: HostEndpoint,
    options: HostConnectionOptions,
    sock: Duplex | undefined,
  ): Promise<ssh2.Client> {
    const policy = await policyFor(endpoint, options.credentials);
    let refusal: HostKeyError | undefined;
    const client = new ssh2.Client();
    const config: ConnectConfig = {
      host: endpoint.address,
      port: endpoint.port,
      username: endpoint.user,
      readyTimeout: options.timeoutMs ?? 20_000,
      ...(sock ? { sock } : {}),
      ...(options.credentials.agent ? { agent: options.credentials.agent } : {}),
      ...(options.credentials.privateKey ? { privateKey: options.credentials.privateKey } : {}),
      ...(options.credentials.passphrase ? { passphrase: options.credentials.passphrase } : {}),
      hostVerifier: (key: Buffer): boolean => {
        const decision = verifyHostKey(policy, endpoint.address, endpoint.port, key);
        if (decision.accepted) return true;
        if (decision.status === 'unknown' && options.trustOnFirstUse) {
          options.onWarning?.(
            `${endpoint.guest}: trusting host key ${decision.fingerprint} of ${endpoint.address}:${endpoint.port} on first use; pin it as ssh.hostKey.fingerprint`,
          );
          return true;
        }
        refusal = new HostKeyError(endpoint.guest, decision.fingerprint, decision.reason);
        return false;
      },
    };
    return new Promise<ssh2.Client>((resolve, reject) => {
      // Node's sockets start with Nagle's algorithm on, and ssh2 leaves it so. Nagle holds a small packet back while an
      // earlier one is unacknowledged, and the host's delayed ACK (up to 40 ms on Linux) then stalls the handshake's
      // back-to-back packets and every exec and SFTP exchange: against the SSH emulator at 20 ms latency, the seed lab's
      // hosts step took 1.45 s with Nagle and 1.1 s without, and a connection 70–100 ms to its first command.
      client.once('connect', () => client.setNoDelay(true));
      client.once('ready', () => resolve(client));
      client.once('error', (error: Error & { level?: string }) => {
        client.end();
        if (refusal) return reject(refusal);
        const what =
          error.level === 'client-authentication'
            ? `refused the login of ${endpoint.user} (add a key to ssh-agent or HOSTS_SSH_KEY_FILE that the host accepts)`
            : `cannot connect to ${endpoint.address}:${endpoint.port}: ${error.message}`;
        reject(new HostConnectionError(endpoint.guest, what, { cause: error }));
      });
      client.connect(config);
    });
  }

  private forward(address: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      this.roundTrips++;
      this.client.forwardOut('127.0.0.1', 0, address, port, (error, stream) => {
        if (error) {
          reject(
            new HostConnectionError(this.endpoint.guest, `jump host cannot reach ${address}:${port}`, { cause: error }),
          );
        } else resolve(stream);
      });
    });
  }

  /**
   * Runs a command in the user's shell on the host.
   *
   * @param command - Shell text; it never contains a secret.
   * @returns Output and exit status.
   * @throws {@link HostConnectionError} when the connection fails.
   */
  exec(command: string): Promise<ExecResult> {
    this.roundTrips++;
    return new Promise((resolve, reject) => {
      this.client.exec(command, (error, channel: ClientChannel) => {
        if (error) return reject(new HostConnectionError(this.endpoint.guest, `exec failed: ${error.message}`));
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let code = 255;
        channel.on('data', (chunk: Buffer) => out.push(chunk));
        channel.stderr.on('data', (chunk: Buffer) => err.push(chunk));
        channel.on('exit', (status: number | null) => (code = status ?? 255));
        channel.on('close', () =>
          resolve({
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: redactSecrets(Buffer.concat(err).toString('utf8'), this.secrets()),
            code,
          }),
        );
      });
    });
  }

  /**
   * Runs a command and fails unless it exits 0.
   *
   * @param command - Shell text without secrets.
   * @param what - What it does, for the error.
   * @returns Its standard output.
   * @throws {@link HostCommandError} on a non-zero exit.
   */
  async run(command: string, what: string): Promise<string> {
    const result = await this.exec(command);
    if (result.code !== 0) throw new HostCommandError(this.endpoint.guest, what, result.code, result.stderr);
    return result.stdout;
  }

  private sftp(): Promise<SFTPWrapper> {
    this.sftpSession ??= new Promise((resolve, reject) => {
      this.roundTrips++;
      this.client.sftp((error, sftp) =>
        error ? reject(new HostConnectionError(this.endpoint.guest, `SFTP failed: ${error.message}`)) : resolve(sftp),
      );
    });
    return this.sftpSession;
  }

  /**
   * Writes a file over SFTP (open with create and truncate at the given mode, write, close). The caller writes to a
   * temporary name and renames it into place, so a reader never sees half a file.
   *
   * @param path - Absolute path on the host.
   * @param content - The bytes.
   * @param mode - Permissions at creation, e.g. `0o600` for `.env`.
   */
  async upload(path: string, content: string | Buffer, mode: number): Promise<void> {
    const sftp = await this.sftp();
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const call = <T>(fn: (done: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        this.roundTrips++;
        fn((error, value) =>
          error
            ? reject(new HostConnectionError(this.endpoint.guest, `writing ${path} failed: ${error.message}`))
            : resolve(value as T),
        );
      });
    const handle = await call<Buffer>((done) => sftp.open(path, 'w', { mode }, done));
    const chunk = 32 * 1024;
    for (let offset = 0; offset < data.length; offset += chunk) {
      const length = Math.min(chunk, data.length - offset);
      await call<void>((done) => sftp.write(handle, data, offset, length, offset, (error) => done(error)));
    }
    await call<void>((done) => sftp.close(handle, (error) => done(error)));
  }

  /** Closes the connection (and the jump host's). */
  close(): void {
    this.client.end();
    this.jump?.close();
  }
}
