/**
 * Translation of an Omni cluster template artifact into resources, the way `omnictl cluster template sync` does:
 * Cluster, MachineSets `<cluster>-control-planes` / `<cluster>-<workers>`, ConfigPatches `<weight>-<prefix>-<name>`
 * and ExtensionsConfigurations `schematic-<cluster or machine set>`.
 *
 * @module
 */
import { loadAll } from 'js-yaml';
import { posix } from 'node:path';
import type { Artifact } from '../../generators/artifact.js';
import type { Duration } from '@talos-sdk/omni-client/generated/google/protobuf/duration.js';
import type {
  ClusterSpec,
  ConfigPatchSpec,
  ExtensionsConfigurationSpec,
  MachineSetSpec,
  UpdateStrategyConfig,
} from '@talos-sdk/omni-client/generated/omni/specs/omni.js';
import {
  MachineSetSpec_MachineAllocation_Type,
  UpdateStrategy,
} from '@talos-sdk/omni-client/generated/omni/specs/omni.js';
import { OmniArtifactError, asRecord, stringRecord } from './artifact-yaml.js';
import type { DesiredResource } from './desired.js';
import {
  CLUSTER_LABEL,
  MACHINE_SET_LABEL,
  MANAGED_BY_CLUSTER_TEMPLATES_ANNOTATION,
  omniKinds,
  PATCH_NAME_ANNOTATION,
  ROLE_CONTROLPLANE_LABEL,
  ROLE_WORKER_LABEL,
} from '@talos-sdk/omni-client';
import { MANAGED_BY_ANNOTATION } from './sdk-annotations.js';

/** First weight of cluster-level patches. */
export const CLUSTER_PATCH_BASE_WEIGHT = 200;
/** First weight of machine-set-level patches. */
export const MACHINE_SET_PATCH_BASE_WEIGHT = 400;

type Document = Record<string, unknown>;

/**
 * Translates one cluster template into Omni resources.
 *
 * @param template - The `omni-cluster-template` artifact.
 * @param patches - `talos-patch` artifacts by path; `file:` entries resolve relative to the template's folder.
 * @param topology - Topology name, the value of the ownership annotation.
 * @returns The resources, each with the ownership annotation.
 * @throws {@link OmniArtifactError} on a malformed template, a missing patch file or an unsupported feature
 * (explicit machine lists, `Machine` documents, kernel args, inline patches).
 */
