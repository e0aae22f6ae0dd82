/**
 * Destroying what the SDK made in Omni: every resource of the managed kinds annotated
 * `talos-sdk.dev/managed-by: <topology>` (owner `""`), removed in Omni's order with Teardown, a wait for the
 * controllers' finalizers, then Destroy. Nothing else is touched.
 *
 * @module
 */
import type { ArtifactSet } from '../../generators/artifact.js';
import type { Change, UnmanagedObject } from '../../plan/index.js';
import { createChange } from '../../plan/index.js';
import type { MachineSetSpec, OmniResource, ResourceKind } from '@talos-sdk/omni-client';
import { omniKinds } from '@talos-sdk/omni-client';
import type { DeletePhasesOptions, OmniWriter } from './apply.js';
import { deleteInPhases } from './apply.js';
import { desiredOmniState } from './desired.js';
import type { OmniPlan, OmniReader, OmniStep } from './plan.js';
import { MANAGED_KINDS, planOfSteps } from './plan.js';
import { infraProviderAccount } from './provider-account.js';
import { providerStacks } from './provider-stacks.js';
import { MANAGED_BY_ANNOTATION } from './sdk-annotations.js';

/** Options of {@link destroyOmni}. */
export interface DestroyOmniOptions extends DeletePhasesOptions {
  /** Told about each change once its phase is done. */
  readonly onChange?: (change: Change) => void;
}

/** What {@link destroyOmni} did. */
export interface DestroyOmniResult {
  /** The plan it carried out. */
  readonly plan: OmniPlan;
  /** The resources removed, in the order their phases finished. */
  readonly applied: readonly Change[];
}

/**
 * Plans the removal of everything the SDK made in Omni for a topology: a `delete` change for each resource of the
 * managed kinds (InfraProvider, MachineClass, Cluster, ExtensionsConfiguration, ConfigPatch, MachineSet) whose
 * `talos-sdk.dev/managed-by` annotation names the artifacts' topology and that no controller owns. A resource the
 * artifacts declare that is not the SDK's (no annotation, another topology's, an InfraProvider registered with
 * omnictl) is a `no-op` with the reason it is kept; other live resources are listed as unmanaged. A MachineClass a
 * MachineSet that stays still uses is kept too: Omni refuses to tear it down while it is in use. Reads only: one List
 * per managed kind.
 *
 * @param artifacts - The artifact set (its manifest names the topology).
 * @param client - A connected client.
 * @returns The plan, with the steps {@link destroyOmni} carries out.
 *
 * @example
 * ```ts
 * import { formatPlan, readArtifactSet } from '@talos-sdk/topology';
 * import { createOmniClient, planOmniDestroy } from '@talos-sdk/topology/omni-client';
 *
 * const omni = await createOmniClient({ endpoint: 'https://omni.example.com' });
 * console.log(formatPlan(await planOmniDestroy(await readArtifactSet('out'), omni)));
 * omni.close();
 * ```
 */
export async function planOmniDestroy(artifacts: ArtifactSet, client: OmniReader): Promise<OmniPlan> {
  const { topology, resources } = desiredOmniState(artifacts);
  const liveByKind = await Promise.all(MANAGED_KINDS.map((kind) => client.list(kind)));
  const owned = (resource: OmniResource<unknown>): boolean =>
    resource.metadata.owner === '' && resource.metadata.annotations[MANAGED_BY_ANNOTATION] === topology;
  const keptSets = (liveByKind[MANAGED_KINDS.indexOf(omniKinds.MachineSet)] ?? []).filter(
    (resource) => !owned(resource),
  );
  const steps: OmniStep[] = [];
  const unmanaged: UnmanagedObject[] = [];
  MANAGED_KINDS.forEach((kind, index) => {
    const declared = new Set(resources.filter((resource) => resource.kind === kind).map((resource) => resource.id));
    for (const live of liveByKind[index] ?? []) {
      const { id } = live.metadata;
      if (live.metadata.owner !== '') continue;
      const keep = (reason: string): void => {
        if (declared.has(id))
          steps.push({ change: createChange('omni', kind.kind, id, 'no-op', [], [reason]), kind, live });
        else unmanaged.push({ kind: kind.kind, id, reason });
      };
      if (!owned(live)) {
        keep(notOwnedReason(live, topology));
        continue;
      }
      const user = kind === omniKinds.MachineClass ? keptSets.find((set) => usesMachineClass(set, id)) : undefined;
      if (user) {
        keep(
          `in use by machine set ${user.metadata.id}, which the SDK does not own: Omni refuses to remove a machine class in use`,
        );
        continue;
      }
      steps.push({ change: createChange('omni', kind.kind, id, 'delete', [], [deleteNote(kind, id)]), kind, live });
    }
  });
  const plan = planOfSteps(steps, unmanaged);
  return { ...plan, topology, steps, providerStacks: providerStacks(artifacts) };
}

