/**
 * One document for a run across targets: a section per target in dependency order, a summary line per target and in
 * total, as text for people and as JSON for machines.
 *
 * @module
 */
import type { Change, Plan, PlanSummary } from '../plan/change.js';
import { summarizePlan } from '../plan/change.js';
import type { PlanJson } from '../plan/format.js';
import { formatPlan, formatPlanSummary, planToJson } from '../plan/format.js';
import type { NodeOutcome } from './run-graph.js';
import type { TargetRun } from './run-all.js';
import type { LeftOutTarget, TargetSelection } from './selection.js';
import type { TargetApplyResult } from './session.js';
import type { TargetNode } from './target-graph.js';

/** How a front end words what the report holds (its own names for options, its own error messages). */
export interface ReportWords {
  /** A plan as the front end shows it (e.g. client option names replaced by its flags). */
  readonly plan: (plan: Plan) => Plan;
  /** A change as the front end shows it. */
  readonly change: (change: Change) => Change;
  /** An error's message, in the front end's words (never a secret). */
  readonly error: (error: unknown) => string;
  /** Colour the plans with ANSI escapes. */
  readonly color?: boolean;
}

/** A target left out, as JSON. */
export interface LeftOutJson {
  /** The target. */
  readonly target: LeftOutTarget['target'];
  /** Why. */
  readonly reason: LeftOutTarget['reason'];
  /** For a Proxmox cluster left out on its own: the cluster. */
  readonly cluster?: string;
  /** For `no-credentials`: what to set. */
  readonly message?: string;
}

/** A node of the graph, as JSON. */
export interface NodeJson {
  /** `proxmox:<cluster>` or the target's name. */
  readonly node: string;
  /** The target. */
  readonly target: TargetNode['target'];
  /** The Proxmox cluster, for a Proxmox node. */
  readonly cluster?: string;
  /** The nodes applied before it. */
  readonly needs: readonly string[];
}

/** A planned node, as JSON. */
export type PlannedNodeJson = NodeJson &
  (
    | ({
        /** The plan was made. */
        readonly status: 'planned';
      } & PlanJson)
    | {
        /** The plan could not be made. */
        readonly status: 'failed';
        /** Why. */
        readonly error: string;
      }
  );

/** A plan across targets, as JSON. */
export interface PlanDocumentJson {
  /** The nodes in dependency order, with their plans. */
  readonly targets: readonly PlannedNodeJson[];
  /** The targets left out. */
  readonly leftOut: readonly LeftOutJson[];
  /** The counts of every plan made, added up. */
  readonly summary: PlanSummary;
}

/** An applied node, as JSON. */
export type AppliedNodeJson = NodeJson &
  (
    | ({
        /** The node was applied. */
        readonly status: 'applied';
        /** The changes made. */
        readonly applied: readonly Change[];
        /** The changes left for a person. */
        readonly skipped: readonly Change[];
      } & PlanJson)
    | {
        /** Applying failed. */
        readonly status: 'failed';
        /** Why. */
        readonly error: string;
      }
    | {
        /** Not started: a node it needs failed. */
        readonly status: 'not-attempted';
        /** The failed nodes it needs. */
        readonly blockedBy: readonly string[];
      }
  );

/** How many nodes ended which way. */
export interface ApplyCounts {
  /** Applied. */
  readonly applied: number;
  /** Failed. */
  readonly failed: number;
  /** Not started because a node they need failed. */
  readonly notAttempted: number;
}

/** An apply across targets, as JSON. */
export interface ApplyReportJson {
  /** The nodes in dependency order, with what happened. */
  readonly targets: readonly AppliedNodeJson[];
  /** The targets left out. */
  readonly leftOut: readonly LeftOutJson[];
  /** How many nodes were applied, failed and not attempted. */
  readonly summary: ApplyCounts;
}

/** Which way a run goes: bringing the lab up (plan, apply) or taking it down (destroy, in reverse dependency order). */
export type RunDirection = 'up' | 'down';

/** The words of each direction: the documents' titles, their order, and what a done node did. */
const DIRECTION_WORDS: Readonly<
  Record<RunDirection, { plan: string; run: string; order: string; done: string; total: string }>
> = {
  up: { plan: 'plan', run: 'apply', order: 'dependency order', done: 'applied', total: 'applied' },
  down: {
    plan: 'destroy plan',
    run: 'destroy',
    order: 'reverse dependency order',
    done: 'removed',
    total: 'destroyed',
  },
};

const REASON: Readonly<Record<LeftOutTarget['reason'], string>> = {
  'no-credentials': 'no credentials',
  'no-artifacts': 'no artifacts in the output folder',
  'not-requested': 'not asked for',
};

/**
 * A target left out, as JSON.
 *
 * @param left - The target and why.
 * @param words - The front end's wording (for the credentials error).
 * @returns JSON-safe data.
 */
export function leftOutJson(left: LeftOutTarget, words: ReportWords): LeftOutJson {
  return {
    target: left.target,
    reason: left.reason,
    ...(left.reason === 'no-credentials' && left.cluster !== undefined ? { cluster: left.cluster } : {}),
    ...(left.reason === 'no-credentials' ? { message: words.error(left.error) } : {}),
  };
}

