import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Agent } from 'undici';
import type { HttpErrorInit, RedactedRequest } from './errors.js';
import {
  HttpAbortError,
  HttpConnectionError,
  HttpError,
  HttpRateLimitError,
  HttpTimeoutError,
  HttpTlsError,
  errorForStatus,
} from './errors.js';
import type { Logger } from './logger.js';
import { processWarningLogger } from './logger.js';
import { SecretScrubber, redactBody, redactHeaders, redactPath } from './redact.js';
import type { ResolvedRetryOptions, RetryOptions } from './retry.js';
import { backoffDelay, parseRetryAfter, resolveRetryOptions } from './retry.js';
import type { TlsOptions } from './tls.js';
import { CertificatePinMismatchError, createTlsAgent } from './tls.js';
import { dispatchRequest } from './undici-core.js';

/** HTTP methods the clients use. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a target's error body says, in the shape every error class stores. */
export interface UpstreamError {
  /** The server's message. */
  readonly message?: string;
  /** Per-field reasons. */
  readonly details?: Readonly<Record<string, string>>;
}

/** Options of an {@link HttpClient}: one target, one agent. */
export interface HttpClientOptions {
  /** The target's origin plus an optional base path, e.g. `https://127.0.0.1:8006/api2/json`. */
  readonly baseUrl: string;
  /** How to trust the server's certificate; system CAs by default. */
  readonly tls?: TlsOptions;
  /** Per-attempt timeout in milliseconds. Defaults to 30 000. */
  readonly timeoutMs?: number;
  /** Retry policy. */
  readonly retry?: RetryOptions;
  /** Receives warnings. Defaults to `process.emitWarning`. */
  readonly logger?: Logger;
  /** Source of jitter in [0, 1); pass a seeded one for reproducible runs. Defaults to `Math.random`. */
  readonly random?: () => number;
  /** Reads the target's error body into a message and per-field reasons. */
  readonly describeError?: (body: unknown) => UpstreamError;
  /**
   * Tells whether a 5xx answer is worth sending again (the request still needs to be idempotent). Defaults to every
   * 5xx but 501; targets that answer 5xx for lasting refusals (Proxmox: a lock, a digest conflict) narrow it.
   */
  readonly isTransient?: (error: HttpError) => boolean;
  /**
   * Reads how long to wait from the headers of a `429` that carries no `Retry-After`, in milliseconds (Auth0 sends
   * `X-RateLimit-Reset`, epoch seconds). Bounded like `Retry-After` by the retry options' `maxRetryAfterMs`.
   */
  readonly rateLimitDelay?: (headers: Readonly<Record<string, string | string[] | undefined>>) => number | undefined;
}

/** One request. */
export interface HttpRequestOptions {
  /** The method. */
  readonly method: HttpMethod;
  /** Path below the base URL, starting with `/`; encode path segments yourself. */
  readonly path: string;
  /** Query parameters; `undefined` values are left out. */
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** A form body (`application/x-www-form-urlencoded`). */
  readonly form?: Readonly<Record<string, string | number | boolean>>;
  /** A JSON body. */
  readonly json?: unknown;
  /** A text body sent as is with its content type (e.g. a HuJSON policy file, whose comments JSON would lose). */
  readonly text?: {
    /** The `Content-Type`, e.g. `application/hujson`. */
    readonly contentType: string;
    /** The text. */
    readonly body: string;
  };
  /** Keeps the response body as text even when it looks like JSON (e.g. a HuJSON file that is also valid JSON). */
  readonly responseAsText?: boolean;
  /** Extra headers, credentials included (they are redacted before anything is stored). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Marks a POST or PATCH as safe to repeat (e.g. a login). GET, PUT and DELETE always are. */
  readonly idempotent?: boolean;
  /** Cancels the request, waits included. */
  readonly signal?: AbortSignal;
  /** This request's timeout in milliseconds, overriding the client's. */
  readonly timeoutMs?: number;
  /** More body or query fields to redact on errors, beyond the usual password/ticket/secret names. */
  readonly redactFields?: readonly string[];
}

/** A successful (2xx) response. */
export interface HttpResponse {
  /** The status. */
  readonly status: number;
  /** Response headers, names lower-case. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body: parsed JSON when it is JSON, else text (empty string when none). */
  readonly body: unknown;
}

/** Counters of what a client sent, for benchmarks and tests. */
export interface HttpClientStats {
  /** Attempts sent, retries included. */
  requests: number;
  /** Attempts that were retries. */
  retries: number;
}

const TLS_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Socket error codes that mean no connection was made, with what each means to a person (libuv and getaddrinfo). */
const CONNECT_FAILURES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed for now',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
};

/**
 * An HTTPS client for one target on its own undici `Agent`: verified TLS (or a pinned certificate), a timeout on every
 * attempt, retries with jittered backoff for idempotent requests and for 429, and errors that never hold credentials.
 *
 * @example
 * ```ts
 * const http = new HttpClient({ baseUrl: 'https://127.0.0.1:8006/api2/json', tls: { fingerprint256 } });
 * const { body } = await http.request({ method: 'GET', path: '/version' });
 * await http.close();
 * ```
 */
