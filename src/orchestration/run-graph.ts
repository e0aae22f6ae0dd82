import type { TargetNode } from './target-graph.js';

/** How one node of a run ended. */
export type NodeOutcome<T> =
  | {
      /** It ran to the end. */
      readonly status: 'done';
      /** What it produced. */
      readonly value: T;
    }
  | {
      /** It threw. */
      readonly status: 'failed';
      /** What it threw. */
      readonly error: unknown;
    }
  | {
      /** It was not started because a node it needs failed. */
      readonly status: 'not-attempted';
      /** The failed nodes it waited for, directly or through others, in graph order. */
      readonly blockedBy: readonly string[];
    };

/** How {@link runGraph} schedules. */
export interface RunGraphOptions {
  /** How many nodes run at once (at least 1). */
  readonly concurrency: number;
  /** Start a node only after every node it needs is done, and never after one failed (apply); else start any (plan). */
  readonly followDependencies: boolean;
}

/**
 * Runs work for each node of a graph: nodes whose prerequisites are done run side by side up to the bound, in graph
 * order; a failure marks every node that needs it, directly or not, as not attempted, and the rest go on.
 *
 * @param nodes - The nodes in dependency order (see `targetGraph`).
 * @param work - What to do for one node.
 * @param options - Concurrency and whether dependencies gate.
 * @returns Each node's outcome, in the order of `nodes`.
 */
export function runGraph<T>(
  nodes: readonly TargetNode[],
  work: (node: TargetNode) => Promise<T>,
  options: RunGraphOptions,
): Promise<NodeOutcome<T>[]> {
  const outcomes = new Map<string, NodeOutcome<T>>();
  const running = new Set<string>();
  const limit = Math.max(1, options.concurrency);
  return new Promise((resolve) => {
    const step = (): void => {
      // One pass in dependency order settles a whole chain of blocked nodes: a node's prerequisites come before it.
      for (const node of nodes) {
        if (outcomes.has(node.id) || running.has(node.id)) continue;
        const needs = options.followDependencies ? node.needs.filter((id) => nodes.some((n) => n.id === id)) : [];
        const blockedBy = [
          ...new Set(
            needs.flatMap((id) => {
              const outcome = outcomes.get(id);
              if (outcome?.status === 'failed') return [id];
              return outcome?.status === 'not-attempted' ? outcome.blockedBy : [];
            }),
          ),
        ];
        if (blockedBy.length > 0) {
          outcomes.set(node.id, { status: 'not-attempted', blockedBy });
          continue;
        }
        if (running.size >= limit || !needs.every((id) => outcomes.get(id)?.status === 'done')) continue;
        running.add(node.id);
        work(node).then(
          (value) => settle(node, { status: 'done', value }),
          (error: unknown) => settle(node, { status: 'failed', error }),
        );
      }
      if (outcomes.size === nodes.length) resolve(nodes.map((node) => outcomes.get(node.id)!));
    };
    const settle = (node: TargetNode, outcome: NodeOutcome<T>): void => {
      running.delete(node.id);
      outcomes.set(node.id, outcome);
      step();
    };
    step();
  });
}
