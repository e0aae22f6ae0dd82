import { readArtifactSet } from '../../generators/read.js';
import { planHasChanges } from '../../plan/change.js';
import { formatPlan, planToJson } from '../../plan/format.js';
import { approve } from '../approval.js';
import { cliChange, cliPlan } from '../cli-option-names.js';
import { colorFor } from '../color.js';
import type { PlanTarget } from '../../plan/change.js';
import { appliedStatePath, saveApplied } from '../../orchestration/applied-state.js';
import { singleTargetNode } from '../../orchestration/selection.js';
import type { TargetApplyResult } from '../../orchestration/session.js';
import type { CommandRun } from '../context.js';
import { printJson, printOk } from '../output.js';
import { waitReporterFor } from '../progress.js';
import { TARGETS, checkTargetNames } from '../targets.js';
import { configureZodForOneRun } from '../zod-one-run.js';
import { runAllTargets } from './all-targets.js';
import { runDrift } from './drift.js';

/**
 * `plan` and `apply --target T`: compare the artifacts in `--out` with the live system, and for apply show that plan,
 * stop when it changes nothing, else ask for approval (`approval.ts`) and push them. Client warnings go to stderr and
 * into `warnings` of `--json` output. Without `--target`, or with several, with `plan --save FILE` and with
 * `apply FILE`, the run goes through the orchestration (see `all-targets.ts`).
 *
 * @param context - The command line and the surroundings.
 * @returns plan: 2 with `--detailed-exitcode` when changes are planned, else 0; apply: 1 when cancelled, 2 when a
 *   change was skipped (e.g. an adoption without `--adopt`), else 0.
 */
export const runTarget: CommandRun = async (context) => {
  const { args, env } = context;
  checkTargetNames(args.targets);
  if (args.refreshOnly) return runDrift(context);
  const appliesPlanFile = args.command === 'apply' && args.file !== undefined;
  // Saved plans and the markdown document are the orchestration's, whatever the number of targets.
  const orchestrated = args.savePlan !== undefined || appliesPlanFile || args.format === 'markdown';
  if (args.targets.length !== 1 || orchestrated) return runAllTargets(context);
  const open = TARGETS[args.targets[0]!]!;
  configureZodForOneRun();
  const set = await readArtifactSet(args.out);
  const color = colorFor(context);
  const warnings: string[] = [];
  const logger = {
    warn: (message: string): void => {
      warnings.push(message);
      env.output.err(`warning: ${message}`);
    },
  };
  const onWait = waitReporterFor(args.quiet, (line) => env.output.err(line));
  const session = await open(args, env.env, (message) => env.output.err(message), logger, onWait);
  const noted = (): { warnings?: string[] } => (warnings.length ? { warnings } : {});
  try {
    const plan = cliPlan(await session.plan(set));
    if (args.command === 'plan') {
      if (args.json) printOk(env.output, { ...planToJson(plan), ...noted() });
      else env.output.out(formatPlan(plan, { color }));
      return planHasChanges(plan) && args.detailedExitcode ? 2 : 0;
    }
    if (!args.json) env.output.out(formatPlan(plan, { color }));
    const record = async (result: TargetApplyResult): Promise<void> => {
      const node = await singleTargetNode(set, args.targets[0] as PlanTarget, args.cluster);
      if (node) await saveApplied(appliedStatePath(args.out, args.state), [{ node, result }], set);
    };
    if (!planHasChanges(plan)) {
      // Everything is in place as --out says: recorded as an apply that had nothing to do, for drift.
      await record({ plan, applied: [], skipped: [] });
      if (!args.json) env.output.out('no changes: nothing to apply');
      // --wait still waits: an earlier apply may have made the clusters that are still coming up.
      if (args.wait) await session.waitReady?.(plan);
      if (args.json) printOk(env.output, { ...planToJson(plan), applied: [], skipped: [], ...noted() });
      return 0;
    }
    if (!(await approve(context, 'apply these changes'))) {
      if (args.json) printJson(env.output, { ok: false, cancelled: true, ...planToJson(plan), ...noted() });
      env.output.err('apply cancelled');
      return 1;
    }
    const result = await session.apply(set);
    await record(result);
    const skipped = result.skipped.map(cliChange);
    if (args.json) {
      const applied = result.applied.map(cliChange);
      printOk(env.output, { ...planToJson(cliPlan(result.plan)), applied, skipped, ...noted() });
    } else {
      env.output.out(`applied ${result.applied.length} change${result.applied.length === 1 ? '' : 's'}`);
      for (const change of skipped) env.output.err(`skipped: ${change.kind} ${change.id} (${change.note ?? ''})`);
    }
    // A change left undone (an adoption without --adopt, a root@pam step) means the live system still differs.
    return skipped.length > 0 ? 2 : 0;
  } finally {
    await session.close();
  }
};
