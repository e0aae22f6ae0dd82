/**
 * Retry with exponential backoff and full jitter, for calls that are safe to send again.
 *
 * @module
 */
import { isTransientOmniError } from './errors.js';

/** How transient failures (`Unavailable`, `DeadlineExceeded`) are retried. */
export interface RetryOptions {
  /** Total attempts including the first; `1` disables retries. Defaults to 5. */
  readonly attempts?: number;
  /** Backoff before the second attempt, doubled each time. Defaults to 50 ms. */
  readonly baseDelayMs?: number;
  /** Upper bound of one backoff. Defaults to 2,000 ms. */
  readonly maxDelayMs?: number;
}

/** {@link RetryOptions} with every default filled in. */
export type RetryPolicy = Required<RetryOptions>;

/**
 * Fills in retry defaults.
 *
 * @param options - Caller's options.
 * @returns The complete policy.
 */
export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  return {
    attempts: Math.max(1, options.attempts ?? 5),
    baseDelayMs: options.baseDelayMs ?? 50,
    maxDelayMs: options.maxDelayMs ?? 2_000,
  };
}

/**
 * The pause before a retry: a random time up to `min(max, base * 2^(attempt-1))`.
 *
 * @param policy - The policy.
 * @param attempt - The attempt that just failed, from 1.
 * @returns Milliseconds to wait.
 */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

/**
 * Runs `attempt` until it succeeds, a non-transient error occurs or the attempts are used up. Only for calls that
 * are safe to repeat (reads, teardown) or whose callers reconcile a repeated effect themselves.
 *
 * @param policy - The retry policy.
 * @param attempt - The call; receives the attempt number from 1.
 * @param onRetry - Told about each transient failure that will be retried.
 * @returns What the call returned.
 * @throws The last error.
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  attempt: (attemptNumber: number) => Promise<T>,
  onRetry: (error: unknown) => void = () => undefined,
): Promise<T> {
  for (let number = 1; ; number++) {
    try {
      return await attempt(number);
    } catch (error) {
      if (!isTransientOmniError(error) || number >= policy.attempts) throw error;
      onRetry(error);
      await sleep(backoffMs(policy, number));
    }
  }
}

/**
 * Resolves after a pause.
 *
 * @param ms - Milliseconds.
 * @returns A promise that resolves after `ms`.
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
