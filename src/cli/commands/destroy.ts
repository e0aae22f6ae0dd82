import { planHasChanges } from '../../plan/change.js';
import { appliedStatePath, saveDestroyed } from '../../orchestration/applied-state.js';
import { destroyAll, planDestroyAll } from '../../orchestration/destroy-all.js';
import {
  applyReportJson,
  formatApplyReport,
  formatPlanDocument,
  planDocumentJson,
} from '../../orchestration/report.js';
import { approve } from '../approval.js';
import type { CommandRun } from '../context.js';
import { printJson } from '../output.js';
import { setUpTargetRun } from '../target-runs.js';
import { checkTargetNames } from '../targets.js';

/**
 * `destroy`: plans the removal of what the SDK owns on every target covered (as `plan` selects them), prints that
 * plan, asks for approval (`--yes` up front; on a terminal the answer `yes`; with neither, it refuses), then destroys
 * in reverse dependency order: a node once every node that needs it is destroyed, a failure leaving the nodes it
 * protects not attempted. Nothing is removed when a destroy plan failed (a target that cannot destroy yet included),
 * or when there is nothing to remove. Each node destroyed leaves the applied state (beside `--out`, or `--state PATH`)
 * holding only what its destroy skipped. `--json` prints one object at the end: the destroy report, or the plan
 * document when nothing was destroyed.
 *
 * @param context - The command line and the surroundings.
 * @returns 0 when everything owned was removed or nothing was to remove; 1 when no target is covered, a plan failed,
 *   the person declined, or a target failed, was not attempted or left a change for a person.
 */
export const runDestroy: CommandRun = async (context) => {
  const { args, env } = context;
  checkTargetNames(args.targets);
  const { set, selection, open, words, noted } = await setUpTargetRun(context);
  const plans = await planDestroyAll(selection.nodes, { set, open });
  const planFailed = plans.length === 0 || plans.some((run) => run.outcome.status !== 'done');
  const toRemove = plans.some((run) => run.outcome.status === 'done' && planHasChanges(run.outcome.value));
  const stopAtPlan = (ok: boolean): 0 | 1 => {
    if (args.json) printJson(env.output, { ok, ...planDocumentJson(selection, plans, words), ...noted() });
    return ok ? 0 : 1;
  };
  if (!args.json) env.output.out(formatPlanDocument(selection, plans, words, 'down'));
  if (planFailed) {
    env.output.err('nothing destroyed: every destroy plan must succeed first (narrow the run with --target)');
    return stopAtPlan(false);
  }
  if (!toRemove) {
    env.output.err('nothing to destroy: no object the SDK owns is left');
    return stopAtPlan(true);
  }
  if (!(await approve(context, 'destroy these objects'))) {
    env.output.err('destroy cancelled: nothing removed');
    return stopAtPlan(false);
  }
  const runs = await destroyAll(selection.nodes, { set, open });
  // What each destroyed node removed leaves the applied state, so a later drift does not call it "disappeared".
  await saveDestroyed(
    appliedStatePath(args.out, args.state),
    runs.flatMap(({ node, outcome }) => (outcome.status === 'done' ? [{ node, result: outcome.value }] : [])),
  );
  const failed = runs.some(
    (run) => run.outcome.status !== 'done' || (run.outcome.status === 'done' && run.outcome.value.skipped.length > 0),
  );
  if (args.json) printJson(env.output, { ok: !failed, ...applyReportJson(selection, runs, words), ...noted() });
  else env.output.out(formatApplyReport(selection, runs, words, 'down'));
  return failed ? 1 : 0;
};
