/**
 * The round trips an emulator served, for tests and benchmarks that count requests or measure which of them ran one
 * after another. Every emulator keeps one: HTTPS requests, Omni gRPC calls, SSH `exec` and SFTP requests.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** One round trip: when the request reached the emulator and when its answer was sent (`performance.now()`, ms). */
export interface RoundTrip {
  /** When the request arrived, before any injected latency. */
  readonly startedAt: number;
  /** When the answer (or the refusal, or the end of a stream) was sent. */
  readonly endedAt: number;
}

/** Counts an emulator's round trips and keeps when each one started and ended. */
export class RoundTripLog {
  readonly #trips: RoundTrip[] = [];
  #count = 0;

  /** How many round trips started (finished or not). */
  get count(): number {
    return this.#count;
  }

  /** The round trips that finished, in the order they finished. */
  get trips(): readonly RoundTrip[] {
    return this.#trips;
  }

  /**
   * Counts a round trip starting now.
   *
   * @returns Call it when the answer is sent; later calls are ignored.
   */
  start(): () => void {
    this.#count++;
    const startedAt = performance.now();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#trips.push({ startedAt, endedAt: performance.now() });
    };
  }

  /** Forgets every round trip so far. */
  reset(): void {
    this.#count = 0;
    this.#trips.length = 0;
  }
}

/**
 * The longest chain of round trips in which each one started after the one before it had answered: how many
 * latencies a client waited one after the other, however many requests it sent side by side.
 *
 * @param trips - Round trips, in any order (e.g. {@link RoundTripLog.trips} of one or more emulators).
 * @returns The chain's length; 0 for none.
 */
export function sequentialRoundTrips(trips: readonly RoundTrip[]): number {
  const byEnd = [...trips].sort((a, b) => a.endedAt - b.endedAt);
  // longest[i]: the longest chain among the first i + 1 trips by end. The trips that answered before one started are
  // a prefix of byEnd, found by binary search.
  const longest: number[] = [];
  for (const [index, trip] of byEnd.entries()) {
    let low = 0;
    let high = index;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (byEnd[middle]!.endedAt <= trip.startedAt) low = middle + 1;
      else high = middle;
    }
    const chain = 1 + (low > 0 ? longest[low - 1]! : 0);
    longest.push(Math.max(chain, index > 0 ? longest[index - 1]! : 0));
  }
  return longest.at(-1) ?? 0;
}

/**
 * Waits the injected latency of one round trip: the time a request and its answer spend on a slow network, which the
 * emulators add before they handle a request.
 *
 * @param latencyMs - Milliseconds; nothing is awaited for 0 or `undefined`.
 */
export async function injectLatency(latencyMs: number | undefined): Promise<void> {
  if (latencyMs && latencyMs > 0) await sleep(latencyMs);
}
