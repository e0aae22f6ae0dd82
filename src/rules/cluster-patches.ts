import type { Topology } from '../models/define.js';
import type { TalosPatch } from '../models/talos-cluster.js';
import type { DeepReadonly } from '../models/define.js';

/** A Talos patch with where it sits in the topology. */
export interface LocatedPatch {
  /** The Talos cluster the patch belongs to. */
  readonly cluster: string;
  /** Dotted path of the patch, e.g. `clusters.talos-matrix.patches.0`. */
  readonly path: string;
  /** The patch. */
  readonly patch: DeepReadonly<TalosPatch>;
}

/**
 * Every patch of every cluster: cluster-wide, control plane and worker sets, in topology order.
 *
 * @param topology - A validated topology.
 * @returns The patches with their paths.
 */
export function clusterPatches(topology: Topology): LocatedPatch[] {
  const out: LocatedPatch[] = [];
  for (const [cluster, spec] of Object.entries(topology.clusters)) {
    const add = (prefix: string, patches: readonly DeepReadonly<TalosPatch>[]): void =>
      patches.forEach((patch, index) => out.push({ cluster, path: `${prefix}.patches.${index}`, patch }));
    add(`clusters.${cluster}`, spec.patches);
    add(`clusters.${cluster}.controlPlane`, spec.controlPlane.patches);
    for (const [set, workers] of Object.entries(spec.workers))
      add(`clusters.${cluster}.workers.${set}`, workers.patches);
  }
  return out;
}

/**
 * The Talos minor version Omni generates a cluster's base config in: its initial version.
 *
 * @param topology - A validated topology.
 * @param cluster - The cluster's name.
 * @returns The minor number, e.g. 13 for `v1.13.9`.
 */
export function initialTalosMinor(topology: Topology, cluster: string): number {
  const spec = topology.clusters[cluster];
  const version = spec?.initialTalosVersion ?? spec?.talosVersion ?? 'v1.0.0';
  return Number(/^v\d+\.(\d+)/.exec(version)?.[1] ?? 0);
}
