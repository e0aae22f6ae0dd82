import type { HttpClientOptions, HttpMethod, HttpResponse, UpstreamError } from '../http/client.js';
import type { IssuedAccessToken } from '../http/access-token.js';
import { AccessTokenCache } from '../http/access-token.js';
import { HttpClient } from '../http/client.js';
import { HttpAuthenticationError, HttpRequestError } from '../http/errors.js';
import type { Auth0Credentials } from './credentials.js';

/** Options of an {@link Auth0Client}. */
export interface Auth0ClientOptions extends Omit<HttpClientOptions, 'baseUrl' | 'describeError' | 'rateLimitDelay'> {
  /** The tenant domain, e.g. `spaceships.us.auth0.com`. */
  readonly domain: string;
  /** A Management API token or client credentials. */
  readonly credentials: Auth0Credentials;
  /** The clock, in milliseconds since the epoch; `Date.now` by default (tests pass their own). */
  readonly now?: () => number;
}

/** One Management API request. */
export interface Auth0RequestOptions {
  /** Query parameters. */
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** JSON body. */
  readonly json?: unknown;
  /** Cancels the request. */
  readonly signal?: AbortSignal;
}

/**
 * Reads Auth0 error bodies: the Management API's `{statusCode, error, message, errorCode}` and the token endpoint's
 * OAuth `{error, error_description}`.
 *
 * @param body - The parsed error body.
 * @returns The message, prefixed with Auth0's error code.
 */
export function describeAuth0Error(body: unknown): UpstreamError {
  if (typeof body !== 'object' || body === null) return {};
  const record = body as Record<string, unknown>;
  const text = (key: string): string | undefined =>
    typeof record[key] === 'string' ? (record[key] as string) : undefined;
  const message = text('message') ?? text('error_description');
  const code = text('errorCode') ?? (text('error_description') !== undefined ? text('error') : undefined);
  if (message === undefined) return code === undefined ? {} : { message: code };
  return { message: code === undefined ? message : `${code}: ${message}` };
}

/**
 * Reads how long a Management API `429` asks to wait: Auth0 sends `X-RateLimit-Reset`, the time the bucket refills
 * in epoch seconds (Auth0 docs, "Management API Endpoint Rate Limits"; node-auth0 v7 reads it the same way in
 * `core/fetcher/requestWithRetries`).
 *
 * @param now - The clock, in milliseconds since the epoch.
 * @returns A reader for the http core's `rateLimitDelay`.
 */
export function rateLimitResetDelay(
  now: () => number,
): (headers: Readonly<Record<string, string | string[] | undefined>>) => number | undefined {
  return (headers) => {
    const raw = headers['x-ratelimit-reset'];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
    return Math.max(0, Number(value.trim()) * 1000 - now());
  };
}

/**
 * An Auth0 Management API v2 client on the shared http core: verified TLS, GETs retried, writes (`PATCH`) never
 * repeated blindly, `429` honoured with `Retry-After` or `X-RateLimit-Reset` (bounded by the retry options). With
 * client credentials it fetches one token, caches it until shortly before its `expires_in` ends, and fetches a new
 * one once when the API answers `401`. The client secret and every token are registered with the scrubber, so no
 * error message or stored request carries them.
 *
 * @example
 * ```ts
 * const auth0 = new Auth0Client({ domain: 'spaceships.us.auth0.com', credentials: { kind: 'token', token } });
 * const client = await auth0.request('GET', `/api/v2/clients/${clientId}`);
 * await auth0.close();
 * ```
 */
export class Auth0Client {
  /** The underlying HTTP client (stats, secrets scrubber). */
  readonly http: HttpClient;
  /** The tenant domain. */
  readonly domain: string;
  /** The exchanged token, with client credentials. */
  readonly #tokens: AccessTokenCache | undefined;
  /** The bearer token of the next request. */
  readonly #bearer: (signal: AbortSignal | undefined) => Promise<string>;

  /**
   * @param options - Domain, credentials, TLS trust, timeouts.
   */
  constructor(options: Auth0ClientOptions) {
    const { domain, credentials, now = Date.now, ...http } = options;
    this.domain = domain.toLowerCase();
    this.http = new HttpClient({
      ...http,
      baseUrl: `https://${this.domain}`,
      describeError: describeAuth0Error,
      rateLimitDelay: rateLimitResetDelay(now),
    });
    this.http.secrets.add(credentials.kind === 'token' ? credentials.token : credentials.clientSecret);
    if (credentials.kind === 'token') {
      this.#bearer = async () => credentials.token;
    } else {
      const tokens = new AccessTokenCache((signal) => this.#fetchToken(credentials, signal), now);
      this.#tokens = tokens;
      this.#bearer = (signal) => tokens.token(signal);
    }
  }

  /** How many tokens the client fetched from `/oauth/token` (for tests and benchmarks). */
  get tokensFetched(): number {
    return this.#tokens?.exchanges ?? 0;
  }

  /** The Management API audience, `https://<domain>/api/v2/`. */
  get audience(): string {
    return `https://${this.domain}/api/v2/`;
  }

  /**
   * Sends one Management API request with the bearer token; with client credentials a `401` fetches a new token once
   * and repeats the request (a `401` means the request was not processed).
   *
   * @param method - HTTP method.
   * @param path - Path below the tenant, e.g. `/api/v2/clients/abc`.
   * @param options - Query, body and signal.
   * @returns The 2xx response.
   * @throws The http core's errors; `HttpAuthenticationError` when a fresh token is refused too.
   */
  async request(method: HttpMethod, path: string, options: Auth0RequestOptions = {}): Promise<HttpResponse> {
    const used = await this.#bearer(options.signal);
    try {
      return await this.#send(method, path, options, used);
    } catch (error) {
      if (!(error instanceof HttpAuthenticationError) || !this.#tokens) throw error;
      this.#tokens.invalidate(used);
      return this.#send(method, path, options, await this.#bearer(options.signal));
    }
  }

  /** Closes the connections. */
  close(): Promise<void> {
    return this.http.close();
  }

  #send(method: HttpMethod, path: string, options: Auth0RequestOptions, token: string): Promise<HttpResponse> {
    return this.http.request({
      method,
      path,
      headers: { authorization: `Bearer ${token}` },
      ...(options.query ? { query: options.query } : {}),
      ...(options.json === undefined ? {} : { json: options.json }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  async #fetchToken(
    credentials: Extract<Auth0Credentials, { kind: 'client-credentials' }>,
    signal: AbortSignal | undefined,
  ): Promise<IssuedAccessToken> {
    const path = '/oauth/token';
    // Form-encoded, as Auth0's "Get Management API Access Tokens for Production" shows; a token request changes
    // nothing, so it is safe to repeat.
    const response = await this.http.request({
      method: 'POST',
      path,
      form: {
        grant_type: 'client_credentials',
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        audience: this.audience,
      },
      idempotent: true,
      redactFields: ['client_secret'],
      ...(signal ? { signal } : {}),
    });
    const body = response.body as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw new HttpRequestError('answered without access_token and expires_in', {
        request: { method: 'POST', path, headers: {} },
        status: response.status,
      });
    }
    this.http.secrets.add(body.access_token);
    return { value: body.access_token, expiresInSeconds: body.expires_in };
  }
}