/**
 * Removes what {@link planOmniDestroy} plans: MachineSets first, then ConfigPatches, ExtensionsConfigurations and
 * Clusters, then MachineClasses, then InfraProviders, each after its `infra-provider:<id>` service account. Each phase tears its resources down, waits (at most
 * `deleteTimeoutMs`, told to `onWait`) until Omni's controllers release their finalizers, and destroys them: a
 * Cluster's teardown is asynchronous (its machines are released first), so this wait is where destroy spends its
 * time. A resource already gone counts as removed, so a second destroy finds nothing to do.
 *
 * @param input - An artifact set (planned first), or a plan from {@link planOmniDestroy} (carried out as planned).
 * @param client - A connected client.
 * @param options - Concurrency, the finalizer timeout, the wait reporter and a per-change callback.
 * @returns The plan and the resources removed.
 * @throws `OmniWaitTimeoutError` when finalizers are not released in time (earlier phases stay removed; a new plan
 *   shows what is left).
 *
 * @example
 * ```ts
 * import { readArtifactSet } from '@talos-sdk/topology';
 * import { createOmniClient, destroyOmni } from '@talos-sdk/topology/omni-client';
 *
 * const omni = await createOmniClient({ endpoint: 'https://omni.example.com' });
 * const { applied } = await destroyOmni(await readArtifactSet('out'), omni, { deleteTimeoutMs: 600_000 });
 * console.log(`removed ${applied.length} resources`);
 * omni.close();
 * ```
 */
export async function destroyOmni(
  input: ArtifactSet | OmniPlan,
  client: OmniWriter,
  options: DestroyOmniOptions = {},
): Promise<DestroyOmniResult> {
  const plan = 'steps' in input ? input : await planOmniDestroy(input, client);
  const applied: Change[] = [];
  await deleteInPhases(client, plan.steps, options, (change) => {
    applied.push(change);
    options.onChange?.(change);
  });
  return { plan, applied };
}

function notOwnedReason(live: OmniResource<unknown>, topology: string): string {
  const manager = live.metadata.annotations[MANAGED_BY_ANNOTATION];
  return manager === undefined
    ? `no ${MANAGED_BY_ANNOTATION} annotation: not made by the SDK, kept`
    : `managed by topology "${manager}", not "${topology}": kept`;
}

function deleteNote(kind: ResourceKind<unknown>, id: string): string | undefined {
  if (kind === omniKinds.Cluster) return 'torn down asynchronously: destroy waits for Omni to release its machines';
  if (kind === omniKinds.InfraProvider) {
    return `its service account ${infraProviderAccount(id)} is removed first, so the provider's key no longer authenticates`;
  }
  return undefined;
}

/** Whether a MachineSet allocates machines from a class (`machine_allocation`, or the older `machine_class`). */
function usesMachineClass(set: OmniResource<unknown>, classId: string): boolean {
  const spec = set.spec as MachineSetSpec;
  return (spec.machineAllocation ?? spec.machineClass)?.name === classId;
}
