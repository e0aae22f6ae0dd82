import { readArtifactSet } from '../../generators/read.js';
import { planHasChanges } from '../../plan/change.js';
import type { PlanTarget } from '../../plan/change.js';
import type { PlanDocumentJson } from '../../orchestration/report.js';
import {
  applyReportJson,
  formatApplyReport,
  formatPlanDocument,
  planDocumentJson,
} from '../../orchestration/report.js';
import { appliedStatePath, saveApplied } from '../../orchestration/applied-state.js';
import { formatPlanMarkdown } from '../../orchestration/plan-markdown.js';
import type { TargetRun } from '../../orchestration/run-all.js';
import { applyAll, outstandingSkips, planAll, withSession } from '../../orchestration/run-all.js';
import {
  applySavedPlan,
  createSavedPlan,
  readSavedPlan,
  savedPlanSelection,
  writeSavedPlan,
} from '../../orchestration/saved-plan.js';
import type { TargetSelection } from '../../orchestration/selection.js';
import { selectTargets } from '../../orchestration/selection.js';
import type { TargetApplyResult } from '../../orchestration/session.js';
import { approve } from '../approval.js';
import { loadClientModulesWhileWaiting } from '../client-modules.js';
import type { CommandContext, ExitCode } from '../context.js';
import { printJson } from '../output.js';
import { argsOfSavedPlan, planShapingOptions } from '../saved-plan-options.js';
import { reportWords, targetOpener } from '../target-runs.js';
import { configureZodForOneRun } from '../zod-one-run.js';

/**
 * `plan` and `apply` without `--target` or with several, `plan --save FILE` and `apply FILE`: every target (or those
 * named) whose credentials are set and whose artifacts are in `--out`, through the orchestration. Each target's
 * progress and warnings go to stderr behind its name (`proxmox:matrix: ...`), since targets run side by side; warnings
 * also go into `warnings` of `--json`, whose `ok` is `false` when a target failed or was not attempted.
 *
 * `apply` plans every node first and shows the plan document (not with `--json`, whose stdout stays one object); with
 * nothing to change it stops there, else it asks for approval (`approval.ts`). With `--yes` it applies at once: the
 * report shows each target's plan, the one its apply worked from. A node whose plan failed (a host whose
 * guest Proxmox has not created yet) is still applied in its turn: its apply plans again once what it needs is there.
 * `apply FILE` asks nothing: the saved plan is the approval, applied only while it still holds (`saved-plan.ts`).
 *
 * @param context - The command line and the surroundings.
 * @returns 1 when no target is covered; plan: 1 when a plan failed, else 2 with `--detailed-exitcode` when changes
 *   are planned, else 0; apply: 1 when cancelled or a target failed or was not attempted, else 2 when a change was
 *   skipped, else 0.
 */