/**
 * One target left out, as a line of a report.
 *
 * @param left - The target and why it is left out.
 * @param words - The front end's wording.
 * @returns E.g. `left out: proxmox:quantum: no credentials (PROXMOX_URL is not set ...)`.
 */
export function leftOutLine(left: LeftOutTarget, words: ReportWords): string {
  const json = leftOutJson(left, words);
  const name = json.cluster !== undefined ? `${left.target}:${json.cluster}` : left.target;
  return `left out: ${name}: ${REASON[left.reason]}${json.message ? ` (${json.message})` : ''}`;
}

/**
 * One `left out: <target>: <reason>` line per target a run does not cover.
 *
 * @param selection - The targets covered and left out.
 * @param words - The front end's wording.
 * @returns The lines, in target order.
 */
export function leftOutLines(selection: TargetSelection, words: ReportWords): string[] {
  return selection.leftOut.map((left) => leftOutLine(left, words));
}

/**
 * A node of the graph, as JSON.
 *
 * @param node - The node.
 * @returns Its id, target, cluster and the nodes it needs.
 */
export function nodeJson(node: TargetNode): NodeJson {
  return {
    node: node.id,
    target: node.target,
    ...(node.cluster !== undefined ? { cluster: node.cluster } : {}),
    needs: node.needs,
  };
}

/**
 * The heading of a node's section: `== <node> (after <needs>) ==`.
 *
 * @param node - The node.
 * @returns One line.
 */
export function heading(node: TargetNode): string {
  return `== ${node.id}${node.needs.length ? ` (after ${node.needs.join(', ')})` : ''} ==`;
}

/**
 * A summary line holds the first line of a message; its section holds all of it.
 *
 * @param text - A message, perhaps of several lines.
 * @returns Its first line, with ` ...` when more follows.
 */
export function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end < 0 ? text : `${text.slice(0, end)} ...`;
}

function notAttempted(outcome: Extract<NodeOutcome<unknown>, { status: 'not-attempted' }>): string {
  return `not attempted: depends on ${outcome.blockedBy.join(', ')} which failed`;
}

/**
 * Why a node has no plan, as a report says it.
 *
 * @param outcome - The node's outcome when its plan was not made.
 * @param words - The front end's wording.
 * @returns `plan failed: <message>` or `not attempted: depends on ...`.
 */
export function planFailureText(
  outcome: Exclude<NodeOutcome<unknown>, { status: 'done' }>,
  words: ReportWords,
): string {
  return outcome.status === 'failed' ? `plan failed: ${words.error(outcome.error)}` : notAttempted(outcome);
}

/**
 * Adds plan counts up.
 *
 * @param summaries - The counts of each plan.
 * @returns Their sum (`adopt` only when some plan has one).
 */
export function addPlanSummaries(summaries: readonly PlanSummary[]): PlanSummary {
  const total = { create: 0, update: 0, adopt: 0, delete: 0, 'no-op': 0 };
  for (const summary of summaries) {
    for (const action of Object.keys(total) as (keyof typeof total)[]) total[action] += summary[action] ?? 0;
  }
  const { adopt, ...rest } = total;
  return adopt ? { ...rest, adopt } : rest;
}

/**
 * A plan across targets as one text document: what is covered and left out, a section per node in dependency order
 * with its field-level changes, then a summary line per node and in total.
 *
 * @param selection - The nodes covered and the targets left out.
 * @param runs - Each node's plan or error, from `planAll`.
 * @param words - The front end's wording.
 * @param direction - `up` for plan, `down` for the plan of a destroy (runs in reverse dependency order).
 * @returns Text ending in a newline.
 */
