import type { ArtifactSet } from '../../generators/artifact.js';
import type { Plan } from '../../plan/change.js';
import type { ProxmoxClient } from './client.js';
import type { ProxmoxPlanOptions } from './step.js';
import { buildProxmoxSteps } from './steps.js';

/**
 * Compares the Proxmox artifacts of one cluster (containers, VMs, provider role/user/token/ACLs, storage) with the
 * live cluster. Reads only; the plan never contains a secret.
 *
 * @param set - The artifact set.
 * @param client - A client for the cluster.
 * @param options - Cluster, token secret destination (for the note), signal.
 * @returns The plan: one change per object, root@pam-only steps as their own changes with a note.
 * @throws {@link ProxmoxPreconditionError} when storage or nodes cannot hold what the artifacts ask for.
 *
 * @example
 * ```ts
 * import { formatPlan, readArtifactSet } from '@talos-sdk/topology';
 * import { ProxmoxClient, planProxmox, proxmoxOptionsFromEnv } from '@talos-sdk/topology/proxmox';
 *
 * const { url, credentials, tls } = proxmoxOptionsFromEnv(); // PROXMOX_URL, token or root password, CA or fingerprint
 * const client = new ProxmoxClient({ url, credentials, tls });
 * const plan = await planProxmox(await readArtifactSet('out'), client, { cluster: 'matrix' });
 * console.log(formatPlan(plan));
 * await client.close();
 * ```
 */
export async function planProxmox(
  set: ArtifactSet,
  client: ProxmoxClient,
  options: ProxmoxPlanOptions = {},
): Promise<Plan> {
  return (await buildProxmoxSteps(set, client, options)).plan;
}