export class HttpClient {
  /** Counters of attempts and retries. */
  readonly stats: HttpClientStats = { requests: 0, retries: 0 };
  /** Credential values to scrub from anything stored on errors; the target clients add theirs. */
  readonly secrets = new SecretScrubber();
  readonly #origin: string;
  /** `host:port` of the target, for connection errors (never the URL's user or password). */
  readonly #hostPort: string;
  readonly #basePath: string;
  readonly #agent: Agent;
  readonly #timeoutMs: number;
  readonly #retry: ResolvedRetryOptions;
  readonly #random: () => number;
  readonly #describeError: (body: unknown) => UpstreamError;
  readonly #isTransient: (error: HttpError) => boolean;
  readonly #rateLimitDelay: HttpClientOptions['rateLimitDelay'];

  /**
   * @param options - Target, TLS trust, timeouts and retries.
   */
  constructor(options: HttpClientOptions) {
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'https:') throw new Error(`${options.baseUrl}: only https:// targets are supported`);
    this.#origin = url.origin;
    this.#hostPort = `${url.hostname}:${url.port || '443'}`;
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#agent = createTlsAgent(url.origin, options.tls ?? {}, options.logger ?? processWarningLogger);
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#retry = resolveRetryOptions(options.retry);
    this.#random = options.random ?? Math.random;
    this.#describeError = options.describeError ?? describeCommonError;
    this.#isTransient = options.isTransient ?? ((error) => error.status !== 501);
    this.#rateLimitDelay = options.rateLimitDelay;
  }

  /**
   * Sends a request, retrying when that is safe, and returns the 2xx response.
   *
   * @param options - Method, path, body and per-request settings.
   * @returns The response with its parsed body.
   * @throws {@link HttpError} subclasses: status errors, {@link HttpTimeoutError}, {@link HttpConnectionError},
   *   {@link HttpTlsError}, {@link HttpAbortError}.
   */
  async request(options: HttpRequestOptions): Promise<HttpResponse> {
    const idempotent = (options.method !== 'POST' && options.method !== 'PATCH') || options.idempotent === true;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) this.stats.retries++;
      const outcome = await this.#attempt(options);
      if (!(outcome instanceof HttpError)) return outcome;
      const wait = this.#retryDelay(outcome, idempotent, attempt);
      if (wait === undefined) throw outcome;
      await this.#wait(wait, options);
    }
  }

  /** Closes the agent and its connections. */
  async close(): Promise<void> {
    await this.#agent.close();
  }

  #retryDelay(error: HttpError, idempotent: boolean, attempt: number): number | undefined {
    if (attempt >= this.#retry.retries) return undefined;
    if (error instanceof HttpRateLimitError) {
      if (error.retryAfterMs === undefined) return backoffDelay(attempt, this.#retry, this.#random);
      return error.retryAfterMs <= this.#retry.maxRetryAfterMs ? error.retryAfterMs : undefined;
    }
    const transient =
      error instanceof HttpTimeoutError ||
      (error instanceof HttpConnectionError && !(error instanceof HttpTlsError)) ||
      (error.status !== undefined && error.status >= 500 && this.#isTransient(error));
    return transient && idempotent ? backoffDelay(attempt, this.#retry, this.#random) : undefined;
  }

  async #wait(ms: number, options: HttpRequestOptions): Promise<void> {
    try {
      await sleep(ms, undefined, options.signal ? { signal: options.signal } : {});
    } catch (cause) {
      throw new HttpAbortError('was aborted while waiting to retry', { request: this.#redacted(options), cause });
    }
  }

  async #attempt(options: HttpRequestOptions): Promise<HttpResponse | HttpError> {
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    let body: string | undefined;
    if (options.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(stringifyFields(options.form)).toString();
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.text !== undefined) {
      headers['content-type'] = options.text.contentType;
      body = options.text.body;
    }
    this.stats.requests++;
    try {
      const response = await dispatchRequest(this.#agent, {
        origin: this.#origin,
        path: this.#fullPath(options),
        method: options.method,
        headers,
        body: body ?? null,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await response.body.text();
      const parsed = parseBody(text, response.headers['content-type']);
      if (response.statusCode >= 200 && response.statusCode < 300) {
        return { status: response.statusCode, headers: response.headers, body: options.responseAsText ? text : parsed };
      }
      const upstream = this.#describeError(parsed);
      const statusText = typeof parsed === 'string' && parsed.length < 300 ? parsed.trim() : undefined;
      // A reason phrase other than the standard one is the server's message (Proxmox puts its error there).
      const reason = response.statusText !== STATUS_CODES[response.statusCode] ? response.statusText : '';
      const message = upstream.message ?? (statusText || reason || undefined);
      const init: HttpErrorInit = {
        request: this.#redacted(options),
        status: response.statusCode,
        ...(message === undefined ? {} : { upstreamMessage: this.secrets.scrub(message) }),
        ...(upstream.details === undefined
          ? {}
          : { details: this.secrets.scrubValue(upstream.details) as Record<string, string> }),
      };
      const retryAfter = response.headers['retry-after'];
      const serverDelay =
        parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter) ??
        (response.statusCode === 429 ? this.#rateLimitDelay?.(response.headers) : undefined);
      return errorForStatus(response.statusCode, init, serverDelay);
    } catch (cause) {
      return this.#transportError(cause, options, timeout);
    }
  }

  #transportError(cause: unknown, options: HttpRequestOptions, timeout: AbortSignal): HttpError {
    const init = { request: this.#redacted(options), cause: this.#scrubCause(cause) };
    if (options.signal?.aborted) return new HttpAbortError('was aborted by the caller', init);
    if (timeout.aborted || hasCode(cause, /TIMEOUT/))
      return new HttpTimeoutError(`timed out waiting for ${this.#hostPort}`, init);
    if (findCause(cause, (item) => item instanceof CertificatePinMismatchError)) {
      return new HttpTlsError('was refused: the server certificate does not match the pinned fingerprint', init);
    }
    const tlsCode = findCause(cause, (item) => TLS_ERROR_CODES.has(codeOf(item) ?? ''));
    if (tlsCode) return new HttpTlsError(`was refused by TLS verification (${codeOf(tlsCode)})`, init);
    const refusal = findCause(cause, (item) => Object.hasOwn(CONNECT_FAILURES, codeOf(item) ?? ''));
    const code = codeOf(refusal);
    if (code !== undefined) {
      return new HttpConnectionError(
        `failed: cannot connect to ${this.#hostPort}: ${CONNECT_FAILURES[code]} (${code})`,
        init,
      );
    }
    return new HttpConnectionError(`lost the connection to ${this.#hostPort} (${codeOf(cause) ?? 'error'})`, init);
  }

  #scrubCause(cause: unknown): unknown {
    if (!(cause instanceof Error)) return cause;
    const clean = new Error(this.secrets.scrub(cause.message));
    clean.name = cause.name;
    const code = codeOf(cause);
    if (code !== undefined) Object.assign(clean, { code });
    return clean;
  }

  #fullPath(options: HttpRequestOptions): string {
    const query = options.query
      ? new URLSearchParams(
          stringifyFields(
            Object.fromEntries(Object.entries(options.query).filter(([, value]) => value !== undefined)) as Record<
              string,
              string | number | boolean
            >,
          ),
        ).toString()
      : '';
    return `${this.#basePath}${options.path}${query ? `?${query}` : ''}`;
  }

  #redacted(options: HttpRequestOptions): RedactedRequest {
    const path = this.secrets.scrub(redactPath(this.#fullPath(options)));
    const headers = redactHeaders(options.headers ?? {});
    const body = options.form ?? options.json ?? options.text?.body;
    const request: RedactedRequest = { method: options.method, path, headers };
    if (body === undefined) return request;
    return { ...request, body: this.secrets.scrubValue(redactBody(body, options.redactFields)) };
  }
}

function stringifyFields(fields: Readonly<Record<string, string | number | boolean>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields))
    out[key] = typeof value === 'boolean' ? (value ? '1' : '0') : `${value}`;
  return out;
}

