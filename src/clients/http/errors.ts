/** The request behind an error, with every credential already replaced (see `redact.ts`). */
export interface RedactedRequest {
  /** HTTP method. */
  readonly method: string;
  /** Path and query on the target, credentials in the query redacted. */
  readonly path: string;
  /** Headers as sent, credential headers redacted. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as sent (form fields or JSON), credential fields redacted; absent when there was none. */
  readonly body?: unknown;
}

/** What every client error is built from. */
export interface HttpErrorInit {
  /** The redacted request. */
  readonly request: RedactedRequest;
  /** HTTP status, absent when no response arrived. */
  readonly status?: number;
  /** The server's own explanation, credentials scrubbed. */
  readonly upstreamMessage?: string;
  /** Per-field reasons the server gave (e.g. Proxmox `errors`), credentials scrubbed. */
  readonly details?: Readonly<Record<string, string>>;
  /** The underlying error (socket, TLS, abort). */
  readonly cause?: unknown;
}

/**
 * Base class of every failure a client reports: which request (method, redacted path), the HTTP status when a response
 * arrived, and the server's message. Credentials are redacted before anything is stored here.
 */
export class HttpError extends Error {
  /** HTTP status, `undefined` when no response arrived (timeout, connection failure, abort). */
  readonly status: number | undefined;
  /** The request, credentials redacted. */
  readonly request: RedactedRequest;
  /** The server's own message, if it sent one. */
  readonly upstreamMessage: string | undefined;
  /** Per-field reasons the server gave, if any. */
  readonly details: Readonly<Record<string, string>> | undefined;

  /**
   * @param summary - What failed, in a few words (the method and path are added).
   * @param init - Request, status, upstream message and cause.
   */
  constructor(summary: string, init: HttpErrorInit) {
    const upstream = init.upstreamMessage ? `: ${init.upstreamMessage}` : '';
    const details = init.details
      ? ` (${Object.entries(init.details)
          .map(([field, reason]) => `${field}: ${reason}`)
          .join('; ')})`
      : '';
    super(`${init.request.method} ${init.request.path} ${summary}${upstream}${details}`, { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.request = init.request;
    this.upstreamMessage = init.upstreamMessage;
    this.details = init.details;
  }
}

/** The server refused the request as malformed or in conflict (4xx other than 401, 403, 404, 429). */
export class HttpRequestError extends HttpError {}

/** The server did not accept the credentials (401): wrong, expired or missing. */
export class HttpAuthenticationError extends HttpError {}

/** The credentials are valid but lack a privilege for this request (403). */
export class HttpPermissionError extends HttpError {}

/** The object or path does not exist (404, or 501 for an unknown API path). */
export class HttpNotFoundError extends HttpError {}

/** The server asked to slow down (429) and retries ran out. */
export class HttpRateLimitError extends HttpError {
  /** How long the server asked to wait, in milliseconds, when it said. */
  readonly retryAfterMs: number | undefined;

  /**
   * @param summary - What failed.
   * @param init - Request, status and message.
   * @param retryAfterMs - The server's `Retry-After`, in milliseconds.
   */
  constructor(summary: string, init: HttpErrorInit, retryAfterMs: number | undefined) {
    super(summary, init);
    this.retryAfterMs = retryAfterMs;
  }
}

/** The server failed (5xx) and the request was not retried or retries ran out. */
export class HttpServerError extends HttpError {}

/** No response within the request's timeout. */
export class HttpTimeoutError extends HttpError {}

/** The connection failed or was reset before a full response arrived. */
export class HttpConnectionError extends HttpError {}

/** TLS refused the server: untrusted certificate, wrong host name, or a pinned fingerprint that does not match. */
export class HttpTlsError extends HttpError {}

/** The caller's `AbortSignal` cancelled the request. */
export class HttpAbortError extends HttpError {}

/**
 * Picks the error class for an HTTP status.
 *
 * @param status - The response status (400–599).
 * @param init - Request, message and details.
 * @param retryAfterMs - The server's `Retry-After` for 429, in milliseconds.
 * @returns An error of the class matching the status.
 */
export function errorForStatus(status: number, init: HttpErrorInit, retryAfterMs?: number): HttpError {
  const summary = `failed with HTTP ${status}`;
  if (status === 401) return new HttpAuthenticationError(summary, init);
  if (status === 403) return new HttpPermissionError(summary, init);
  if (status === 404 || status === 501) return new HttpNotFoundError(summary, init);
  if (status === 429) return new HttpRateLimitError(summary, init, retryAfterMs);
  if (status >= 500) return new HttpServerError(summary, init);
  return new HttpRequestError(summary, init);
}