export function formatPlanDocument(
  selection: TargetSelection,
  runs: readonly TargetRun<Plan>[],
  words: ReportWords,
  direction: RunDirection = 'up',
): string {
  const { plan: title, order } = DIRECTION_WORDS[direction];
  const lines = [`${title}: ${runs.map((run) => run.node.id).join(', ') || 'no targets'} (in ${order})`];
  lines.push(...leftOutLines(selection, words));
  const summary: string[] = [];
  for (const { node, outcome } of runs) {
    lines.push('', heading(node));
    if (outcome.status === 'done') {
      const plan = words.plan(outcome.value);
      lines.push(formatPlan(plan, { color: words.color ?? false }).trimEnd());
      summary.push(`  ${node.id}: ${formatPlanSummary(summarizePlan(plan))}`);
    } else {
      const text = planFailureText(outcome, words);
      lines.push(text);
      summary.push(`  ${node.id}: ${firstLine(text)}`);
    }
  }
  const failed = runs.filter((run) => run.outcome.status !== 'done').length;
  const total = formatPlanSummary(addPlanSummaries(plansOf(runs).map(summarizePlan)));
  lines.push(
    '',
    'summary',
    ...summary,
    `  total: ${total}${failed ? `; ${failed} plan${failed === 1 ? '' : 's'} failed` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

function plansOf(runs: readonly TargetRun<Plan>[]): Plan[] {
  return runs.flatMap((run) => (run.outcome.status === 'done' ? [run.outcome.value] : []));
}

/**
 * A plan across targets as JSON data, the same structure as {@link formatPlanDocument}.
 *
 * @param selection - The nodes covered and the targets left out.
 * @param runs - Each node's plan or error, from `planAll`.
 * @param words - The front end's wording.
 * @returns JSON-safe data.
 */
export function planDocumentJson(
  selection: TargetSelection,
  runs: readonly TargetRun<Plan>[],
  words: ReportWords,
): PlanDocumentJson {
  const targets = runs.map(({ node, outcome }): PlannedNodeJson => {
    if (outcome.status !== 'done') {
      const error = outcome.status === 'failed' ? words.error(outcome.error) : notAttempted(outcome);
      return { ...nodeJson(node), status: 'failed', error };
    }
    return { ...planToJson(words.plan(outcome.value)), ...nodeJson(node), status: 'planned' };
  });
  return {
    targets,
    leftOut: selection.leftOut.map((left) => leftOutJson(left, words)),
    summary: addPlanSummaries(plansOf(runs).map((plan) => summarizePlan(words.plan(plan)))),
  };
}

/**
 * Counts how the nodes of an apply ended.
 *
 * @param runs - Each node's outcome, from `applyAll`.
 * @returns How many were applied, failed and not attempted.
 */
export function countApplied(runs: readonly TargetRun<TargetApplyResult>[]): ApplyCounts {
  const count = (status: NodeOutcome<unknown>['status']): number =>
    runs.filter((run) => run.outcome.status === status).length;
  return { applied: count('done'), failed: count('failed'), notAttempted: count('not-attempted') };
}

function changes(count: number): string {
  return `${count} change${count === 1 ? '' : 's'}`;
}

/**
 * An apply across targets as one text document: a section per node in dependency order (its plan and what was
 * applied, or why it failed or was not attempted), then a line per node and the totals.
 *
 * @param selection - The nodes covered and the targets left out.
 * @param runs - Each node's outcome, from `applyAll`.
 * @param words - The front end's wording.
 * @param direction - `up` for apply, `down` for destroy (`destroyAll`: reverse dependency order).
 * @returns Text ending in a newline.
 */
export function formatApplyReport(
  selection: TargetSelection,
  runs: readonly TargetRun<TargetApplyResult>[],
  words: ReportWords,
  direction: RunDirection = 'up',
): string {
  const { run: title, order, done, total } = DIRECTION_WORDS[direction];
  const lines = [`${title}: ${runs.map((run) => run.node.id).join(', ') || 'no targets'} (in ${order})`];
  lines.push(...leftOutLines(selection, words));
  const summary: string[] = [];
  for (const { node, outcome } of runs) {
    lines.push('', heading(node));
    let text: string;
    if (outcome.status === 'done') {
      const result = outcome.value;
      lines.push(formatPlan(words.plan(result.plan), { color: words.color ?? false }).trimEnd());
      const skipped = result.skipped.map(words.change);
      text = `${done} ${changes(result.applied.length)}${skipped.length ? `, skipped ${changes(skipped.length)}` : ''}`;
      lines.push(text, ...skipped.map((change) => `skipped: ${change.kind} ${change.id} (${change.note ?? ''})`));
    } else {
      text = outcome.status === 'failed' ? `failed: ${words.error(outcome.error)}` : notAttempted(outcome);
      lines.push(text);
    }
    summary.push(`  ${node.id}: ${firstLine(text)}`);
  }
  const counts = countApplied(runs);
  lines.push(
    '',
    'summary',
    ...summary,
    `  total: ${counts.applied} ${total}, ${counts.failed} failed, ${counts.notAttempted} not attempted`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * An apply across targets as JSON data, the same structure as {@link formatApplyReport}.
 *
 * @param selection - The nodes covered and the targets left out.
 * @param runs - Each node's outcome, from `applyAll`.
 * @param words - The front end's wording.
 * @returns JSON-safe data.
 */
export function applyReportJson(
  selection: TargetSelection,
  runs: readonly TargetRun<TargetApplyResult>[],
  words: ReportWords,
): ApplyReportJson {
  const targets = runs.map(({ node, outcome }): AppliedNodeJson => {
    if (outcome.status === 'failed') return { ...nodeJson(node), status: 'failed', error: words.error(outcome.error) };
    if (outcome.status === 'not-attempted') {
      return { ...nodeJson(node), status: 'not-attempted', blockedBy: outcome.blockedBy };
    }
    return {
      ...planToJson(words.plan(outcome.value.plan)),
      ...nodeJson(node),
      status: 'applied',
      applied: outcome.value.applied.map(words.change),
      skipped: outcome.value.skipped.map(words.change),
    };
  });
  return {
    targets,
    leftOut: selection.leftOut.map((left) => leftOutJson(left, words)),
    summary: countApplied(runs),
  };
}
