import type { DriftDocument, DriftItem } from '../src/orchestration/drift.js';

/**
 * Each node's drift items as `category kind id`, for tests to compare a drift document at a glance.
 *
 * @param document - A drift document (`drift --json` parsed, or `driftDocument`).
 * @returns The lines by node; a node that could not be checked has none.
 */
export function driftLines(document: DriftDocument): Record<string, string[]> {
  return Object.fromEntries(
    document.targets.map((target) => [
      target.node,
      target.status === 'checked' ? target.drift.map((item: DriftItem) => `${item.drift} ${item.kind} ${item.id}`) : [],
    ]),
  );
}
