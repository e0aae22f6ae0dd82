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
 * The longest wait before retry number `attempt` (0 for the first retry): the base doubled per attempt, capped.
 *
 * @param attempt - Which retry this is, from 0.
 * @param options - The first step and the cap.
 * @returns Milliseconds.
 */
export function backoffCeiling(
  attempt: number,
  options: Pick<ResolvedRetryOptions, 'baseDelayMs' | 'maxDelayMs'>,
): number {
  return Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
}

/**
 * The wait before retry number `attempt` (0 for the first retry): exponential, capped, with "equal jitter" so
 * clients that failed together do not come back together, and never zero.
 *
 * @param attempt - Which retry this is, from 0.
 * @param options - Resolved retry options.
 * @param random - A source of numbers in [0, 1).
 * @returns Milliseconds to wait.
 */
export function backoffDelay(attempt: number, options: ResolvedRetryOptions, random: () => number): number {
  const ceiling = backoffCeiling(attempt, options);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
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
