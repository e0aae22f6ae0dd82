/**
 * The targets as a graph: which live system needs which other one in place before it can be applied, and why.
 *
 * @module
 */
import type { PlanTarget } from '../plan/change.js';

/**
 * Every target in the order the lab is brought up when nothing else decides: Proxmox guests and access, the hosts'
 * stacks, UniFi DNS and routes, the Auth0 application, Tailscale devices and policy, then Omni. Sections of a plan and
 * ties between targets that may run at the same time follow this order.
 */
export const TARGET_ORDER: readonly PlanTarget[] = ['proxmox', 'hosts', 'unifi', 'auth0', 'tailscale', 'omni'];

/** One edge of the graph: a target that must be applied first, and why. */
export interface TargetDependency {
  /** The target that must be applied first. */
  readonly on: PlanTarget;
  /** What breaks without it. */
  readonly reason: string;
}

/**
 * The real dependencies between targets. A target not listed as a prerequisite of another may run beside it:
 * - UniFi has none: a DNS record or a static route names an address, which need not answer yet.
 * - Auth0 has none: the application is an object of the tenant; Omni's sign-in uses it, but the SDK's own calls to
 *   Omni authenticate with a service account, so Omni does not wait for it.
 * - Tailscale has none: the policy is the tailnet's alone; minting auth keys writes them into the stacks' `.env` in
 *   `--out`, and a device the hosts have not started yet is planned as "not in the tailnet yet" (a rerun sets it).
 */
export const TARGET_DEPENDENCIES: Readonly<Record<PlanTarget, readonly TargetDependency[]>> = {
  proxmox: [],
  hosts: [
    {
      on: 'proxmox',
      reason: 'the stacks run on guests Proxmox creates and starts; SSH reaches a host only once its guest runs',
    },
  ],
  unifi: [],
  auth0: [],
  tailscale: [],
  omni: [
    { on: 'hosts', reason: 'Omni itself and its infra providers run in stacks on the hosts' },
    {
      on: 'unifi',
      reason:
        "the infra provider reaches Omni at its name (--omni-api-endpoint in the provider's compose.yaml), which " +
        'UniFi DNS answers on the LAN; apply waits for the provider to connect',
    },
  ],
};

/** One unit of plan and apply: a target, or one Proxmox cluster (each cluster is its own API). */
export interface TargetNode {
  /** `proxmox:<cluster>` for a Proxmox cluster, else the target's name. */
  readonly id: string;
  /** The target. */
  readonly target: PlanTarget;
  /** The Proxmox cluster, for a Proxmox node. */
  readonly cluster?: string;
  /** The ids of the nodes that must be applied first. */
  readonly needs: readonly string[];
}

/** A target to place in the graph, with its Proxmox clusters for `proxmox`. */
export interface GraphEntry {
  /** The target. */
  readonly target: PlanTarget;
  /** For `proxmox`: the clusters, one node each. */
  readonly clusters?: readonly string[];
}

/**
 * The nodes a target needs among the chosen ones. A prerequisite that is not chosen is looked through to its own
 * prerequisites: Omni needs the hosts, which need Proxmox's guests, so without the hosts target Omni still waits for
 * Proxmox.
 */
function chosenPrerequisites(target: PlanTarget, byTarget: ReadonlyMap<PlanTarget, readonly string[]>): string[] {
  const ids = TARGET_DEPENDENCIES[target].flatMap(
    (dependency) => byTarget.get(dependency.on) ?? chosenPrerequisites(dependency.on, byTarget),
  );
  return [...new Set(ids)];
}

/**
 * Builds the graph of the chosen targets, with an edge for each prerequisite, direct or through a target not chosen.
 *
 * @param entries - The chosen targets, in any order.
 * @returns The nodes in dependency order (ties in {@link TARGET_ORDER}, Proxmox clusters by name).
 */
export function targetGraph(entries: readonly GraphEntry[]): TargetNode[] {
  const byTarget = new Map<PlanTarget, string[]>();
  for (const entry of entries) {
    const ids =
      entry.target === 'proxmox'
        ? [...(entry.clusters ?? [])].sort().map((cluster) => `proxmox:${cluster}`)
        : [entry.target];
    byTarget.set(entry.target, ids);
  }
  const nodes: TargetNode[] = [];
  // TARGET_ORDER lists every prerequisite before the targets that need it, so walking it yields a dependency order.
  for (const target of TARGET_ORDER) {
    const needs = chosenPrerequisites(target, byTarget);
    for (const id of byTarget.get(target) ?? []) {
      const cluster = target === 'proxmox' ? id.slice('proxmox:'.length) : undefined;
      nodes.push({ id, target, ...(cluster !== undefined ? { cluster } : {}), needs });
    }
  }
  return nodes;
}

/**
 * Turns a graph around for taking the lab down: each node needs the nodes that needed it, so a node is destroyed only
 * once everything that runs on it or reaches it is gone (Omni before the hosts, the hosts before Proxmox's guests).
 *
 * @param nodes - The nodes in dependency order (see {@link targetGraph}).
 * @returns The same nodes in reverse order, each with `needs` listing the nodes that needed it.
 */
export function reverseTargetGraph(nodes: readonly TargetNode[]): TargetNode[] {
  const reversed = [...nodes].reverse();
  return reversed.map((node) => ({
    ...node,
    needs: reversed.filter((other) => other.needs.includes(node.id)).map((other) => other.id),
  }));
}
