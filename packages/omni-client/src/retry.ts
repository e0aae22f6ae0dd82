/**
 * Retry of transient gRPC failures, for calls that are safe to send again or whose repeat can be reconciled. The
 * backoff is {@link backoffDelay}, the one the SDK's HTTP clients use too, so every client spaces its retries the same way.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BackoffSteps } from './backoff.js';
import { backoffDelay } from './backoff.js';
import { isTransientOmniError } from './errors.js';

/** How transient failures (`Unavailable`, `DeadlineExceeded`) are retried. */
export interface RetryOptions {
  /** Total attempts including the first; `1` disables retries. Defaults to 5. */
  readonly attempts?: number;
  /** Backoff step before the second attempt, doubled each time (with jitter). Defaults to 50 ms. */
  readonly baseDelayMs?: number;
  /** Upper bound of one backoff. Defaults to 2,000 ms. */
  readonly maxDelayMs?: number;
}

/** {@link RetryOptions} with every default filled in, counted as retries after the first attempt. */
export interface RetryPolicy extends BackoffSteps {
  /** Retries after the first attempt. */
  readonly retries: number;
}

/**
 * Fills in the Omni retry defaults (`retries` = attempts after the first).
 *
 * @param options - Caller's options.
 * @returns The complete policy.
 */
export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  return {
    retries: Math.max(1, options.attempts ?? 5) - 1,
    baseDelayMs: options.baseDelayMs ?? 50,
    maxDelayMs: options.maxDelayMs ?? 2_000,
  };
}

/** What {@link withRetry} tells and asks its caller. */
interface RetryHooks<T> {
  /** Told about each transient failure that will be retried. */
  readonly onRetry?: (error: unknown) => void;
  /**
   * Reconcile on repeat: called when an attempt after a transient failure fails, since the failed attempt may have
   * taken effect (e.g. `AlreadyExists` after a create whose response was lost). Returns the outcome to use (a
   * promise that may reject), or `undefined` when the error is not one it settles.
   */
  readonly reconcile?: (error: unknown) => Promise<T> | undefined;
}

/**
 * Runs `attempt` until it succeeds, a non-transient error occurs or the attempts are used up. Only for calls that
 * are safe to repeat (reads, teardown) or whose repeated effect `hooks.reconcile` settles.
 *
 * @param policy - The retry policy, from {@link retryPolicy}.
 * @param attempt - The call.
 * @param hooks - Retry notification and reconciliation of a repeated call.
 * @returns What the call (or the reconciliation) returned.
 * @throws The last error.
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  attempt: () => Promise<T>,
  hooks: RetryHooks<T> = {},
): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      const settled = retry > 0 ? hooks.reconcile?.(error) : undefined;
      if (settled) return settled;
      if (!isTransientOmniError(error) || retry >= policy.retries) throw error;
      hooks.onRetry?.(error);
      await sleep(backoffDelay(retry, policy, Math.random));
    }
  }
}
