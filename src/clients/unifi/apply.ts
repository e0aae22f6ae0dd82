import type { ArtifactSet } from '../../generators/artifact.js';
import type { Change, Plan } from '../../plan/change.js';
import { applyInRounds } from '../apply-rounds.js';
import type { UnifiClient } from './client.js';
import type { UnifiPlanOptions } from './steps.js';
import { buildUnifiSteps } from './steps.js';

/** Options of {@link applyUnifi}. */
export interface UnifiApplyOptions extends UnifiPlanOptions {
  /**
   * How many times apply reads the console and runs what is still to do, when a write failed or went unanswered.
   * Defaults to 6.
   */
  readonly rounds?: number;
  /** Wait before the second round in milliseconds; doubles each round up to 8 s. Defaults to 500. */
  readonly roundDelayMs?: number;
}

/** What {@link applyUnifi} did. */
export interface UnifiApplyResult {
  /** The plan it worked from (read fresh from the console). */
  readonly plan: Plan;
  /** Changes that took effect, in order: creates and updates, then deletes. */
  readonly applied: readonly Change[];
  /** Changes left for a person: `adopt` without the `adopt` option. */
  readonly skipped: readonly Change[];
}

/**
 * Plans and applies the UniFi artifacts: creates and updates the declared records and routes (renaming routes of the
 * pre-topology prefix), then deletes owned routes no longer declared and (with prune) undeclared A/AAAA/CNAME records
 * in the zone. `adopt` changes run only with the `adopt` option, otherwise they are returned as skipped.
 *
 * A write that fails or goes unanswered may still have taken effect, so apply never repeats it blindly: it reads the
 * console again (every object has a stable identity: route name, record name and type), counts what took effect as
 * applied and runs only what is still to do, with backoff, for a bounded number of rounds. A refusal (4xx) of a change
 * that the read-back still shows as to do ends the apply. Running it again finds nothing to do.
 *
 * Round trips: one `GET` of the records and one of the routes (concurrently; plus one login with a session), then one
 * request per change (two for a record replaced by delete + create); each further round adds the two `GET`s.
 *
 * @param set - The artifact set.
 * @param client - A client for the console.
 * @param options - Prune and adopt consent, rounds and signal.
 * @returns The first plan, the applied changes and the skipped ones.
 * @throws HTTP errors: fatal ones (abort, TLS, credentials) at once; a refusal; or the last error when the rounds
 *   run out. Earlier steps stay applied and a new plan shows what is left.
 *
 * @example
 * ```ts
 * import { readArtifactSet } from '@talos-sdk/topology';
 * import { UnifiClient, applyUnifi, unifiOptionsFromEnv } from '@talos-sdk/topology/unifi';
 *
 * const { url, credentials, tls } = unifiOptionsFromEnv();
 * const client = new UnifiClient({ url, credentials, tls });
 * const { applied, skipped } = await applyUnifi(await readArtifactSet('out'), client, { prune: true });
 * console.log(`applied ${applied.length}, skipped ${skipped.length} (adopt them with { adopt: true })`);
 * await client.close();
 * ```
 */
export async function applyUnifi(
  set: ArtifactSet,
  client: UnifiClient,
  options: UnifiApplyOptions = {},
): Promise<UnifiApplyResult> {
  const { plan, applied, steps } = await applyInRounds(() => buildUnifiSteps(set, client, options), client, options);
  return { plan, applied, skipped: steps.filter((step) => step.held).map((step) => step.change) };
}
