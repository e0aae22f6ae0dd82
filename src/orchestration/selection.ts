/**
 * Which targets a run covers: every target with credentials in the environment and artifacts in the set, narrowed by
 * the targets asked for; each one left out is told with its reason.
 *
 * @module
 */
import type { ArtifactKind, ArtifactSet } from '../generators/artifact.js';
import { artifactsOfKind } from '../generators/artifact.js';
import type { PlanTarget } from '../plan/change.js';
import type { TargetEnvironment } from './credentials.js';
import { missingCredentials } from './credentials.js';
import type { GraphEntry, TargetNode } from './target-graph.js';
import { TARGET_ORDER, targetGraph } from './target-graph.js';

/**
 * The artifact kinds each target reads from the set: without any of them it has nothing to plan. Proxmox is read per
 * cluster instead (`proxmoxArtifactClusters`).
 */
const TARGET_ARTIFACTS: Readonly<Record<Exclude<PlanTarget, 'proxmox'>, readonly ArtifactKind[]>> = {
  omni: ['omni-infra-provider', 'omni-machine-class', 'omni-cluster-template'],
  hosts: ['host-ssh'],
  unifi: ['unifi-dns-records', 'unifi-static-routes'],
  auth0: ['auth0-application'],
  tailscale: ['tailscale-policy', 'tailscale-devices'],
};

/** A target a run does not cover, and why. */
export type LeftOutTarget =
  | {
      /** The target. */
      readonly target: PlanTarget;
      /** Its credentials are not in the environment. */
      readonly reason: 'no-credentials';
      /** The client's error, naming the variables to set. */
      readonly error: Error;
      /** For `proxmox`: the cluster whose credentials are missing (each cluster may have its own). */
      readonly cluster?: string;
    }
  | {
      /** The target. */
      readonly target: PlanTarget;
      /** The artifact set has nothing for it (for `proxmox`, nothing for the cluster asked for). */
      readonly reason: 'no-artifacts';
    }
  | {
      /** The target. */
      readonly target: PlanTarget;
      /** Targets were named, and not this one. */
      readonly reason: 'not-requested';
    };

/** The targets a run covers. */
export interface TargetSelection {
  /** The graph of the targets covered, in dependency order. */
  readonly nodes: readonly TargetNode[];
  /** The targets left out, in {@link TARGET_ORDER}. */
  readonly leftOut: readonly LeftOutTarget[];
}

/** What to select from. */
export interface SelectTargetsOptions {
  /** The targets named (`--target`, repeatable); empty for every target. */
  readonly requested: readonly PlanTarget[];
  /** Only this Proxmox cluster (`--cluster`). */
  readonly cluster?: string;
}

/**
 * Chooses the targets of a run. A target named in `requested` without credentials is an error (the person asked for
 * it); without `requested`, such a target is left out.
 *
 * @param set - The artifact set.
 * @param env - The environment holding credentials.
 * @param options - The targets named and the Proxmox cluster.
 * @returns The graph of the targets covered and the targets left out.
 * @throws The client's credentials error for a requested target whose credentials are missing.
 */
export async function selectTargets(
  set: ArtifactSet,
  env: TargetEnvironment,
  options: SelectTargetsOptions,
): Promise<TargetSelection> {
  const entries: GraphEntry[] = [];
  const leftOut: LeftOutTarget[] = [];
  const { proxmoxArtifactClusters } = await import('../clients/proxmox/index.js');
  for (const target of TARGET_ORDER) {
    if (options.requested.length > 0 && !options.requested.includes(target)) {
      leftOut.push({ target, reason: 'not-requested' });
      continue;
    }
    const clusters =
      target === 'proxmox'
        ? proxmoxArtifactClusters(set).filter((cluster) => options.cluster === undefined || cluster === options.cluster)
        : undefined;
    const hasArtifacts =
      target === 'proxmox'
        ? (clusters?.length ?? 0) > 0
        : TARGET_ARTIFACTS[target].some((kind) => artifactsOfKind(set, kind).length > 0);
    if (!hasArtifacts) {
      leftOut.push({ target, reason: 'no-artifacts' });
      continue;
    }
    if (target === 'proxmox') {
      // Each cluster is its own API: one without credentials is left out, the others go on.
      const { proxmoxClusterEnvironment, proxmoxClusterSuffix } = await import('../clients/proxmox/index.js');
      const covered: string[] = [];
      for (const cluster of clusters ?? []) {
        const missing = await missingCredentials(target, proxmoxClusterEnvironment(env, cluster));
        const error = missing
          ? new Error(
              `${missing.message} (for cluster ${cluster} alone: PROXMOX_<NAME>__${proxmoxClusterSuffix(cluster)})`,
            )
          : undefined;
        if (error && options.requested.includes(target)) throw error;
        if (error) leftOut.push({ target, reason: 'no-credentials', error, cluster });
        else covered.push(cluster);
      }
      if (covered.length > 0) entries.push({ target, clusters: covered });
      continue;
    }
    const error = await missingCredentials(target, env);
    if (error && options.requested.includes(target)) throw error;
    if (error) leftOut.push({ target, reason: 'no-credentials', error });
    else entries.push({ target });
  }
  return { nodes: targetGraph(entries), leftOut };
}

/**
 * The node a run of one target covers (`--target T` alone): the target itself, or for Proxmox its one cluster.
 *
 * @param set - The artifact set.
 * @param target - The target.
 * @param cluster - The Proxmox cluster asked for (`--cluster`), if any.
 * @returns The node, or `undefined` for Proxmox when the set holds several clusters and none was named.
 */
export async function singleTargetNode(
  set: ArtifactSet,
  target: PlanTarget,
  cluster: string | undefined,
): Promise<TargetNode | undefined> {
  if (target !== 'proxmox') return targetGraph([{ target }])[0];
  const { proxmoxArtifactClusters } = await import('../clients/proxmox/index.js');
  const clusters = cluster !== undefined ? [cluster] : proxmoxArtifactClusters(set);
  return clusters.length === 1 ? targetGraph([{ target, clusters }])[0] : undefined;
}
