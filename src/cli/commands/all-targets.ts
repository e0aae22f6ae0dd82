import { planHasChanges } from '../../plan/change.js';
import {
  applyReportJson,
  formatApplyReport,
  formatPlanDocument,
  planDocumentJson,
} from '../../orchestration/report.js';
import { applyAll, planAll } from '../../orchestration/run-all.js';
import type { CommandContext, ExitCode } from '../context.js';
import { printJson } from '../output.js';
import { setUpTargetRun } from '../target-runs.js';

/**
 * `plan` and `apply` without `--target` or with several: every target (or those named) whose credentials are set and
 * whose artifacts are in `--out`, through the orchestration (see `target-runs.ts` for progress and warnings);
 * `ok` of `--json` is `false` when a target failed or was not attempted.
 *
 * @param context - The command line and the surroundings.
 * @returns 1 when no target is covered; plan: 1 when a plan failed, else 2 when changes are planned, else 0; apply: 1
 *   when a target failed or was not attempted, else 2 when an adoption was skipped, else 0.
 */
export async function runAllTargets(context: CommandContext): Promise<ExitCode> {
  const { args, env } = context;
  const { set, selection, open, words, noted } = await setUpTargetRun(context);
  if (args.command === 'plan') {
    const runs = await planAll(selection.nodes, { set, open });
    // Nothing to plan is a failure: a scheduled job whose credentials went missing must not pass as "no changes".
    const failed = runs.length === 0 || runs.some((run) => run.outcome.status !== 'done');
    if (args.json) printJson(env.output, { ok: !failed, ...planDocumentJson(selection, runs, words), ...noted() });
    else env.output.out(formatPlanDocument(selection, runs, words));
    if (failed) return 1;
    return runs.some((run) => run.outcome.status === 'done' && planHasChanges(run.outcome.value)) ? 2 : 0;
  }
  const runs = await applyAll(selection.nodes, { set, open });
  const failed = runs.length === 0 || runs.some((run) => run.outcome.status !== 'done');
  if (args.json) printJson(env.output, { ok: !failed, ...applyReportJson(selection, runs, words), ...noted() });
  else env.output.out(formatApplyReport(selection, runs, words));
  if (failed) return 1;
  // As for one target: an adoption left undone means the live system still differs from --out.
  const adoptionSkipped = runs.some(
    (run) => run.outcome.status === 'done' && run.outcome.value.skipped.some((change) => change.action === 'adopt'),
  );
  return adoptionSkipped ? 2 : 0;
}
