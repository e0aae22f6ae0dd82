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
 * import { formatPlan, readArtifactSet } from '@talos-sdk/topology';
 * import { UnifiClient, planUnifi, unifiOptionsFromEnv } from '@talos-sdk/topology/unifi';
 *
 * const { url, credentials, tls } = unifiOptionsFromEnv(); // UNIFI_URL, API key or login, CA or fingerprint
 * const client = new UnifiClient({ url, credentials, tls });
 * console.log(formatPlan(await planUnifi(await readArtifactSet('out'), client)));
 * await client.close();
 * ```
 */
export async function planUnifi(set: ArtifactSet, client: UnifiClient, options: UnifiPlanOptions = {}): Promise<Plan> {
  return (await buildUnifiSteps(set, client, options)).plan;
}