function parseBody(text: string, contentType: string | string[] | undefined): unknown {
  const type = Array.isArray(contentType) ? contentType[0] : contentType;
  const looksJson = /^\s*[[{]/.test(text) || (type?.includes('json') ?? false);
  if (!looksJson || text.trim() === '') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Reads the usual error body shapes: `{message}`, `{errors: {field: reason}}`, `{meta: {msg}}`.
 *
 * @param body - The parsed error body.
 * @returns Message and per-field reasons, when present.
 */
export function describeCommonError(body: unknown): UpstreamError {
  if (typeof body !== 'object' || body === null) return {};
  const record = body as Record<string, unknown>;
  const meta = record['meta'] as Record<string, unknown> | undefined;
  const message = [record['message'], meta?.['msg']].find((item): item is string => typeof item === 'string');
  const errors = record['errors'];
  const details =
    typeof errors === 'object' && errors !== null && !Array.isArray(errors)
      ? Object.fromEntries(Object.entries(errors).map(([key, value]) => [key, String(value)]))
      : undefined;
  return { ...(message === undefined ? {} : { message: message.trim() }), ...(details ? { details } : {}) };
}

function codeOf(value: unknown): string | undefined {
  const code = (value as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function hasCode(value: unknown, pattern: RegExp): boolean {
  return findCause(value, (item) => pattern.test(codeOf(item) ?? '')) !== undefined;
}

function findCause(value: unknown, test: (item: unknown) => boolean): unknown {
  for (let item = value, depth = 0; item !== undefined && item !== null && depth < 5; depth++) {
    if (test(item)) return item;
    item = (item as { cause?: unknown }).cause;
  }
  return undefined;
}
