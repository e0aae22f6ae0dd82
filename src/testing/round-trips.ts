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
  /** When the answer (or the refusal) was sent: for a stream, its last message, or its end when it sent none. */
  readonly endedAt: number;
  /** What was asked, as the emulator names it (e.g. `GET /api2/json/version`, an SSH command), when it says. */
  readonly label?: string;
}

/** Counts an emulator's round trips and keeps when each one started and ended. */
export class RoundTripLog {
  readonly #trips: RoundTrip[] = [];
  #count = 0;

  /** How many round trips started (finished or not). */
  get count(): number {
    return this.#count;
  }

  /** The round trips that finished, in the order their ends were recorded. */
  get trips(): readonly RoundTrip[] {
    return this.#trips;
  }

  /**
   * Counts a round trip starting now.
   *
   * @param label - What was asked, kept with the round trip for timelines.
   * @returns Call it when the answer is sent (or later, with when it was sent: a stream's last message); later calls
   *   are ignored.
   */
  start(label?: string): (answeredAt?: number) => void {
    this.#count++;
    const startedAt = performance.now();
    let ended = false;
    return (answeredAt) => {
      if (ended) return;
      ended = true;
      const endedAt = answeredAt ?? performance.now();
      this.#trips.push({ startedAt, endedAt, ...(label === undefined ? {} : { label }) });
    };
  }

  /** Forgets every round trip so far. */
  reset(): void {
    this.#count = 0;
    this.#trips.length = 0;
  }
}

/**
 * The longest chain of round trips in which each one started after the one before it had answered: the latencies a
 * client waited one after the other, however many requests it sent side by side. Of several chains of that length,
 * the one that ends first.
 *
 * @param trips - Round trips, in any order (e.g. {@link RoundTripLog.trips} of one or more emulators).
 * @returns The chain, in order; empty for none.
 */
export function longestRoundTripChain(trips: readonly RoundTrip[]): RoundTrip[] {
  const byEnd = [...trips].sort((a, b) => a.endedAt - b.endedAt);
  // For the first i + 1 trips by end: the longest chain's length and last trip (bestLength[i], bestLast[i]); and for
  // each trip, the trip before it in the longest chain ending with it. The trips that answered before one started
  // are a prefix of byEnd, found by binary search.
  const bestLength: number[] = [];
  const bestLast: number[] = [];
  const previous: number[] = [];
  for (const [index, trip] of byEnd.entries()) {
    let low = 0;
    let high = index;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (byEnd[middle]!.endedAt <= trip.startedAt) low = middle + 1;
      else high = middle;
    }
    const length = 1 + (low > 0 ? bestLength[low - 1]! : 0);
    previous.push(low > 0 ? bestLast[low - 1]! : -1);
    const keep = index > 0 && bestLength[index - 1]! >= length;
    bestLength.push(keep ? bestLength[index - 1]! : length);
    bestLast.push(keep ? bestLast[index - 1]! : index);
  }
  const chain: RoundTrip[] = [];
  for (let at = bestLast.at(-1) ?? -1; at >= 0; at = previous[at]!) chain.unshift(byEnd[at]!);
  return chain;
}

/**
 * How many round trips the client waited for one after the other: the length of {@link longestRoundTripChain}.
 *
 * @param trips - Round trips, in any order (e.g. {@link RoundTripLog.trips} of one or more emulators).
 * @returns The chain's length; 0 for none.
 */
export function sequentialRoundTrips(trips: readonly RoundTrip[]): number {
  return longestRoundTripChain(trips).length;
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
