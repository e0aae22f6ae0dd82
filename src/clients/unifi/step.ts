import type { Change } from '../../plan/change.js';
import type { UnifiClient } from './client.js';

/** One planned change with what applying it does. */
export interface UnifiStep {
  /** The change as the plan shows it. */
  readonly change: Change;
  /** Apply order: creates and updates first, DNS deletes, then route deletes. */
  readonly phase: number;
  /** Performs the change; absent for `no-op` and for an `adopt` without consent. */
  readonly run?: (client: UnifiClient, signal: AbortSignal | undefined) => Promise<void>;
  /** `true` for a change left for a person: an `adopt` planned without the `adopt` option. */
  readonly held?: boolean;
}

/**
 * The request options of one call: the signal, when there is one.
 *
 * @param signal - Cancels the request.
 * @returns `{ signal }` or `{}`.
 */
export function withSignal(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}
