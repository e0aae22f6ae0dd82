/**
 * Taking the lab down across targets: plan the removal of what the SDK owns on every system, then remove it in
 * reverse dependency order.
 *
 * @module
 */
import type { Plan } from '../plan/change.js';
import type { RunAllOptions, TargetRun } from './run-all.js';
import { DEFAULT_CONCURRENCY, withSession } from './run-all.js';
import { runGraph } from './run-graph.js';
import type { TargetApplyResult, TargetSession } from './session.js';
import type { TargetNode } from './target-graph.js';
import { reverseTargetGraph } from './target-graph.js';

/** A target whose session has no destroy yet: nothing of it is removed, and what it protects is not attempted. */
export class DestroyUnsupportedError extends Error {
  /** Always `DestroyUnsupportedError`. */
  override readonly name = 'DestroyUnsupportedError';

  /** @param node - The node whose target cannot destroy. */
  constructor(node: TargetNode) {
    super(`the ${node.target} target cannot destroy yet; nothing of ${node.id} is removed`);
  }
}

function destroyOf<K extends 'planDestroy' | 'destroy'>(
  session: TargetSession,
  node: TargetNode,
  method: K,
): NonNullable<TargetSession[K]> {
  const run = session[method];
  if (!run) throw new DestroyUnsupportedError(node);
  return run.bind(session) as NonNullable<TargetSession[K]>;
}

/**
 * Plans the destroy of every node. Plans only read, so they run side by side (bounded); a node whose target has no
 * destroy fails with {@link DestroyUnsupportedError}, and the others go on.
 *
 * @param nodes - The nodes, in dependency order (as `selectTargets` gives them).
 * @param options - The artifact set, the session opener and the bound.
 * @returns Each node's destroy plan or error, in reverse dependency order (the order of the destroy), each node's
 *   `needs` naming the nodes destroyed before it.
 */
export async function planDestroyAll(nodes: readonly TargetNode[], options: RunAllOptions): Promise<TargetRun<Plan>[]> {
  const reversed = reverseTargetGraph(nodes);
  const outcomes = await runGraph(
    reversed,
    (node) => withSession(node, options.open, (s) => destroyOf(s, node, 'planDestroy')(options.set)),
    { concurrency: options.concurrency ?? DEFAULT_CONCURRENCY, followDependencies: false },
  );
  return reversed.map((node, index) => ({ node, outcome: outcomes[index]! }));
}

/**
 * Destroys every node in reverse dependency order: a node starts once every node that needs it is destroyed (Omni
 * before the hosts, the hosts before Proxmox), nodes that do not depend on each other run side by side (bounded),
 * and a failure leaves the nodes it protects not attempted while the others finish. Each target's destroy plans
 * afresh and removes only what the SDK owns, so running it again continues where it stopped.
 *
 * @param nodes - The nodes, in dependency order (as `selectTargets` gives them).
 * @param options - The artifact set, the session opener and the bound.
 * @returns Each node's result, error or the failures it waited for, in reverse dependency order.
 */
export async function destroyAll(
  nodes: readonly TargetNode[],
  options: RunAllOptions,
): Promise<TargetRun<TargetApplyResult>[]> {
  const reversed = reverseTargetGraph(nodes);
  const outcomes = await runGraph(
    reversed,
    (node) => withSession(node, options.open, (s) => destroyOf(s, node, 'destroy')(options.set)),
    { concurrency: options.concurrency ?? DEFAULT_CONCURRENCY, followDependencies: true },
  );
  return reversed.map((node, index) => ({ node, outcome: outcomes[index]! }));
}
