import type { HttpClientOptions, HttpMethod, HttpResponse, UpstreamError } from '../http/client.js';
import { HttpClient, describeCommonError } from '../http/client.js';
import { HttpAuthenticationError, HttpPermissionError, HttpRateLimitError, HttpRequestError } from '../http/errors.js';
import type { UnifiCredentials } from './credentials.js';

/** Options of a {@link UnifiClient}. */
export interface UnifiClientOptions extends Omit<HttpClientOptions, 'baseUrl' | 'describeError'> {
  /** Console origin, e.g. `https://unifi.example`. */
  readonly url: string;
  /** API key or login. */
  readonly credentials: UnifiCredentials;
}

/** One request to the Network application. */
export interface UnifiRequestOptions {
  /** JSON body. */
  readonly json?: unknown;
  /** Cancels the request. */
  readonly signal?: AbortSignal;
}

interface Session {
  readonly token: string;
  csrf: string;
}

/**
 * Reads UniFi error bodies: v1 `{meta: {rc, msg}}` and v2 `{code, message, errorCode}`.
 *
 * @param body - The parsed error body.
 * @returns The message.
 */
export function describeUnifiError(body: unknown): UpstreamError {
  const common = describeCommonError(body);
  const code = (body as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return common;
  return { message: common.message && common.message !== code ? `${code}: ${common.message}` : code };
}

/**
 * A UniFi OS console client for the Network application (`/proxy/network`): API key or session login with CSRF
 * rotation, one re-login on 401, v1 envelopes unwrapped.
 *
 * @example
 * ```ts
 * const unifi = new UnifiClient({ url: 'https://unifi.example', credentials: { kind: 'api-key', apiKey } });
 * const records = await unifi.v2<StaticDnsRecord[]>('GET', '/site/default/static-dns');
 * ```
 */
export class UnifiClient {
  /** The underlying HTTP client (stats, secrets scrubber). */
  readonly http: HttpClient;
  /**
   * How this console updates a static DNS record: `put` until a `PUT …/static-dns/{id}` is refused as an unsupported
   * method (some Network application versions do), then `replace` (delete and create) for the rest of the client's
   * life; plans made after that show updates as replacements.
   */
  staticDnsUpdate: 'put' | 'replace' = 'put';
  readonly #credentials: UnifiCredentials;
  #session: Promise<Session> | undefined;

  /**
   * @param options - URL, credentials, TLS trust, timeouts.
   */
  constructor(options: UnifiClientOptions) {
    const { url, credentials, ...http } = options;
    this.http = new HttpClient({ ...http, baseUrl: url.replace(/\/+$/, ''), describeError: describeUnifiError });
    this.#credentials = credentials;
    this.http.secrets.add(credentials.kind === 'api-key' ? credentials.apiKey : credentials.password);
  }

  /**
   * Calls a v1 endpoint (`/proxy/network/api/…`) and unwraps `{meta, data}`.
   *
   * @param method - HTTP method.
   * @param path - Path below `/proxy/network/api`, e.g. `/s/default/rest/routing`.
   * @param options - Body and signal.
   * @returns The `data` array.
   * @throws `HttpRequestError` when `meta.rc` is not `ok`, and the HTTP errors.
   */
  async v1<T>(method: HttpMethod, path: string, options: UnifiRequestOptions = {}): Promise<T[]> {
    const response = await this.request(method, `/proxy/network/api${path}`, options);
    const envelope = response.body as { meta?: { rc?: string; msg?: string }; data?: T[] };
    if (envelope.meta?.rc !== 'ok') {
      throw new HttpRequestError('returned an error envelope', {
        request: { method, path: `/proxy/network/api${path}`, headers: {} },
        status: response.status,
        upstreamMessage: this.http.secrets.scrub(envelope.meta?.msg ?? 'meta.rc is not ok'),
      });
    }
    return envelope.data ?? [];
  }

  /**
   * Calls a v2 endpoint (`/proxy/network/v2/api/…`), which answers bare JSON.
   *
   * @param method - HTTP method.
   * @param path - Path below `/proxy/network/v2/api`, e.g. `/site/default/static-dns`.
   * @param options - Body and signal.
   * @returns The response body.
   */
  async v2<T>(method: HttpMethod, path: string, options: UnifiRequestOptions = {}): Promise<T> {
    return (await this.request(method, `/proxy/network/v2/api${path}`, options)).body as T;
  }

  /**
   * Sends one authenticated request; with a login, a 401 (or a 403 on a write: stale CSRF token) logs in again once
   * and repeats the request.
   *
   * @param method - HTTP method.
   * @param path - Path on the console.
   * @param options - Body and signal.
   * @returns The 2xx response.
   */
  async request(method: HttpMethod, path: string, options: UnifiRequestOptions = {}): Promise<HttpResponse> {
    const used: { session?: Promise<Session> } = {};
    try {
      return await this.#send(method, path, options, used);
    } catch (error) {
      // A write whose answer was lost may have rotated the CSRF token unseen; a fresh login recovers from that too.
      const stale =
        error instanceof HttpAuthenticationError || (error instanceof HttpPermissionError && method !== 'GET');
      if (!stale || this.#credentials.kind === 'api-key' || !used.session) throw error;
      // Concurrent requests that failed on the same session share one new login.
      if (this.#session === used.session) this.#session = undefined;
      return this.#send(method, path, options, {});
    }
  }

  /** Closes the connections. */
  close(): Promise<void> {
    return this.http.close();
  }

  async #send(
    method: HttpMethod,
    path: string,
    options: UnifiRequestOptions,
    used: { session?: Promise<Session> },
  ): Promise<HttpResponse> {
    const credentials = this.#credentials;
    let session: Session | undefined;
    let headers: Record<string, string>;
    if (credentials.kind === 'api-key') headers = { 'x-api-key': credentials.apiKey };
    else {
      this.#session ??= this.#login(credentials, options.signal).catch((error: unknown) => {
        this.#session = undefined;
        throw error;
      });
      const pending = this.#session;
      session = await pending;
      used.session = pending;
      headers = { cookie: `TOKEN=${session.token}`, 'x-csrf-token': session.csrf };
    }
    const response = await this.http.request({
      method,
      path,
      headers,
      ...(options.json === undefined ? {} : { json: options.json }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    // UniFi OS rotates the token in `X-Updated-CSRF-Token`, some versions in a new `X-CSRF-Token`; the former wins.
    const rotated = header(response, 'x-updated-csrf-token') ?? header(response, 'x-csrf-token');
    if (session && rotated && rotated !== session.csrf) {
      this.http.secrets.add(rotated);
      session.csrf = rotated;
    }
    return response;
  }

  async #login(
    credentials: Extract<UnifiCredentials, { kind: 'login' }>,
    signal: AbortSignal | undefined,
  ): Promise<Session> {
    const path = '/api/auth/login';
    const response = await this.http.request({
      method: 'POST',
      path,
      json: { username: credentials.username, password: credentials.password },
      idempotent: true,
      ...(signal ? { signal } : {}),
    });
    const cookies = response.headers['set-cookie'];
    const token = (Array.isArray(cookies) ? cookies : cookies ? [cookies] : [])
      .map((cookie) => /^TOKEN=([^;]*)/.exec(cookie)?.[1])
      .find((value) => value);
    const csrf = header(response, 'x-csrf-token');
    if (!token || !csrf) {
      throw new HttpRateLimitError(
        'succeeded without a session cookie or CSRF token, which UniFi OS does when it throttles logins; wait and retry',
        { request: { method: 'POST', path, headers: {} }, status: response.status },
        undefined,
      );
    }
    this.http.secrets.add(token);
    this.http.secrets.add(csrf);
    return { token, csrf };
  }
}

function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
