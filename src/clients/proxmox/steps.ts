import type { ArtifactSet } from '../../generators/artifact.js';
import type { Plan, UnmanagedObject } from '../../plan/change.js';
import { createPlan } from '../../plan/change.js';
import { accessSteps } from './access-steps.js';
import { readProxmoxArtifacts } from './artifacts.js';
import type { ProxmoxClient } from './client.js';
import { ProxmoxPreconditionError } from './errors.js';
import { guestSteps } from './guest-steps.js';
import { undeclaredTaggedGuests } from './tagged-guests.js';
import { readClusterInventory } from './inventory.js';
import type { ProxmoxPlanOptions, ProxmoxStep } from './step.js';
import { checkGuestPlacement, checkStorage } from './storage-check.js';
import { checkVersionGates } from './version-gates.js';
import { checkSourceVolumes } from './volume-check.js';

/** The plan for a cluster and the steps behind its changes. */
interface ProxmoxSteps {
  /** The plan: one change per step, plus live objects left alone. */
  readonly plan: Plan;
  /** The steps, unordered. */
  readonly steps: readonly ProxmoxStep[];
}

/**
 * Reads the live cluster and works out, per artifact object, what applying would do: storage checks, provider access,
 * then guests. `planProxmox` returns the plan; `applyProxmox` runs the steps.
 *
 * @param set - The artifact set.
 * @param client - A connected client.
 * @param options - Cluster, token secret destination, signal.
 * @returns The plan and its steps.
 * @throws {@link ProxmoxPreconditionError} when storage or nodes cannot hold what the artifacts ask for, a new
 *   guest's template, import image or ISO is not on its storage, or the cluster's release lacks a feature they use.
 */
export async function buildProxmoxSteps(
  set: ArtifactSet,
  client: ProxmoxClient,
  options: ProxmoxPlanOptions,
): Promise<ProxmoxSteps> {
  const artifacts = readProxmoxArtifacts(set, options.cluster);
  const inventory = await readClusterInventory(client, options.signal);

  const steps: ProxmoxStep[] = [];
  const unmanaged: UnmanagedObject[] = [];
  const problems: string[] = [];
  for (const access of artifacts.access) {
    for (const storage of access.storages) {
      steps.push(checkStorage(access, storage, artifacts.guests, inventory, problems));
    }
  }
  for (const guest of artifacts.guests) checkGuestPlacement(guest, inventory, problems);
  checkVersionGates(artifacts, inventory, problems);
  await checkSourceVolumes(artifacts, inventory, client, options.signal, problems);
  if (problems.length > 0) throw new ProxmoxPreconditionError(problems);

  for (const access of artifacts.access) {
    steps.push(...(await accessSteps(access, client, inventory.version, options, unmanaged)));
  }
  for (const guest of artifacts.guests) {
    const live = inventory.resources.find((item) => item.vmid === guest.vmid);
    steps.push(...(await guestSteps(guest, live, client, options)));
  }
  unmanaged.push(...undeclaredTaggedGuests(artifacts.guests, inventory.resources));
  const plan = createPlan(
    'proxmox',
    steps.map((step) => step.change),
    unmanaged,
  );
  return { plan, steps };
}
