import type { Change } from '../../plan/change.js';
import type { TailscaleClient } from './client.js';

/**
 * Apply order. The policy comes first: a tag can be set on a node or an auth key only once the policy's `tagOwners`
 * defines it (the API refuses "requested tags … are invalid or not permitted" otherwise); then the nodes; then the
 * auth keys of nodes still to join.
 */
export const TAILSCALE_PHASES: {
  /** The policy file. */
  readonly policy: 1;
  /** The sidecars' nodes. */
  readonly devices: 2;
  /** Auth keys for sidecars still to join. */
  readonly authKeys: 3;
} = { policy: 1, devices: 2, authKeys: 3 };

/** One planned change with what applying it does. */
export interface TailscaleStep {
  /** The change as the plan shows it. */
  readonly change: Change;
  /** Apply order, one of {@link TAILSCALE_PHASES}. */
  readonly phase: number;
  /** Performs the change; absent for `no-op`. */
  readonly run?: (client: TailscaleClient, signal: AbortSignal | undefined) => Promise<void>;
}
