import type { ArtifactSet } from '../../generators/artifact.js';
import type { Change, Plan } from '../../plan/change.js';
import { applyInRounds } from '../apply-rounds.js';
import type { TailscaleClient } from './client.js';
import type { TailscalePlanOptions } from './steps.js';
import { buildTailscaleSteps } from './steps.js';

/** Options of {@link applyTailscale}. */
export interface TailscaleApplyOptions extends TailscalePlanOptions {
  /**
   * How many times apply reads the tailnet and runs what is still to do, when a write failed or went unanswered.
   * Defaults to 6.
   */
  readonly rounds?: number;
  /** Wait before the second round in milliseconds; doubles each round up to 8 s. Defaults to 500. */
  readonly roundDelayMs?: number;
}

/** What {@link applyTailscale} did. */
export interface TailscaleApplyResult {
  /** The plan it worked from (read fresh from the tailnet). */
  readonly plan: Plan;
  /** Changes that took effect, in order. */
  readonly applied: readonly Change[];
  /** Changes left for a person; always empty (nothing here waits for consent). */
  readonly skipped: readonly Change[];
}

/**
 * Plans and applies the Tailscale artifacts: the policy file (merged, validated, written with `If-Match`), the
 * sidecars' nodes (tags, key expiry, Omni's IPv4), then with
 * `mintAuthKeys` the auth keys of sidecars still to join.
 *
 * A write that fails or goes unanswered may still have taken effect, so apply never repeats it blindly: it reads the
 * tailnet again (a node is found by its host name, a key the SDK minted by its description), counts what took effect
 * as applied and runs only what is still to do, with backoff, for a bounded number of rounds. A key created without
 * an answer is deleted on the next round before the one kept is created, so faults never leave two live keys for one
 * sidecar. A refusal (4xx) of a change the read-back still shows as to do ends the apply, and so does an address
 * held by another node (`TailscaleAddressConflictError`). Running it again finds nothing to do.
 *
 * Round trips: those of the plan (see `buildTailscaleSteps`), then one to three requests per node to change and two
 * or more per key to mint; each further round adds the plan's reads.
 *
 * @param set - The artifact set.
 * @param client - A client for the tailnet.
 * @param options - Auth-key minting, output folder, rounds and signal.
 * @returns The first plan and the applied changes.
 * @throws HTTP errors: fatal ones (abort, TLS, credentials) at once; a refusal; or the last error when the rounds
 *   run out. `TailscaleAddressConflictError` naming the node that holds Omni's address. Earlier steps stay applied and
 *   a new plan shows what is left.
 *
 * @example
 * ```ts
 * import { readArtifactSet } from '@talos-sdk/topology';
 * import { TailscaleClient, applyTailscale, tailscaleOptionsFromEnv } from '@talos-sdk/topology/tailscale';
 *
 * const { url, tailnet, credentials, tls } = tailscaleOptionsFromEnv();
 * const client = new TailscaleClient({ url, tailnet, credentials, tls });
 * const { applied } = await applyTailscale(await readArtifactSet('out'), client, { mintAuthKeys: true, outDir: 'out' });
 * console.log(`applied ${applied.length}`);
 * await client.close();
 * ```
 */
export async function applyTailscale(
  set: ArtifactSet,
  client: TailscaleClient,
  options: TailscaleApplyOptions = {},
): Promise<TailscaleApplyResult> {
  const { plan, applied } = await applyInRounds(() => buildTailscaleSteps(set, client, options), client, options);
  return { plan, applied, skipped: [] };
}
