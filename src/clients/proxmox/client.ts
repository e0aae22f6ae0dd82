import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpClientOptions, HttpMethod } from '../http/client.js';
import { HttpClient } from '../http/client.js';
import { HttpAuthenticationError } from '../http/errors.js';
import type { WaitReporter } from '../progress.js';
import { reportingWait } from '../progress.js';
import type { ProxmoxCredentials } from './credentials.js';
import { ProxmoxTaskError, ProxmoxTaskTimeoutError } from './errors.js';
import { isTransientProxmoxError } from './transient.js';

/** Options of a {@link ProxmoxClient}. */
export interface ProxmoxClientOptions extends Omit<HttpClientOptions, 'baseUrl' | 'describeError' | 'isTransient'> {
  /** API origin, e.g. `https://pve.example:8006` (`/api2/json` is added). */
  readonly url: string;
  /** Token or password; see {@link ProxmoxCredentials}. */
  readonly credentials: ProxmoxCredentials;
  /** First wait between task status polls, in milliseconds; grows by half each poll up to 2 s. Defaults to 250. */
  readonly taskPollMs?: number;
  /** Longest wait for a task, in milliseconds. Defaults to 600 000. */
  readonly taskTimeoutMs?: number;
  /** Told when a wait for a task begins and ends (the CLI prints the elapsed time while it lasts). */
  readonly onWait?: WaitReporter;
}

/** What `GET /version` says. */
export interface ProxmoxVersion {
  /** Full `pve-manager` version, e.g. `9.0.3`. */
  readonly version: string;
  /** Point release, e.g. `9.0`. */
  readonly release: string;
  /** Major version, e.g. `9`. */
  readonly major: number;
}

/** A request to the Proxmox API. */
export interface ProxmoxRequestOptions {
  /** Query parameters. */
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Form body. */
  readonly form?: Readonly<Record<string, string | number | boolean>>;
  /** Marks a POST as safe to repeat. */
  readonly idempotent?: boolean;
  /** Cancels the request. */
  readonly signal?: AbortSignal;
}

/** The parts of a UPID the client needs. */
export interface Upid {
  /** The node the task runs on; its status is read there. */
  readonly node: string;
  /** Task type, e.g. `vzcreate`. */
  readonly type: string;
  /** Object ID, e.g. the VMID. */
  readonly id: string;
  /** Who started it. */
  readonly user: string;
}

/**
 * Reads a UPID, `UPID:<node>:<pid>:<pstart>:<starttime>:<type>:<id>:<user>:`.
 *
 * @param upid - The task ID a mutating call returned.
 * @returns Its parts.
 * @throws Error when the text is not a UPID.
 */
export function parseUpid(upid: string): Upid {
  const parts = upid.split(':');
  if (parts[0] !== 'UPID' || parts.length < 9) throw new Error(`not a Proxmox task ID (UPID): ${upid}`);
  return { node: parts[1]!, type: parts[5]!, id: parts[6]!, user: parts.slice(7, -1).join(':') };
}

/**
 * A Proxmox VE API client on undici: token or ticket auth (never both on one request), `{data}` envelopes unwrapped,
 * tasks waited for on their own node.
 *
 * @example
 * ```ts
 * const pve = new ProxmoxClient({ url: 'https://pve.example:8006', credentials: { kind: 'token', tokenId, secret } });
 * const { release } = await pve.version();
 * ```
 */
export class ProxmoxClient {
  /** The underlying HTTP client (stats, secrets scrubber). */
  readonly http: HttpClient;
  readonly #credentials: ProxmoxCredentials;
  readonly #taskPollMs: number;
  readonly #taskTimeoutMs: number;
  readonly #onWait: WaitReporter | undefined;
  #session: Promise<{ ticket: string; csrf: string }> | undefined;
  #version: Promise<ProxmoxVersion> | undefined;

  /**
   * @param options - URL, credentials, TLS trust, timeouts.
   */
  constructor(options: ProxmoxClientOptions) {
    const { url, credentials, taskPollMs, taskTimeoutMs, onWait, ...http } = options;
    this.http = new HttpClient({
      ...http,
      baseUrl: `${url.replace(/\/+$/, '').replace(/\/api2\/json$/, '')}/api2/json`,
      isTransient: isTransientProxmoxError,
    });
    this.#credentials = credentials;
    this.#taskPollMs = taskPollMs ?? 250;
    this.#taskTimeoutMs = taskTimeoutMs ?? 600_000;
    this.#onWait = onWait;
    if (credentials.kind === 'token') this.http.secrets.add(credentials.secret);
    else this.http.secrets.add(credentials.password);
  }

  /** `token` or `ticket`: how requests authenticate. */
  get authKind(): 'token' | 'ticket' {
    return this.#credentials.kind === 'token' ? 'token' : 'ticket';
  }

  /** Who the requests act as: the token ID or the user name. */
  get identity(): string {
    return this.#credentials.kind === 'token' ? this.#credentials.tokenId : this.#credentials.username;
  }

  /** `true` when the client logs in as root@pam, so root-only steps are allowed. */
  get canActAsRoot(): boolean {
    return this.#credentials.kind === 'password' && this.#credentials.username === 'root@pam';
  }

