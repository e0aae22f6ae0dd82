/**
 * The Omni resource kinds the client knows: type string, namespace and spec codec of each.
 *
 * @module
 */
import type { BinaryWriter } from '@bufbuild/protobuf/wire';
import {
  InfraProviderHealthStatusSpec,
  InfraProviderSpec,
  InfraProviderStatusSpec,
} from './generated/omni/specs/infra.js';
import {
  ClusterSpec,
  ClusterStatusSpec,
  ConfigPatchSpec,
  ExtensionsConfigurationSpec,
  MachineClassSpec,
  MachineSetSpec,
  MachineSetStatusSpec,
} from './generated/omni/specs/omni.js';

/** Encodes and decodes one spec message (the shape ts-proto generates). */
export interface SpecCodec<S> {
  /** Protobuf-encodes a spec. */
  encode(message: S): BinaryWriter;
  /** Decodes protobuf bytes into a spec with every default filled in. */
  decode(input: Uint8Array): S;
  /** An all-defaults spec. */
  create(): S;
}

/** One Omni resource kind. */
export interface ResourceKind<S> {
  /** Short name used in plans and errors, e.g. `MachineClass`. */
  readonly kind: string;
  /** COSI type string, e.g. `MachineClasses.omni.sidero.dev`. */
  readonly type: string;
  /** Namespace resources of this kind live in. */
  readonly namespace: string;
  /** The spec codec. */
  readonly spec: SpecCodec<S>;
}

function kind<S>(name: string, type: string, namespace: string, spec: SpecCodec<S>): ResourceKind<S> {
  return { kind: name, type, namespace, spec };
}

/**
 * Every kind the client reads or writes.
 *
 * @example
 * ```ts
 * const cluster = await client.get(omniKinds.Cluster, 'talos-prod');
 * console.log(cluster.spec.talosVersion);
 * ```
 */
export const omniKinds = {
  /** `Clusters.omni.sidero.dev` (namespace `default`). */
  Cluster: kind('Cluster', 'Clusters.omni.sidero.dev', 'default', ClusterSpec),
  /** `MachineSets.omni.sidero.dev` (namespace `default`). */
  MachineSet: kind('MachineSet', 'MachineSets.omni.sidero.dev', 'default', MachineSetSpec),
  /** `ConfigPatches.omni.sidero.dev` (namespace `default`). */
  ConfigPatch: kind('ConfigPatch', 'ConfigPatches.omni.sidero.dev', 'default', ConfigPatchSpec),
  /** `MachineClasses.omni.sidero.dev` (namespace `default`). */
  MachineClass: kind('MachineClass', 'MachineClasses.omni.sidero.dev', 'default', MachineClassSpec),
  /** `ExtensionsConfigurations.omni.sidero.dev` (namespace `default`). */
  ExtensionsConfiguration: kind(
    'ExtensionsConfiguration',
    'ExtensionsConfigurations.omni.sidero.dev',
    'default',
    ExtensionsConfigurationSpec,
  ),
  /** `InfraProviders.omni.sidero.dev` (namespace `infra-provider`). */
  InfraProvider: kind('InfraProvider', 'InfraProviders.omni.sidero.dev', 'infra-provider', InfraProviderSpec),
  /** `InfraProviderStatuses.omni.sidero.dev` (namespace `infra-provider`, written by the provider). */
  InfraProviderStatus: kind(
    'InfraProviderStatus',
    'InfraProviderStatuses.omni.sidero.dev',
    'infra-provider',
    InfraProviderStatusSpec,
  ),
  /**
   * `InfraProviderHealthStatuses.omni.sidero.dev` (namespace `infra-provider-ephemeral`, the heartbeat a running
   * provider writes).
   */
  InfraProviderHealthStatus: kind(
    'InfraProviderHealthStatus',
    'InfraProviderHealthStatuses.omni.sidero.dev',
    'infra-provider-ephemeral',
    InfraProviderHealthStatusSpec,
  ),
  /** `ClusterStatuses.omni.sidero.dev` (namespace `default`, read-only). */
  ClusterStatus: kind('ClusterStatus', 'ClusterStatuses.omni.sidero.dev', 'default', ClusterStatusSpec),
  /** `MachineSetStatuses.omni.sidero.dev` (namespace `default`, read-only). */
  MachineSetStatus: kind('MachineSetStatus', 'MachineSetStatuses.omni.sidero.dev', 'default', MachineSetStatusSpec),
} as const;

/** The names of {@link omniKinds}. */
export type OmniKindName = keyof typeof omniKinds;