export async function runAllTargets(context: CommandContext): Promise<ExitCode> {
  const { env } = context;
  configureZodForOneRun();
  const planFile = context.args.command === 'apply' ? context.args.file : undefined;
  const saved = planFile !== undefined ? await readSavedPlan(planFile) : undefined;
  const args = saved ? argsOfSavedPlan(context.args, saved) : context.args;
  const set = await readArtifactSet(args.out);
  const warnings: string[] = [];
  const open = targetOpener({ ...context, args }, warnings);
  const words = reportWords(context);
  const noted = (): { warnings?: string[] } => (warnings.length ? { warnings } : {});
  const report = async (
    selection: TargetSelection,
    runs: readonly TargetRun<TargetApplyResult>[],
  ): Promise<ExitCode> => {
    // What each applied node left in place, for drift to tell an object that disappeared from one never applied.
    await saveApplied(
      appliedStatePath(args.out, args.state),
      runs.flatMap(({ node, outcome }) => (outcome.status === 'done' ? [{ node, result: outcome.value }] : [])),
      set,
    );
    const failed = runs.length === 0 || runs.some((run) => run.outcome.status !== 'done');
    if (args.json) printJson(env.output, { ok: !failed, ...applyReportJson(selection, runs, words), ...noted() });
    else env.output.out(formatApplyReport(selection, runs, words));
    if (failed) return 1;
    // A change left undone (an adoption without --adopt, a root@pam step) means the live system still differs.
    return outstandingSkips(runs).length > 0 ? 2 : 0;
  };
  if (saved) {
    const selection = savedPlanSelection(saved);
    loadClientModulesWhileWaiting(selection.nodes);
    return report(selection, await applySavedPlan(planFile!, saved, { set, open }));
  }

  const selection = await selectTargets(set, env.env, {
    requested: args.targets as PlanTarget[],
    ...(args.cluster ? { cluster: args.cluster } : {}),
  });
  loadClientModulesWhileWaiting(selection.nodes);
  if (args.command === 'apply' && args.yes) {
    // Approved up front: each target's apply plans afresh and the report shows the plan it worked from, so planning
    // every target first as well would only read every live system twice before changing anything.
    return report(selection, await applyAll(selection.nodes, { set, open }));
  }
  const planned = await planAll(selection.nodes, { set, open });
  // Nothing to plan is a failure: a scheduled job whose credentials went missing must not pass as "no changes".
  const failed = planned.length === 0 || planned.some((run) => run.outcome.status !== 'done');
  const changes = planned.some((run) => run.outcome.status === 'done' && planHasChanges(run.outcome.value));
  const document = (): PlanDocumentJson => planDocumentJson(selection, planned, words);
  if (args.command === 'plan') {
    const save = args.savePlan;
    if (save !== undefined && !failed) {
      const recorded = {
        leftOut: document().leftOut,
        options: planShapingOptions(args),
        ...(args.cluster ? { cluster: args.cluster } : {}),
      };
      await writeSavedPlan(save, createSavedPlan(save, set, planned, recorded));
    }
    const savedTo = save !== undefined && !failed ? { savedPlan: save } : {};
    if (args.json) printJson(env.output, { ok: !failed, ...document(), ...savedTo, ...noted() });
    else if (args.format === 'markdown') env.output.out(formatPlanMarkdown(selection, planned, words));
    else env.output.out(formatPlanDocument(selection, planned, words));
    if (save !== undefined) {
      if (failed) env.output.err(`the plan was not saved to ${save}: a plan failed`);
      else if (!args.json)
        env.output.out(`saved the plan to ${save}; apply exactly it with: talos-topology apply ${save}`);
    }
    if (failed) return 1;
    return changes && args.detailedExitcode ? 2 : 0;
  }
  if (!args.json) env.output.out(formatPlanDocument(selection, planned, words));
  if (planned.length === 0) {
    if (args.json) printJson(env.output, { ok: false, ...document(), ...noted() });
    return 1;
  }
  if (!failed && !changes) {
    // Everything is in place as --out says: recorded as an apply that had nothing to do, for drift.
    const inPlace = planned.flatMap(({ node, outcome }) =>
      outcome.status === 'done' ? [{ node, result: { plan: outcome.value, applied: [], skipped: [] } }] : [],
    );
    await saveApplied(appliedStatePath(args.out, args.state), inPlace, set);
    if (!args.json) env.output.out('no changes: nothing to apply');
    // --wait still waits: an earlier apply may have made the clusters that are still coming up.
    if (args.wait) {
      for (const { node, result } of inPlace) {
        await withSession(node, open, async (session) => {
          await session.waitReady?.(result.plan);
        });
      }
    }
    if (args.json) printJson(env.output, { ok: true, noChanges: true, ...document(), ...noted() });
    return 0;
  }
  if (!(await approve(context, 'apply these changes'))) {
    if (args.json) printJson(env.output, { ok: false, cancelled: true, ...document(), ...noted() });
    env.output.err('apply cancelled');
    return 1;
  }
  return report(selection, await applyAll(selection.nodes, { set, open }));
}
