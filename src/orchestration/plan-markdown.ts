/**
 * A plan across targets as markdown (`plan --format markdown`), for a pull-request comment: the totals as the
 * heading, the targets left out with their reason, and a collapsible section per node holding its plan as `plan`
 * prints it, field-level diffs included.
 *
 * @module
 */
import { summarizePlan } from '../plan/change.js';
import type { Plan } from '../plan/change.js';
import { formatPlan, formatPlanSummary } from '../plan/format.js';
import type { MarkdownSection } from './markdown.js';
import { renderMarkdown } from './markdown.js';
import type { ReportWords } from './report.js';
import { addPlanSummaries, firstLine, leftOutLine, planFailureText } from './report.js';
import type { TargetRun } from './run-all.js';
import type { TargetSelection } from './selection.js';

/** How {@link formatPlanMarkdown} bounds the document. */
export interface PlanMarkdownOptions {
  /** The longest document (see `renderMarkdown`); a GitHub comment's bound by default. */
  readonly maxLength?: number;
  /** The command a reader runs to see a plan that was shortened; `talos-topology plan` by default. */
  readonly fullCommand?: string;
}

function section({ node, outcome }: TargetRun<Plan>, words: ReportWords): MarkdownSection {
  const after = node.needs.length ? ` (after ${node.needs.join(', ')})` : '';
  if (outcome.status !== 'done') {
    const text = planFailureText(outcome, words);
    return { title: node.id, summary: `${firstLine(text)}${after}`, body: text };
  }
  const plan = words.plan(outcome.value);
  return {
    title: node.id,
    summary: `${formatPlanSummary(summarizePlan(plan))}${after}`,
    // Markdown never carries colour escapes, whatever the front end's wording asks for.
    body: formatPlan(plan, { color: false }),
  };
}

/**
 * A plan across targets as bounded markdown, the same content as `formatPlanDocument`: totals, targets left out,
 * then a folded section per node in dependency order whose summary line is that node's counts (or why it has no
 * plan).
 *
 * @param selection - The targets left out (and covered).
 * @param runs - Each node's plan or error, from `planAll`.
 * @param words - The front end's wording.
 * @param options - The size bound and the command that shows a shortened plan whole.
 * @returns Markdown ending in a newline.
 */
export function formatPlanMarkdown(
  selection: Pick<TargetSelection, 'leftOut'>,
  runs: readonly TargetRun<Plan>[],
  words: ReportWords,
  options: PlanMarkdownOptions = {},
): string {
  const plans = runs.flatMap((run) => (run.outcome.status === 'done' ? [words.plan(run.outcome.value)] : []));
  const failed = runs.length - plans.length;
  const total = formatPlanSummary(addPlanSummaries(plans.map(summarizePlan)));
  const targets = runs.map((run) => run.node.id).join(', ') || 'no targets';
  return renderMarkdown(
    {
      heading: `talos-topology plan (${targets}): ${total}${failed ? `; ${failed} plan${failed === 1 ? '' : 's'} failed` : ''}`,
      notes: selection.leftOut.map((left) => leftOutLine(left, words)),
      sections: runs.map((run) => section(run, words)),
    },
    {
      fullCommand: options.fullCommand ?? 'talos-topology plan',
      ...(options.maxLength !== undefined ? { maxLength: options.maxLength } : {}),
    },
  );
}