  /**
   * Sends one API request and unwraps `data`.
   *
   * @param method - HTTP method.
   * @param path - Path below `/api2/json`, segments already encoded.
   * @param options - Query, form body, idempotence, signal.
   * @returns The response's `data`.
   * @throws `HttpError` subclasses with the API's message and per-parameter `details`.
   */
  async request<T>(method: HttpMethod, path: string, options: ProxmoxRequestOptions = {}): Promise<T> {
    try {
      return await this.#send<T>(method, path, options);
    } catch (error) {
      if (!(error instanceof HttpAuthenticationError) || this.#credentials.kind === 'token' || !this.#session)
        throw error;
      this.#session = undefined;
      return this.#send<T>(method, path, options);
    }
  }

  /**
   * `GET` a path.
   *
   * @param path - Path below `/api2/json`.
   * @param query - Query parameters.
   * @param signal - Cancels the request.
   * @returns The `data`.
   */
  get<T>(path: string, query?: ProxmoxRequestOptions['query'], signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, { ...(query ? { query } : {}), ...(signal ? { signal } : {}) });
  }

  /**
   * Reads `GET /version` once per client.
   *
   * @returns Version, point release and major number.
   */
  version(): Promise<ProxmoxVersion> {
    this.#version ??= this.get<{ version: string; release: string }>('/version').then((data) => ({
      version: data.version,
      release: data.release,
      major: Number(data.release.split('.')[0]),
    }));
    return this.#version;
  }

  /**
   * Waits for a task to stop, polling its status on the node named in the UPID with growing pauses.
   *
   * @param upid - The task ID a mutating call returned.
   * @param signal - Cancels the wait.
   * @returns When the task ended `OK` or `WARNINGS: n`.
   * @throws {@link ProxmoxTaskError} with the log tail when it failed; {@link ProxmoxTaskTimeoutError} when too slow.
   */
  waitForTask(upid: string, signal?: AbortSignal): Promise<void> {
    const { node, type, id } = parseUpid(upid);
    const what = `Proxmox task ${type}${id ? ` ${id}` : ''} on node ${node}`;
    return reportingWait(this.#onWait, what, () => this.#pollTask(upid, node, signal));
  }

  async #pollTask(upid: string, node: string, signal: AbortSignal | undefined): Promise<void> {
    const base = `/nodes/${encodeURIComponent(node)}/tasks/${encodeURIComponent(upid)}`;
    const deadline = Date.now() + this.#taskTimeoutMs;
    for (let pause = this.#taskPollMs; ; pause = Math.min(2_000, Math.round(pause * 1.5))) {
      const status = await this.get<{ status: string; exitstatus?: string }>(`${base}/status`, undefined, signal);
      if (status.status === 'stopped') {
        const exit = status.exitstatus ?? '';
        if (exit === 'OK' || /^WARNINGS: \d+$/.test(exit)) return;
        const log = await this.get<{ n: number; t: string }[]>(`${base}/log`, { start: 0, limit: 1000 }, signal).catch(
          () => [],
        );
        throw new ProxmoxTaskError(
          upid,
          exit,
          log.slice(-10).map((line) => line.t),
        );
      }
      if (Date.now() + pause > deadline) throw new ProxmoxTaskTimeoutError(upid, this.#taskTimeoutMs);
      await sleep(pause, undefined, signal ? { signal } : {});
    }
  }

  /** Closes the connections. */
  close(): Promise<void> {
    return this.http.close();
  }

  async #send<T>(method: HttpMethod, path: string, options: ProxmoxRequestOptions): Promise<T> {
    const headers = await this.#authHeaders(method);
    const response = await this.http.request({
      method,
      path,
      headers,
      ...(options.query ? { query: options.query } : {}),
      ...(options.form ? { form: options.form } : {}),
      ...(options.idempotent ? { idempotent: true } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return (response.body as { data: T }).data;
  }

  async #authHeaders(method: HttpMethod): Promise<Record<string, string>> {
    const credentials = this.#credentials;
    if (credentials.kind === 'token') {
      return { authorization: `PVEAPIToken=${credentials.tokenId}=${credentials.secret}` };
    }
    this.#session ??= this.#login(credentials).catch((error: unknown) => {
      this.#session = undefined;
      throw error;
    });
    const { ticket, csrf } = await this.#session;
    return {
      cookie: `PVEAuthCookie=${encodeURIComponent(ticket)}`,
      ...(method === 'GET' ? {} : { csrfpreventiontoken: csrf }),
    };
  }

  async #login(
    credentials: Extract<ProxmoxCredentials, { kind: 'password' }>,
  ): Promise<{ ticket: string; csrf: string }> {
    const response = await this.http.request({
      method: 'POST',
      path: '/access/ticket',
      form: { username: credentials.username, password: credentials.password },
      idempotent: true,
    });
    const data = (response.body as { data: { ticket: string; CSRFPreventionToken: string } }).data;
    this.http.secrets.add(data.ticket);
    this.http.secrets.add(data.CSRFPreventionToken);
    return { ticket: data.ticket, csrf: data.CSRFPreventionToken };
  }
}
