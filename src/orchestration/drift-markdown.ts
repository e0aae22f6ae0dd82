/**
 * The drift document as markdown for a pull-request comment or a scheduled job's summary: a heading with the totals,
 * the targets left out, and a folded section per node holding what drifted (as `drift` prints it), bounded by
 * {@link renderMarkdown}.
 *
 * @module
 */
import type { DriftDocument } from './drift.js';
import { driftNodeLines, driftNodeSummary, formatDriftTotal } from './drift.js';
import type { MarkdownOptions } from './markdown.js';
import { renderMarkdown } from './markdown.js';
import type { ReportWords } from './report.js';
import { leftOutLine } from './report.js';
import type { TargetSelection } from './selection.js';

/**
 * Renders a drift document as bounded markdown.
 *
 * @param document - From `driftDocument`.
 * @param selection - The selection it was made from (for the left-out lines).
 * @param words - The front end's wording.
 * @param options - The bound, and the command a reader runs to see a shortened section whole (`talos-topology
 *   drift` by default).
 * @returns Markdown ending in a newline.
 */
export function formatDriftMarkdown(
  document: DriftDocument,
  selection: Pick<TargetSelection, 'leftOut'>,
  words: ReportWords,
  options: Partial<MarkdownOptions> = {},
): string {
  const targets = document.targets.map((target) => target.node).join(', ') || 'no targets';
  const verdict = document.drifted ? 'drift found' : 'no drift';
  return renderMarkdown(
    {
      heading: `talos-topology drift (${targets}): ${verdict}; ${formatDriftTotal(document)}`,
      notes: selection.leftOut.map((left) => leftOutLine(left, words)),
      sections: document.targets.map((target) => ({
        title: target.node,
        summary: driftNodeSummary(target),
        body: driftNodeLines(target).join('\n'),
      })),
    },
    { fullCommand: 'talos-topology drift', ...options },
  );
}
