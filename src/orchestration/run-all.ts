import type { ArtifactSet } from '../generators/artifact.js';
import type { Change, Plan } from '../plan/change.js';
import type { NodeOutcome } from './run-graph.js';
import { runGraph } from './run-graph.js';
import type { TargetApplyResult, TargetSession } from './session.js';
import type { TargetNode } from './target-graph.js';

/** How many targets talk to their systems at once: enough to overlap the slow ones, few enough to stay readable. */
export const DEFAULT_CONCURRENCY = 3;

/** Opens a session to a node's live system (for a Proxmox node, to its cluster). */
export type OpenTargetSession = (node: TargetNode) => Promise<TargetSession>;

/** One node of a run and how it ended. */
export interface TargetRun<T> {
  /** The node. */
  readonly node: TargetNode;
  /** Its outcome. */
  readonly outcome: NodeOutcome<T>;
}

/** What {@link planAll} and {@link applyAll} take besides the nodes. */
export interface RunAllOptions {
  /** The artifact set. */
  readonly set: ArtifactSet;
  /** Opens each node's session; the session is closed when the node is done. */
  readonly open: OpenTargetSession;
  /** How many nodes run at once; {@link DEFAULT_CONCURRENCY} by default. */
  readonly concurrency?: number;
}

/**
 * Opens a node's session, uses it and closes it, whatever happened.
 *
 * @param node - The node.
 * @param open - Opens its session.
 * @param use - The work.
 * @returns What the work returned.
 */
export async function withSession<T>(
  node: TargetNode,
  open: OpenTargetSession,
  use: (session: TargetSession) => Promise<T>,
): Promise<T> {
  const session = await open(node);
  try {
    return await use(session);
  } finally {
    await session.close();
  }
}

/**
 * Plans every node. Plans only read, so they all run side by side (bounded), whatever depends on what; a plan that
 * fails is reported in its place and the others go on.
 *
 * @param nodes - The nodes, in dependency order.
 * @param options - The artifact set, the session opener and the bound.
 * @returns Each node's plan or error, in the order of `nodes`.
 */
export async function planAll(nodes: readonly TargetNode[], options: RunAllOptions): Promise<TargetRun<Plan>[]> {
  const outcomes = await runGraph(nodes, (node) => withSession(node, options.open, (s) => s.plan(options.set)), {
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    followDependencies: false,
  });
  return nodes.map((node, index) => ({ node, outcome: outcomes[index]! }));
}

/**
 * Applies every node in dependency order: a node starts once every node it needs is applied, nodes that do not need
 * each other run side by side (bounded), and a failure leaves the nodes that need it not attempted while the others
 * finish. Each target's apply plans afresh and is idempotent, so running it again continues where it stopped.
 *
 * @param nodes - The nodes, in dependency order.
 * @param options - The artifact set, the session opener and the bound.
 * @returns Each node's result, error or the failures it waited for, in the order of `nodes`.
 */
export async function applyAll(
  nodes: readonly TargetNode[],
  options: RunAllOptions,
): Promise<TargetRun<TargetApplyResult>[]> {
  const outcomes = await runGraph(nodes, (node) => withSession(node, options.open, (s) => s.apply(options.set)), {
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    followDependencies: true,
  });
  return nodes.map((node, index) => ({ node, outcome: outcomes[index]! }));
}

/**
 * The changes a run left undone: those a node skipped (an adoption without consent, a root@pam step, a stack without
 * its secret) that no node of the same run applied afterwards. Omni's apply with the provider key carried to its host
 * starts the provider's stack that the hosts target had to skip for want of that key, so in a run across targets that
 * skip is not left for a person.
 *
 * @param runs - The nodes of an apply and how they ended.
 * @returns The skipped changes still undone, in node order.
 */
export function outstandingSkips(runs: readonly TargetRun<TargetApplyResult>[]): Change[] {
  const key = (change: Change): string => `${change.target}\u0000${change.kind}\u0000${change.id}`;
  const done = runs.flatMap(({ outcome }) => (outcome.status === 'done' ? [outcome.value] : []));
  const applied = new Set(done.flatMap((result) => result.applied.map(key)));
  return done.flatMap((result) => result.skipped.filter((change) => !applied.has(key(change))));
}
