/**
 * Typed Omni resources and their COSI wire form (`proto_spec` bytes, `yaml_spec` empty, valid version and phase).
 *
 * @module
 */
import type { Resource } from './generated/cosi/resource.js';
import type { ResourceKind } from './kinds.js';

/** Lifecycle phase of a resource. */
export type ResourcePhase = 'running' | 'tearingDown';

/** Metadata of a stored resource. */
export interface ResourceMetadata {
  /** Namespace. */
  readonly namespace: string;
  /** COSI type string. */
  readonly type: string;
  /** ID. */
  readonly id: string;
  /** Stored version; absent for a resource never stored (wire value `undefined`). */
  readonly version?: number;
  /** Owner: `""` for user resources, a controller name otherwise. */
  readonly owner: string;
  /** Lifecycle phase. */
  readonly phase: ResourcePhase;
  /** Creation time, set by the server. */
  readonly created?: Date;
  /** Last update time, set by the server. */
  readonly updated?: Date;
  /** Finalizers blocking destruction. */
  readonly finalizers: readonly string[];
  /** Labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations. */
  readonly annotations: Readonly<Record<string, string>>;
}

/** A resource with a decoded spec. */
export interface OmniResource<S> {
  /** Metadata. */
  readonly metadata: ResourceMetadata;
  /** Decoded spec. */
  readonly spec: S;
}

/** What is needed to create a resource. */
export interface ResourceInput<S> {
  /** ID. */
  readonly id: string;
  /** Namespace; defaults to the kind's namespace. */
  readonly namespace?: string;
  /** Labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Spec. */
  readonly spec: S;
}

/** A wire resource could not be read (bad phase or version, missing parts, undecodable spec). */
export class OmniResourceDecodeError extends Error {
  /**
   * @param type - The resource type.
   * @param id - The resource ID.
   * @param reason - What is wrong.
   */
  constructor(type: string, id: string, reason: string) {
    super(`${type}/${id}: ${reason}`);
    this.name = 'OmniResourceDecodeError';
  }
}

/**
 * Metadata for a resource that does not exist yet.
 *
 * @param kind - Its kind.
 * @param input - ID, namespace, labels and annotations.
 * @returns Metadata in phase `running` with no version, owner `""` and no finalizers.
 */
export function newMetadata<S>(kind: ResourceKind<S>, input: Omit<ResourceInput<S>, 'spec'>): ResourceMetadata {
  return {
    namespace: input.namespace ?? kind.namespace,
    type: kind.type,
    id: input.id,
    owner: '',
    phase: 'running',
    finalizers: [],
    labels: { ...input.labels },
    annotations: { ...input.annotations },
  };
}

/**
 * Encodes a resource for Create/Update: both metadata and spec present, spec as `proto_spec`, `yaml_spec` empty.
 *
 * @param kind - The resource's kind.
 * @param resource - The resource.
 * @returns The wire resource.
 */
export function toWireResource<S>(kind: ResourceKind<S>, resource: OmniResource<S>): Resource {
  const { metadata } = resource;
  return {
    metadata: {
      namespace: metadata.namespace,
      type: metadata.type,
      id: metadata.id,
      version: metadata.version === undefined ? 'undefined' : String(metadata.version),
      owner: metadata.owner,
      phase: metadata.phase,
      created: metadata.created,
      updated: metadata.updated,
      finalizers: [...metadata.finalizers],
      labels: { ...metadata.labels },
      annotations: { ...metadata.annotations },
    },
    spec: { protoSpec: Buffer.from(kind.spec.encode(resource.spec).finish()), yamlSpec: '' },
  };
}

/**
 * Decodes a wire resource, spec from `proto_spec` (the YAML rendering is ignored).
 *
 * @param kind - The expected kind.
 * @param resource - The wire resource.
 * @returns The typed resource.
 * @throws {@link OmniResourceDecodeError} when metadata is missing or version, phase or spec cannot be read.
 */
export function fromWireResource<S>(kind: ResourceKind<S>, resource: Resource | undefined): OmniResource<S> {
  const metadata = resource?.metadata;
  if (!metadata) throw new OmniResourceDecodeError(kind.type, '?', 'metadata is missing');
  const { id } = metadata;
  if (metadata.phase !== 'running' && metadata.phase !== 'tearingDown') {
    throw new OmniResourceDecodeError(kind.type, id, `unknown phase ${JSON.stringify(metadata.phase)}`);
  }
  let version: number | undefined;
  if (metadata.version !== 'undefined') {
    if (!/^\d+$/.test(metadata.version)) {
      throw new OmniResourceDecodeError(kind.type, id, `bad version ${JSON.stringify(metadata.version)}`);
    }
    version = Number(metadata.version);
  }
  let spec: S;
  try {
    spec = kind.spec.decode(resource.spec?.protoSpec ?? new Uint8Array());
  } catch (cause) {
    throw new OmniResourceDecodeError(kind.type, id, `proto_spec does not decode: ${String(cause)}`);
  }
  return {
    metadata: {
      namespace: metadata.namespace,
      type: metadata.type,
      id,
      ...(version === undefined ? {} : { version }),
      owner: metadata.owner,
      phase: metadata.phase,
      ...(metadata.created ? { created: metadata.created } : {}),
      ...(metadata.updated ? { updated: metadata.updated } : {}),
      finalizers: metadata.finalizers,
      labels: metadata.labels,
      annotations: metadata.annotations,
    },
    spec,
  };
}
