import type { ArtifactSet } from '../../generators/artifact.js';
import type { Plan } from '../../plan/change.js';
import type { TailscaleClient } from './client.js';
import type { TailscalePlanOptions } from './steps.js';
import { buildTailscaleSteps } from './steps.js';

/**
 * Compares the Tailscale artifacts (the sidecars' nodes, and with `mintAuthKeys` their auth keys) with the tailnet.
 * Reads only: no key is created and no `.env` written.
 *
 * @param set - The artifact set.
 * @param client - A client for the tailnet.
 * @param options - Auth-key minting, output folder, signal.
 * @returns The plan; stale nodes with a sidecar's host name, and nodes with its tags, are listed as unmanaged.
 *
 * @example
 * ```ts
 * import { formatPlan, readArtifactSet } from '@talos-sdk/topology';
 * import { TailscaleClient, planTailscale, tailscaleOptionsFromEnv } from '@talos-sdk/topology/tailscale';
 *
 * const { url, tailnet, credentials, tls } = tailscaleOptionsFromEnv();
 * const client = new TailscaleClient({ url, tailnet, credentials, tls });
 * console.log(formatPlan(await planTailscale(await readArtifactSet('out'), client)));
 * await client.close();
 * ```
 */
export async function planTailscale(
  set: ArtifactSet,
  client: TailscaleClient,
  options: TailscalePlanOptions = {},
): Promise<Plan> {
  return (await buildTailscaleSteps(set, client, options)).plan;
}
