/**
 * The HTTP core every target client shares: one undici agent per target, verified or pinned TLS, timeouts, retries
 * with jittered backoff, and error classes that never hold credentials.
 *
 * @module @talos-sdk/topology/http
 */
export type {
  HttpClientOptions,
  HttpClientStats,
  HttpMethod,
  HttpRequestOptions,
  HttpResponse,
  UpstreamError,
} from './client.js';
export type { IssuedAccessToken } from './access-token.js';
export { AccessTokenCache } from './access-token.js';
export { HttpClient, describeCommonError } from './client.js';
export type { Environment } from './env.js';
export { readSecretFromEnv, tlsOptionsFromEnv } from './env.js';
export type { HttpErrorInit, RedactedRequest } from './errors.js';
export {
  HttpAbortError,
  HttpAuthenticationError,
  HttpConnectionError,
  HttpError,
  HttpNotFoundError,
  HttpPermissionError,
  HttpRateLimitError,
  HttpRequestError,
  HttpServerError,
  HttpTimeoutError,
  HttpTlsError,
  errorForStatus,
} from './errors.js';
export type { Logger } from './logger.js';
export { processWarningLogger } from './logger.js';
export { REDACTED, SecretScrubber, isSecretHeader, redactBody, redactHeaders, redactPath } from './redact.js';
export type { ResolvedRetryOptions, RetryOptions } from './retry.js';
export { backoffDelay, parseRetryAfter, resolveRetryOptions } from './retry.js';
export type { TlsOptions } from './tls.js';
export { CertificatePinMismatchError, createTlsAgent, normalizeFingerprint } from './tls.js';
