/**
 * The subset of Omni's server-side validation the emulator mirrors. Every failure is `INVALID_ARGUMENT` with a
 * message starting `failed to validate: `, like Omni's validated state.
 *
 * @module
 */
import { status } from '@grpc/grpc-js';
import { load } from 'js-yaml';
import type { Resource } from '@talos-sdk/omni-client/generated/cosi/resource.js';
import {
  MachineSetSpec_MachineAllocation_Type,
  type ClusterSpec,
  type ConfigPatchSpec,
  type MachineClassSpec,
  type MachineSetSpec,
} from '@talos-sdk/omni-client/generated/omni/specs/omni.js';
import type { InfraProviderStatusSpec } from '@talos-sdk/omni-client/generated/omni/specs/infra.js';
import type { ResourceKind } from '@talos-sdk/omni-client';
import { omniKinds } from '@talos-sdk/omni-client';
import { configPatchProblem } from './config-patch-rules.js';
import type { JsonSchema } from './json-schema.js';
import { validateJsonSchema } from './json-schema.js';
import type { ResourcePointer, ResourceStore } from './store.js';
import { CosiStatusError } from './store.js';

const CLUSTER_LABEL = 'omni.sidero.dev/cluster';
const ROLE_CONTROLPLANE = 'omni.sidero.dev/role-controlplane';
const ROLE_WORKER = 'omni.sidero.dev/role-worker';
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/**
 * Checks a Create or Update the way Omni's validations do.
 *
 * @param store - Current state (for cross-resource rules).
 * @param resource - The incoming resource.
 * @param previous - The stored resource, on Update.
 * @throws {@link CosiStatusError} `INVALID_ARGUMENT` `failed to validate: ...`.
 */
export function validateWrite(store: ResourceStore, resource: Resource, previous?: Resource): void {
  const problem = writeProblem(store, resource, previous);
  if (problem !== undefined) throw new CosiStatusError(status.INVALID_ARGUMENT, `failed to validate: ${problem}`);
}

/**
 * Checks a Teardown or Destroy: a MachineClass cannot go while a MachineSet uses it.
 *
 * @param store - Current state.
 * @param pointer - The resource to remove.
 * @throws {@link CosiStatusError} `INVALID_ARGUMENT` `failed to validate: ...`.
 */
export function validateRemoval(store: ResourceStore, pointer: ResourcePointer): void {
  if (pointer.type !== omniKinds.MachineClass.type) return;
  for (const set of store.list(omniKinds.MachineSet.namespace, omniKinds.MachineSet.type)) {
    const allocation = allocationOf(decode(omniKinds.MachineSet, set));
    if (allocation?.name === pointer.id) {
      throw new CosiStatusError(
        status.INVALID_ARGUMENT,
        `failed to validate: machine class "${pointer.id}" is in use by machine set "${set.metadata?.id ?? ''}"`,
      );
    }
  }
}

function writeProblem(store: ResourceStore, resource: Resource, previous?: Resource): string | undefined {
  switch (resource.metadata?.type) {
    case omniKinds.MachineClass.type:
      return machineClassProblem(store, resource, previous);
    case omniKinds.MachineSet.type:
      return machineSetProblem(store, resource);
    case omniKinds.ConfigPatch.type:
      return configPatchProblemOf(store, resource, previous);
    case omniKinds.Cluster.type:
      return clusterProblem(resource, previous);
    default:
      return undefined;
  }
}

function machineClassProblem(store: ResourceStore, resource: Resource, previous?: Resource): string | undefined {
  const spec: MachineClassSpec = decode(omniKinds.MachineClass, resource);
  const provision = spec.autoProvision;
  if (spec.matchLabels.length > 0 === (provision !== undefined)) {
    return 'machine class must have exactly one of match labels or auto provision';
  }
  if (!provision) return undefined;
  if (provision.providerId === '') return 'auto provision provider id is empty';
  const before = previous ? decode(omniKinds.MachineClass, previous).autoProvision : undefined;
  if (before && before.providerData === provision.providerData && before.providerId === provision.providerId) {
    return undefined;
  }
  const providerStatus = store.get({
    namespace: omniKinds.InfraProviderStatus.namespace,
    type: omniKinds.InfraProviderStatus.type,
    id: provision.providerId,
  });
  if (!providerStatus) {
    return `infra provider "${provision.providerId}" has no status yet; start the provider before creating the class`;
  }
  const providerSpec: InfraProviderStatusSpec = decode(omniKinds.InfraProviderStatus, providerStatus);
  if (providerSpec.schema === '') return undefined;
  let data: unknown;
  try {
    data = load(provision.providerData) ?? {};
  } catch {
    return 'provider data is not valid YAML';
  }
  const problems = validateJsonSchema(JSON.parse(providerSpec.schema) as JsonSchema, data);
  return problems.length > 0 ? `provider data is invalid: ${problems.join('; ')}` : undefined;
}

