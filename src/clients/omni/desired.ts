/**
 * Desired Omni resources: what the artifacts say should exist, each tagged with the topology that manages it.
 *
 * @module
 */
import { load } from 'js-yaml';
import type { Artifact, ArtifactSet } from '../../generators/artifact.js';
import { artifactsOfKind } from '../../generators/artifact.js';
import type { MachineClassSpec } from '@talos-sdk/omni-client/generated/omni/specs/omni.js';
import { GrpcTunnelMode } from '@talos-sdk/omni-client/generated/omni/specs/omni.js';
import type { OmniResource, ResourceKind } from '@talos-sdk/omni-client';
import { omniKinds } from '@talos-sdk/omni-client';
import { MANAGED_BY_ANNOTATION } from './sdk-annotations.js';
import { OmniArtifactError, asRecord, stringRecord } from './artifact-yaml.js';
import { translateClusterTemplate } from './template.js';

/** One resource the artifacts want, ready to create. */
export interface DesiredResource<S = unknown> {
  /** Its kind. */
  readonly kind: ResourceKind<S>;
  /** ID. */
  readonly id: string;
  /** Namespace. */
  readonly namespace: string;
  /** Labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations, including {@link MANAGED_BY_ANNOTATION}. */
  readonly annotations: Readonly<Record<string, string>>;
  /** Spec. */
  readonly spec: S;
  /** The artifact it comes from. */
  readonly source: string;
}

/** Everything the artifacts want in Omni. */
export interface DesiredOmniState {
  /** Topology name from `manifest.json`; the value of the ownership annotation. */
  readonly topology: string;
  /** The resources. */
  readonly resources: readonly DesiredResource[];
}

/**
 * Reads the Omni artifacts of a set (infra providers, machine classes, cluster templates and their patches).
 *
 * @param set - The artifact set, manifest included.
 * @returns The topology name and the desired resources.
 * @throws {@link OmniArtifactError} when the manifest or an artifact is malformed.
 */
export function desiredOmniState(set: ArtifactSet): DesiredOmniState {
  const topology = topologyName(set);
  const resources: DesiredResource[] = [];
  for (const artifact of artifactsOfKind(set, 'omni-infra-provider')) {
    resources.push(resourceArtifact(artifact, topology, omniKinds.InfraProvider, () => ({})));
  }
  for (const artifact of artifactsOfKind(set, 'omni-machine-class')) {
    resources.push(resourceArtifact(artifact, topology, omniKinds.MachineClass, machineClassSpec));
  }
  const patches = new Map(artifactsOfKind(set, 'talos-patch').map((artifact) => [artifact.path, artifact]));
  for (const artifact of artifactsOfKind(set, 'omni-cluster-template')) {
    resources.push(...translateClusterTemplate(artifact, patches, topology));
  }
  return { topology, resources };
}

function topologyName(set: ArtifactSet): string {
  const manifest = artifactsOfKind(set, 'manifest')[0];
  if (!manifest) throw new OmniArtifactError('manifest.json', 'is missing; run talos-topology generate');
  let topology: unknown;
  try {
    topology = (JSON.parse(manifest.content) as { topology?: unknown }).topology;
  } catch {
    throw new OmniArtifactError(manifest.path, 'is not JSON');
  }
  if (typeof topology !== 'string' || topology === '') {
    throw new OmniArtifactError(manifest.path, 'has no "topology" name');
  }
  return topology;
}

function resourceArtifact<S>(
  artifact: Artifact,
  topology: string,
  kind: ResourceKind<S>,
  toSpec: (spec: Record<string, unknown>, artifact: Artifact) => S,
): DesiredResource<S> {
  const document = asRecord(load(artifact.content), artifact, 'the document');
  const metadata = asRecord(document['metadata'], artifact, 'metadata');
  if (metadata['type'] !== kind.type) {
    throw new OmniArtifactError(artifact.path, `metadata.type must be ${kind.type}`);
  }
  const id = metadata['id'];
  if (typeof id !== 'string' || id === '') throw new OmniArtifactError(artifact.path, 'metadata.id is missing');
  const namespace = metadata['namespace'] ?? kind.namespace;
  if (typeof namespace !== 'string') throw new OmniArtifactError(artifact.path, 'metadata.namespace is not text');
  return {
    kind,
    id,
    namespace,
    labels: stringRecord(metadata['labels'], artifact, 'metadata.labels'),
    annotations: {
      ...stringRecord(metadata['annotations'], artifact, 'metadata.annotations'),
      [MANAGED_BY_ANNOTATION]: topology,
    },
    spec: toSpec(asRecord(document['spec'] ?? {}, artifact, 'spec'), artifact),
    source: artifact.path,
  };
}

function machineClassSpec(spec: Record<string, unknown>, artifact: Artifact): MachineClassSpec {
  const matchLabels = spec['matchlabels'] ?? [];
  if (!Array.isArray(matchLabels) || !matchLabels.every((label) => typeof label === 'string')) {
    throw new OmniArtifactError(artifact.path, 'spec.matchlabels must be a list of selector strings');
  }
  const provision = spec['autoprovision'];
  if (provision === undefined || provision === null) return { matchLabels, autoProvision: undefined };
  const auto = asRecord(provision, artifact, 'spec.autoprovision');
  const text = (key: string): string => {
    const value = auto[key] ?? '';
    if (typeof value !== 'string') throw new OmniArtifactError(artifact.path, `spec.autoprovision.${key} is not text`);
    return value;
  };
  const kernelArgs = auto['kernelargs'] ?? [];
  const metaValues = auto['metavalues'] ?? [];
  if (!Array.isArray(kernelArgs) || !Array.isArray(metaValues)) {
    throw new OmniArtifactError(artifact.path, 'spec.autoprovision.kernelargs and metavalues must be lists');
  }
  const tunnel = auto['grpctunnel'] ?? 0;
  return {
    matchLabels,
    autoProvision: {
      providerId: text('providerid'),
      providerData: text('providerdata'),
      kernelArgs: kernelArgs.map(String),
      metaValues: metaValues.map((item: unknown) => {
        const value = asRecord(item, artifact, 'spec.autoprovision.metavalues[]');
        return { key: Number(value['key']), value: String(value['value'] ?? '') };
      }),
      grpcTunnel: typeof tunnel === 'number' ? tunnel : (GrpcTunnelMode[tunnel as keyof typeof GrpcTunnelMode] ?? 0),
    },
  };
}

/**
 * The desired resource as an Update of the live one: live version, finalizers, phase, timestamps and the labels and
 * annotations the SDK does not set are kept; the desired spec, labels and annotations win.
 *
 * @param live - The stored resource.
 * @param desired - What the artifacts want.
 * @returns The full replacement to send.
 */
export function mergeDesired(live: OmniResource<unknown>, desired: DesiredResource): OmniResource<unknown> {
  return {
    metadata: {
      ...live.metadata,
      labels: { ...live.metadata.labels, ...desired.labels },
      annotations: { ...live.metadata.annotations, ...desired.annotations },
    },
    spec: desired.spec,
  };
}
