import type { Change, ChangeAction, Plan, PlanSummary } from './change.js';
import { summarizePlan } from './change.js';

/** Options for {@link formatPlan}. */
export interface FormatPlanOptions {
  /** Colour the output with ANSI escapes (for a terminal). Defaults to `false`. */
  readonly color?: boolean;
  /** List objects that stay as they are. Defaults to `false`. */
  readonly showUnchanged?: boolean;
}

const SIGN: Record<ChangeAction, string> = {
  create: '+',
  update: '~',
  adopt: '>',
  delete: '-',
  'no-op': '=',
};
const COLOR: Record<ChangeAction, string> = {
  create: '32',
  update: '33',
  adopt: '35',
  delete: '31',
  'no-op': '2',
};

/**
 * Renders a plan the way a person reviews it: grouped by kind, one line per object, then the changed fields.
 *
 * @param plan - The plan to print.
 * @param options - Colour and verbosity.
 * @returns Text ending in a newline, with a closing summary line.
 *
 * @example
 * ```text
 * omni plan
 *   MachineClass
 *     + matrix-worker
 *         spec.autoprovision.providerid: (absent) -> "proxmox"
 *   1 to create, 0 to update, 0 to delete, 0 unchanged
 * ```
 */
export function formatPlan(plan: Plan, options: FormatPlanOptions = {}): string {
  const paint = (action: ChangeAction, text: string): string =>
    options.color ? `\u001b[${COLOR[action]}m${text}\u001b[0m` : text;
  const lines = [`${plan.target} plan`];
  let kind: string | undefined;
  for (const change of plan.changes) {
    if (change.action === 'no-op' && !options.showUnchanged) continue;
    if (change.kind !== kind) {
      kind = change.kind;
      lines.push(`  ${kind}`);
    }
    lines.push(
      paint(change.action, `    ${SIGN[change.action]} ${change.id}${change.note ? `  (${change.note})` : ''}`),
    );
    for (const field of change.fields) lines.push(paint(change.action, `        ${formatField(field)}`));
  }
  for (const object of plan.unmanaged) {
    lines.push(`  not managed, left alone: ${object.kind} ${object.id} (${object.reason})`);
  }
  lines.push(`  ${formatPlanSummary(summarizePlan(plan))}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The closing line of a plan: its counts by action.
 *
 * @param summary - The counts (see `summarizePlan`).
 * @returns E.g. `1 to create, 0 to update, 0 to delete, 3 unchanged` (`, N to adopt` after the updates when any).
 */
export function formatPlanSummary(summary: PlanSummary): string {
  const adopt = summary.adopt ? `, ${summary.adopt} to adopt` : '';
  return `${summary.create} to create, ${summary.update} to update${adopt}, ${summary.delete} to delete, ${summary['no-op']} unchanged`;
}

function formatField(field: Change['fields'][number]): string {
  const show = (value: unknown): string => (value === undefined ? '(absent)' : JSON.stringify(value));
  return `${field.path}: ${show(field.before)} -> ${show(field.after)}`;
}

/** A plan as JSON data, with its summary. */
export interface PlanJson {
  /** The system the plan is for. */
  readonly target: Plan['target'];
  /** Counts by action. */
  readonly summary: PlanSummary;
  /** Every managed object. */
  readonly changes: Plan['changes'];
  /** Live objects left alone. */
  readonly unmanaged: Plan['unmanaged'];
}

/**
 * The plan as plain JSON data for machines (`--json`), with its summary.
 *
 * @param plan - The plan to serialise.
 * @returns A JSON-safe object: `target`, `summary`, `changes`, `unmanaged`.
 */
export function planToJson(plan: Plan): PlanJson {
  return {
    target: plan.target,
    summary: summarizePlan(plan),
    changes: plan.changes,
    unmanaged: plan.unmanaged,
  };
}