function machineSetProblem(store: ResourceStore, resource: Resource): string | undefined {
  const metadata = resource.metadata;
  if (!metadata) return 'metadata is missing';
  const cluster = metadata.labels[CLUSTER_LABEL] ?? '';
  if (cluster === '') return `label ${CLUSTER_LABEL} is required`;
  const controlPlane = Object.hasOwn(metadata.labels, ROLE_CONTROLPLANE);
  const worker = Object.hasOwn(metadata.labels, ROLE_WORKER);
  if (controlPlane === worker) return `machine set needs exactly one of ${ROLE_CONTROLPLANE} and ${ROLE_WORKER}`;
  const clusterResource = store.get({ namespace: 'default', type: omniKinds.Cluster.type, id: cluster });
  if (!clusterResource) return `cluster "${cluster}" does not exist`;
  if (clusterResource.metadata?.phase === 'tearingDown') return `cluster "${cluster}" is tearing down`;
  if (!metadata.id.startsWith(`${cluster}-`)) return `machine set ID must start with "${cluster}-"`;
  const controlPlaneId = `${cluster}-control-planes`;
  if (controlPlane && metadata.id !== controlPlaneId) return `control plane machine set must be "${controlPlaneId}"`;
  if (worker && metadata.id === controlPlaneId) return `worker machine set cannot use the ID "${controlPlaneId}"`;
  const allocation = allocationOf(decode(omniKinds.MachineSet, resource));
  if (!allocation) return undefined;
  if (allocation.name === '') return 'machine allocation name is empty';
  const machineClass = store.get({ namespace: 'default', type: omniKinds.MachineClass.type, id: allocation.name });
  if (!machineClass) return `machine class "${allocation.name}" does not exist`;
  const unlimited = allocation.allocationType === MachineSetSpec_MachineAllocation_Type.Unlimited;
  if (unlimited && allocation.machineCount > 0) return 'machine count can only be set with static allocation';
  if (unlimited && decode(omniKinds.MachineClass, machineClass).autoProvision) {
    return 'unlimited allocation is not allowed for an auto-provision machine class';
  }
  return undefined;
}

function configPatchProblemOf(store: ResourceStore, resource: Resource, previous?: Resource): string | undefined {
  const spec: ConfigPatchSpec = decode(omniKinds.ConfigPatch, resource);
  if (spec.compressedData.length > 0) return 'the emulator does not read compressed config patch data';
  if (!previous) {
    const cluster = resource.metadata?.labels[CLUSTER_LABEL];
    const clusterResource =
      cluster === undefined
        ? undefined
        : store.get({ namespace: 'default', type: omniKinds.Cluster.type, id: cluster });
    if (clusterResource?.metadata?.phase === 'tearingDown') return `cluster "${cluster ?? ''}" is tearing down`;
  } else if (decode(omniKinds.ConfigPatch, previous).data === spec.data) {
    return undefined;
  }
  return configPatchProblem(spec.data);
}

function clusterProblem(resource: Resource, previous?: Resource): string | undefined {
  const spec: ClusterSpec = decode(omniKinds.Cluster, resource);
  if (!VERSION.test(spec.talosVersion)) return `invalid talos version "${spec.talosVersion}"`;
  if (!VERSION.test(spec.kubernetesVersion)) return `invalid kubernetes version "${spec.kubernetesVersion}"`;
  if (!previous) return undefined;
  const before = decode(omniKinds.Cluster, previous);
  if (compareVersions(spec.talosVersion, before.talosVersion) < 0) {
    return `downgrading talos from ${before.talosVersion} to ${spec.talosVersion} is not allowed`;
  }
  if ((before.features?.diskEncryption ?? false) !== (spec.features?.diskEncryption ?? false)) {
    return 'disk encryption cannot be changed after creation';
  }
  return undefined;
}

function allocationOf(spec: MachineSetSpec): MachineSetSpec['machineAllocation'] {
  return spec.machineAllocation ?? spec.machineClass;
}

function compareVersions(a: string, b: string): number {
  const parts = (version: string): number[] => version.split('-')[0]?.split('.').map(Number) ?? [];
  const [left, right] = [parts(a), parts(b)];
  for (let index = 0; index < 3; index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * Decodes a stored resource's spec.
 *
 * @param kind - The kind whose codec to use.
 * @param resource - The wire resource.
 * @returns The spec.
 */
function decode<S>(kind: ResourceKind<S>, resource: Resource): S {
  return kind.spec.decode(resource.spec?.protoSpec ?? new Uint8Array());
}
