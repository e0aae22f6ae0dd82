import type { ArtifactSet } from '../../generators/artifact.js';
import type { Plan } from '../../plan/change.js';
import type { UnifiClient } from './client.js';
import type { UnifiPlanOptions } from './steps.js';
import { buildUnifiSteps } from './steps.js';

/**
 * Compares the UniFi artifacts (static DNS records, static routes) with the console. Reads only.
 *
 * @param set - The artifact set.
 * @param client - A client for the console.
 * @param options - Prune override and signal.
 * @returns The plan; records and routes the SDK does not own are listed as unmanaged.
 *
 * @example
 * ```ts
 * const plan = await planUnifi(await readArtifactSet('out'), client);
 * process.stdout.write(formatPlan(plan));
 * ```
 */
export async function planUnifi(set: ArtifactSet, client: UnifiClient, options: UnifiPlanOptions = {}): Promise<Plan> {
  return (await buildUnifiSteps(set, client, options)).plan;
}
