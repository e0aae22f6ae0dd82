export { backoffCeiling, backoffDelay } from '@talos-sdk/omni-client/backoff';

/** When and how long a client waits before trying a request again. */
export interface RetryOptions {
  /** Retries after the first attempt. Defaults to 3. */
  readonly retries?: number;
  /** First backoff step in milliseconds; doubles each retry. Defaults to 200. */
  readonly baseDelayMs?: number;
  /** Longest backoff in milliseconds. Defaults to 5 000. */
  readonly maxDelayMs?: number;
  /** Longest `Retry-After` honoured, in milliseconds; a longer one fails at once. Defaults to 60 000. */
  readonly maxRetryAfterMs?: number;
}

/** {@link RetryOptions} with every default filled in. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/**
 * Fills in the defaults of retry options.
 *
 * @param options - The caller's options.
 * @returns Complete options.
 */
export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  return {
    retries: options.retries ?? 3,
    baseDelayMs: options.baseDelayMs ?? 200,
    maxDelayMs: options.maxDelayMs ?? 5_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
  };
}

/**
 * Reads a `Retry-After` header: delay seconds or an HTTP date.
 *
 * @param value - The header value, if any.
 * @param now - The current time in milliseconds since the epoch.
 * @returns Milliseconds to wait, or `undefined` when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
