/**
 * The apply loop the HTTP targets share: plan, run what is to do, and after a failed or unanswered write read the live
 * system again instead of repeating the write blindly.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Change, Plan } from '../plan/change.js';
import {
  HttpAbortError,
  HttpAuthenticationError,
  HttpError,
  HttpPermissionError,
  HttpTlsError,
} from './http/errors.js';
import { backoffCeiling } from './http/retry.js';

/** One planned change and what applying it does. */
export interface RoundStep<C> {
  /** The change as the plan shows it. */
  readonly change: Change;
  /** Apply order: lower phases first. */
  readonly phase: number;
  /** Performs the change; absent when there is nothing to do (or nothing without consent). */
  readonly run?: (client: C, signal: AbortSignal | undefined) => Promise<void>;
}

/** Rounds, backoff and cancellation of {@link applyInRounds}. */
export interface RoundOptions {
  /** How many times the live system is read and what is still to do is run. Defaults to 6. */
  readonly rounds?: number;
  /** Wait before the second round in milliseconds; doubles each round up to 8 s. Defaults to 500. */
  readonly roundDelayMs?: number;
  /** Cancels the requests and the waits. */
  readonly signal?: AbortSignal | undefined;
}

/** What {@link applyInRounds} did. */
export interface RoundsResult<S> {
  /** The first plan. */
  readonly plan: Plan;
  /** Changes that took effect, in order. */
  readonly applied: readonly Change[];
  /** The steps of the last plan (e.g. to list what was held for consent). */
  readonly steps: readonly S[];
}

/** Errors no read-back can cure: not an HTTP error at all, the caller aborted, TLS, or the credentials are refused. */
function isFatal(error: unknown): boolean {
  return (
    !(error instanceof HttpError) ||
    error instanceof HttpAbortError ||
    error instanceof HttpTlsError ||
    error instanceof HttpAuthenticationError ||
    error instanceof HttpPermissionError
  );
}

/** A 4xx answer: the server refused the request itself (unlike 5xx, 429, timeouts and lost connections). */
function isRefusal(error: HttpError): boolean {
  return error.status !== undefined && error.status >= 400 && error.status < 500 && error.status !== 429;
}

const changeKey = (change: Change): string => `${change.kind} ${change.id}`;

/**
 * Plans, runs the steps by phase, and when a write fails or goes unanswered (it may still have taken effect) plans
 * again: a change that is gone from the new plan or now a no-op took effect and counts as applied; one still to do
 * is run again only when the failure was no refusal (4xx), with backoff, for a bounded number of rounds. Every object
 * must have a stable identity (`kind id`) across plans for this to hold.
 *
 * @param plan - Reads the live system and returns the plan and its steps.
 * @param client - Passed to each step.
 * @param options - Rounds, backoff and signal.
 * @returns The first plan, the applied changes and the last steps.
 * @throws Fatal errors (not HTTP, abort, TLS, credentials) at once; a refusal of a change still to do; or the last
 *   error when the rounds run out.
 */
export async function applyInRounds<C, S extends RoundStep<C>>(
  plan: () => Promise<{ readonly plan: Plan; readonly steps: readonly S[] }>,
  client: C,
  options: RoundOptions,
): Promise<RoundsResult<S>> {
  const rounds = options.rounds ?? 6;
  let firstPlan: Plan | undefined;
  const applied: Change[] = [];
  let failed = new Map<string, { change: Change; error: HttpError }>();
  for (let round = 1; ; round++) {
    let built;
    try {
      built = await plan();
    } catch (error) {
      if (isFatal(error) || round >= rounds) throw error;
      await pause(round, options);
      continue;
    }
    firstPlan ??= built.plan;
    const planned = new Map(built.steps.map((step) => [changeKey(step.change), step]));
    const pending = new Map([...planned].filter(([, step]) => step.run));
    for (const [key, { change, error }] of failed) {
      // Gone from the plan (a delete) or nothing left to do: the write took effect although its answer said otherwise.
      const now = planned.get(key)?.change.action;
      if (now === undefined || now === 'no-op') applied.push(change);
      else if (pending.has(key) && isRefusal(error)) throw error;
    }
    failed = new Map();
    for (const step of [...pending.values()].sort((a, b) => a.phase - b.phase)) {
      try {
        await step.run!(client, options.signal);
        applied.push(step.change);
      } catch (error) {
        if (isFatal(error) || round >= rounds) throw error;
        failed.set(changeKey(step.change), { change: step.change, error: error as HttpError });
      }
    }
    if (failed.size === 0) return { plan: firstPlan, applied, steps: built.steps };
    await pause(round, options);
  }
}

async function pause(round: number, options: RoundOptions): Promise<void> {
  const delay = backoffCeiling(round - 1, { baseDelayMs: options.roundDelayMs ?? 500, maxDelayMs: 8_000 });
  await sleep(delay, undefined, options.signal ? { signal: options.signal } : {});
}
