import type { ArtifactSet } from '../../generators/artifact.js';
import type { Change, Plan } from '../../plan/change.js';
import type { UnifiClient } from './client.js';
import type { UnifiPlanOptions } from './steps.js';
import { buildUnifiSteps } from './steps.js';

/** What {@link applyUnifi} did. */
export interface UnifiApplyResult {
  /** The plan it worked from (read fresh from the console). */
  readonly plan: Plan;
  /** Changes applied, in order: creates and updates, then deletes. */
  readonly applied: readonly Change[];
}

/**
 * Plans and applies the UniFi artifacts: creates and updates the declared records and routes, then deletes owned
 * routes no longer declared and (with prune) undeclared A/AAAA/CNAME records in the zone. Running it again finds
 * nothing to do.
 *
 * @param set - The artifact set.
 * @param client - A client for the console.
 * @param options - Prune override and signal.
 * @returns The plan and the applied changes.
 * @throws HTTP errors from the step that failed; earlier steps stay applied and a new plan shows what is left.
 */
export async function applyUnifi(
  set: ArtifactSet,
  client: UnifiClient,
  options: UnifiPlanOptions = {},
): Promise<UnifiApplyResult> {
  const { plan, steps } = await buildUnifiSteps(set, client, options);
  const applied: Change[] = [];
  for (const step of [...steps].sort((a, b) => a.phase - b.phase)) {
    if (!step.run) continue;
    await step.run(client, options.signal);
    applied.push(step.change);
  }
  return { plan, applied };
}
