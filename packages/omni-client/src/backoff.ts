/**
 * Exponential backoff with jitter, the one spacing of retries in the SDK: the Omni client's retries and watch
 * restarts use it, and `@talos-sdk/topology`'s HTTP clients import it from here. Loads no other module, so an HTTP
 * client that imports it does not load gRPC or OpenPGP.
 *
 * @module
 */

/** The first backoff step and the cap, in milliseconds. */
export interface BackoffSteps {
  /** First backoff step; doubles each retry. */
  readonly baseDelayMs: number;
  /** Longest backoff. */
  readonly maxDelayMs: number;
}

/**
 * The longest wait before retry number `attempt` (0 for the first retry): the base doubled per attempt, capped.
 *
 * @param attempt - Which retry this is, from 0.
 * @param steps - The first step and the cap.
 * @returns Milliseconds.
 */
export function backoffCeiling(attempt: number, steps: BackoffSteps): number {
  return Math.min(steps.maxDelayMs, steps.baseDelayMs * 2 ** attempt);
}

/**
 * The wait before retry number `attempt` (0 for the first retry): exponential, capped, with "equal jitter" so
 * clients that failed together do not come back together, and never zero.
 *
 * @param attempt - Which retry this is, from 0.
 * @param steps - The first step and the cap.
 * @param random - A source of numbers in [0, 1).
 * @returns Milliseconds to wait.
 */
export function backoffDelay(attempt: number, steps: BackoffSteps, random: () => number): number {
  const ceiling = backoffCeiling(attempt, steps);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