export function translateClusterTemplate(
  template: Artifact,
  patches: ReadonlyMap<string, Artifact>,
  topology: string,
): DesiredResource[] {
  const fail = (message: string): never => {
    throw new OmniArtifactError(template.path, message);
  };
  let documents: unknown[];
  try {
    documents = loadAll(template.content);
  } catch (error) {
    return fail(`is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const docs = documents
    .filter((doc) => doc !== null && doc !== undefined)
    .map((doc) => asRecord(doc, template, 'a document'));
  const ofKind = (kind: string): Document[] => docs.filter((doc) => doc['kind'] === kind);
  const unknown = docs.find((doc) => !['Cluster', 'ControlPlane', 'Workers'].includes(String(doc['kind'])));
  if (unknown)
    fail(`document kind ${JSON.stringify(unknown['kind'])} is not supported (Cluster, ControlPlane, Workers)`);
  const [cluster, ...extraClusters] = ofKind('Cluster');
  const [controlPlane, ...extraControlPlanes] = ofKind('ControlPlane');
  if (!cluster || extraClusters.length > 0) return fail('needs exactly one Cluster document');
  if (!controlPlane || extraControlPlanes.length > 0) return fail('needs exactly one ControlPlane document');

  const name = text(cluster['name'], 'Cluster.name');
  if (!/^[A-Za-z0-9_-]+$/.test(name)) fail('Cluster.name may hold letters, digits, "-" and "_" only');
  const context: TemplateContext = { template, patches, topology, cluster: name, fail };
  if (cluster['kernelArgs'] !== undefined) fail('kernelArgs are not supported by this client');
  const resources: DesiredResource[] = [
    {
      kind: omniKinds.Cluster,
      id: name,
      namespace: 'default',
      labels: stringRecord(cluster['labels'], template, 'Cluster.labels'),
      annotations: {
        ...stringRecord(cluster['annotations'], template, 'Cluster.annotations'),
        [MANAGED_BY_CLUSTER_TEMPLATES_ANNOTATION]: '',
        [MANAGED_BY_ANNOTATION]: topology,
      },
      spec: clusterSpec(cluster, context),
      source: template.path,
    } satisfies DesiredResource<ClusterSpec>,
    ...extensions(cluster, `schematic-${name}`, { [CLUSTER_LABEL]: name }, context),
    ...configPatches(cluster, CLUSTER_PATCH_BASE_WEIGHT, `cluster-${name}`, { [CLUSTER_LABEL]: name }, context),
  ];

  const workerNames = new Set<string>();
  const sets: [Document, string, string][] = [[controlPlane, `${name}-control-planes`, ROLE_CONTROLPLANE_LABEL]];
  for (const workers of ofKind('Workers')) {
    const workersName = workers['name'] === undefined ? 'workers' : text(workers['name'], 'Workers.name');
    if (workersName === 'control-planes') fail('Workers.name may not be "control-planes"');
    if (workerNames.has(workersName)) fail(`Workers.name ${JSON.stringify(workersName)} is used twice`);
    workerNames.add(workersName);
    sets.push([workers, `${name}-${workersName}`, ROLE_WORKER_LABEL]);
  }
  for (const [document, id, roleLabel] of sets) {
    const scope = { [CLUSTER_LABEL]: name, [MACHINE_SET_LABEL]: id };
    resources.push(
      {
        kind: omniKinds.MachineSet,
        id,
        namespace: 'default',
        labels: {
          ...stringRecord(document['labels'], template, `${id}.labels`),
          [CLUSTER_LABEL]: name,
          [roleLabel]: '',
        },
        annotations: {
          ...stringRecord(document['annotations'], template, `${id}.annotations`),
          [MANAGED_BY_ANNOTATION]: topology,
        },
        spec: machineSetSpec(document, id, context),
        source: template.path,
      } satisfies DesiredResource<MachineSetSpec>,
      ...extensions(document, `schematic-${id}`, scope, context),
      ...configPatches(document, MACHINE_SET_PATCH_BASE_WEIGHT, id, scope, context),
    );
  }
  return resources;

  function text(value: unknown, what: string): string {
    if (typeof value !== 'string' || value === '') return fail(`${what} must be non-empty text`);
    return value;
  }
}

interface TemplateContext {
  readonly template: Artifact;
  readonly patches: ReadonlyMap<string, Artifact>;
  readonly topology: string;
  readonly cluster: string;
  readonly fail: (message: string) => never;
}

function clusterSpec(cluster: Document, context: TemplateContext): ClusterSpec {
  const kubernetes = asRecord(cluster['kubernetes'] ?? {}, context.template, 'Cluster.kubernetes');
  const talos = asRecord(cluster['talos'] ?? {}, context.template, 'Cluster.talos');
  const features = asRecord(cluster['features'] ?? {}, context.template, 'Cluster.features');
  const flag = (key: string): boolean => features[key] === true;
  const backup = features['backupConfiguration'];
  const interval =
    backup === undefined || backup === null
      ? undefined
      : parseGoDuration(asRecord(backup, context.template, 'features.backupConfiguration')['interval'], context);
  return {
    kubernetesVersion: withoutV(kubernetes['version'], 'Cluster.kubernetes.version', context),
    talosVersion: withoutV(talos['version'], 'Cluster.talos.version', context, true),
    features: {
      enableWorkloadProxy: flag('enableWorkloadProxy'),
      diskEncryption: flag('diskEncryption'),
      useEmbeddedDiscoveryService: flag('useEmbeddedDiscoveryService'),
      enableNodeAuditSkip: flag('enableNodeAuditSkip'),
      disablePublicDiscoveryService: flag('disablePublicDiscoveryService'),
    },
    backupConfiguration:
      interval && (interval.seconds > 0 || interval.nanos > 0) ? { interval, enabled: true } : undefined,
  };
}

function machineSetSpec(document: Document, id: string, context: TemplateContext): MachineSetSpec {
  const { template, fail } = context;
  if (document['machines'] !== undefined) fail(`${id}: explicit machines are not supported; use machineClass`);
  if (document['kernelArgs'] !== undefined) fail(`${id}: kernelArgs cannot be combined with machineClass`);
  if (document['bootstrapSpec'] !== undefined) fail(`${id}: bootstrapSpec is not supported by this client`);
  const machineClass = asRecord(document['machineClass'], template, `${id}.machineClass`);
  const className = machineClass['name'];
  if (typeof className !== 'string' || className === '') fail(`${id}.machineClass.name must be non-empty text`);
  const size = machineClass['size'];
  const unlimited = typeof size === 'string' && ['unlimited', 'Unlimited', '∞', 'infinity'].includes(size);
  if (!unlimited && !(typeof size === 'number' && Number.isInteger(size) && size >= 0)) {
    fail(`${id}.machineClass.size must be a whole number or "unlimited"`);
  }
  const strategy = (key: string): [UpdateStrategy | undefined, UpdateStrategyConfig | undefined] => {
    const value = document[key];
    if (value === undefined || value === null) return [undefined, undefined];
    const record = asRecord(value, template, `${id}.${key}`);
    const type = record['type'] === 'Unset' ? UpdateStrategy.Unset : UpdateStrategy.Rolling;
    const rolling =
      record['rolling'] === undefined ? undefined : asRecord(record['rolling'], template, `${id}.${key}.rolling`);
    const maxParallelism = rolling?.['maxParallelism'];
    return [type, typeof maxParallelism === 'number' ? { rolling: { maxParallelism } } : undefined];
  };
  const [updateStrategy, updateStrategyConfig] = strategy('updateStrategy');
  const [deleteStrategy, deleteStrategyConfig] = strategy('deleteStrategy');
  const [upgradeStrategy, upgradeStrategyConfig] = strategy('upgradeStrategy');
  return {
    updateStrategy: updateStrategy ?? UpdateStrategy.Rolling,
    machineClass: undefined,
    bootstrapSpec: undefined,
    deleteStrategy: deleteStrategy ?? UpdateStrategy.Unset,
    updateStrategyConfig,
    deleteStrategyConfig,
    machineAllocation: {
      name: className as string,
      machineCount: unlimited ? 0 : (size as number),
      allocationType: unlimited
        ? MachineSetSpec_MachineAllocation_Type.Unlimited
        : MachineSetSpec_MachineAllocation_Type.Static,
    },
    upgradeStrategy: upgradeStrategy ?? UpdateStrategy.Unset,
    upgradeStrategyConfig,
  };
}

function extensions(
  document: Document,
  id: string,
  labels: Record<string, string>,
  context: TemplateContext,
): DesiredResource<ExtensionsConfigurationSpec>[] {
  const list = document['systemExtensions'];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
    return context.fail(`${id}: systemExtensions must be a list of names`);
  }
  return [
    {
      kind: omniKinds.ExtensionsConfiguration,
      id,
      namespace: 'default',
      labels,
      annotations: { [MANAGED_BY_ANNOTATION]: context.topology },
      spec: { extensions: list },
      source: context.template.path,
    },
  ];
}

function configPatches(
  document: Document,
  baseWeight: number,
  prefix: string,
  labels: Record<string, string>,
  context: TemplateContext,
): DesiredResource<ConfigPatchSpec>[] {
  const list = document['patches'];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return context.fail(`${prefix}: patches must be a list`);
  return list.map((item: unknown, index) => {
    const patch = asRecord(item, context.template, `${prefix}.patches[${index}]`);
    if (patch['inline'] !== undefined)
      context.fail(`${prefix}.patches[${index}]: inline patches are not supported; use file`);
    const file = patch['file'];
    if (typeof file !== 'string' || file === '') return context.fail(`${prefix}.patches[${index}].file is missing`);
    const path = posix.normalize(posix.join(posix.dirname(context.template.path), file));
    const artifact = context.patches.get(path);
    if (!artifact) return context.fail(`patch file ${file} (${path}) is not a talos-patch artifact of this set`);
    const name = typeof patch['name'] === 'string' && patch['name'] !== '' ? patch['name'] : file;
    const idOverride = patch['idOverride'];
    return {
      kind: omniKinds.ConfigPatch,
      id: typeof idOverride === 'string' && idOverride !== '' ? idOverride : `${baseWeight + index}-${prefix}-${name}`,
      namespace: 'default',
      labels: { ...stringRecord(patch['labels'], context.template, `${prefix}.patches[${index}].labels`), ...labels },
      annotations: {
        ...stringRecord(patch['annotations'], context.template, `${prefix}.patches[${index}].annotations`),
        [PATCH_NAME_ANNOTATION]: name,
        [MANAGED_BY_ANNOTATION]: context.topology,
      },
      spec: { data: artifact.content, compressedData: Buffer.alloc(0) },
      source: artifact.path,
    };
  });
}

function withoutV(value: unknown, what: string, context: TemplateContext, requireV = false): string {
  if (typeof value !== 'string' || value === '') return context.fail(`${what} is missing`);
  if (requireV && !value.startsWith('v')) context.fail(`${what} must start with "v" (e.g. v1.13.9)`);
  return value.startsWith('v') ? value.slice(1) : value;
}

/**
 * Parses a Go duration such as `1h30m` or `90s`.
 *
 * @param value - The duration text.
 * @param context - For errors.
 * @returns A protobuf Duration.
 */
function parseGoDuration(value: unknown, context: TemplateContext): Duration {
  if (value === undefined || value === null || value === 0 || value === '0') return { seconds: 0, nanos: 0 };
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001, µs: 0.000001, ns: 1e-9 };
  const text = String(value);
  const pattern = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/gy;
  let total = 0;
  let consumed = 0;
  for (const match of text.matchAll(pattern)) {
    total += Number(match[1]) * (units[match[2] ?? 's'] ?? 0);
    consumed += match[0].length;
  }
  if (consumed !== text.length || consumed === 0) {
    return context.fail(`backupConfiguration.interval ${JSON.stringify(text)} is not a Go duration like 1h30m`);
  }
  const seconds = Math.floor(total);
  return { seconds, nanos: Math.round((total - seconds) * 1e9) };
}
