import type { HttpClientOptions, HttpMethod, HttpResponse, UpstreamError } from '../http/client.js';
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

/** A cached access token. */
interface CachedToken {
  readonly value: string;
  /** When the client stops using it, in milliseconds since the epoch. */
  readonly renewAt: number;
}

/** Seconds before a token's expiry the client stops using it (never more than half its lifetime). */
const RENEW_MARGIN_SECONDS = 60;

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
  /** How many tokens the client fetched from `/oauth/token` (for tests and benchmarks). */
  tokensFetched = 0;
  readonly #credentials: Auth0Credentials;
  readonly #now: () => number;
  #token: Promise<CachedToken> | undefined;

  /**
   * @param options - Domain, credentials, TLS trust, timeouts.
   */
  constructor(options: Auth0ClientOptions) {
    const { domain, credentials, now, ...http } = options;
    this.#now = now ?? Date.now;
    this.domain = domain.toLowerCase();
    this.http = new HttpClient({
      ...http,
      baseUrl: `https://${this.domain}`,
      describeError: describeAuth0Error,
      rateLimitDelay: rateLimitResetDelay(this.#now),
    });
    this.#credentials = credentials;
    this.http.secrets.add(credentials.kind === 'token' ? credentials.token : credentials.clientSecret);
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
    const used = await this.#tokenFor(options.signal);
    try {
      return await this.#send(method, path, options, used);
    } catch (error) {
      if (!(error instanceof HttpAuthenticationError) || this.#credentials.kind === 'token') throw error;
      // Concurrent requests refused with the same token share one new token.
      const current = this.#token;
      const cached = current ? await current.catch(() => undefined) : undefined;
      if (cached?.value === used.value && this.#token === current) this.#token = undefined;
      return this.#send(method, path, options, await this.#tokenFor(options.signal));
    }
  }

  /** Closes the connections. */
  close(): Promise<void> {
    return this.http.close();
  }

  #send(method: HttpMethod, path: string, options: Auth0RequestOptions, token: CachedToken): Promise<HttpResponse> {
    return this.http.request({
      method,
      path,
      headers: { authorization: `Bearer ${token.value}` },
      ...(options.query ? { query: options.query } : {}),
      ...(options.json === undefined ? {} : { json: options.json }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  #tokenFor(signal: AbortSignal | undefined): Promise<CachedToken> {
    const credentials = this.#credentials;
    if (credentials.kind === 'token') return Promise.resolve({ value: credentials.token, renewAt: Infinity });
    const cached = this.#token;
    if (cached) {
      // A settled token past its renewal time is replaced; a pending fetch is shared.
      return cached.then((token) => {
        if (token.renewAt > this.#now()) return token;
        if (this.#token === cached) this.#token = undefined;
        return this.#tokenFor(signal);
      });
    }
    const pending = this.#fetchToken(credentials, signal).catch((error: unknown) => {
      if (this.#token === pending) this.#token = undefined;
      throw error;
    });
    this.#token = pending;
    return pending;
  }

  async #fetchToken(
    credentials: Extract<Auth0Credentials, { kind: 'client-credentials' }>,
    signal: AbortSignal | undefined,
  ): Promise<CachedToken> {
    const path = '/oauth/token';
    this.tokensFetched++;
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
    const lifetime = Math.max(body.expires_in - RENEW_MARGIN_SECONDS, body.expires_in / 2);
    return { value: body.access_token, renewAt: this.#now() + lifetime * 1000 };
  }
}
