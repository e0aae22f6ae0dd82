import { readArtifactSet } from '../../generators/read.js';
import { planHasChanges } from '../../plan/change.js';
import type { PlanTarget } from '../../plan/change.js';
import type { ReportWords } from '../../orchestration/report.js';
import {
  applyReportJson,
  formatApplyReport,
  formatPlanDocument,
  planDocumentJson,
} from '../../orchestration/report.js';
import { formatPlanMarkdown } from '../../orchestration/plan-markdown.js';
import type { OpenTargetSession } from '../../orchestration/run-all.js';
import { applyAll, planAll } from '../../orchestration/run-all.js';
import { selectTargets } from '../../orchestration/selection.js';
import { appliedStatePath, saveApplied } from '../../orchestration/applied-state.js';
import { cliChange, cliPlan } from '../cli-option-names.js';
import { colorFor } from '../color.js';
import type { CommandContext, ExitCode } from '../context.js';
import { describeFailure } from '../failure.js';
import { printJson } from '../output.js';
import { waitReporterFor } from '../progress.js';
import { TARGETS } from '../targets.js';
import { configureZodForOneRun } from '../zod-one-run.js';

/**
 * Opens each node's session with the command line's options. Each target's progress and warnings go to stderr behind
 * its name (`proxmox:matrix: ...`), since targets run side by side.
 *
 * @param context - The command line and the surroundings.
 * @param warnings - Receives each warning, behind its node's name.
 * @returns The opener.
 */
export function targetOpener(context: CommandContext, warnings: string[]): OpenTargetSession {
  const { args, env } = context;
  return (node) => {
    const say = (message: string): void => env.output.err(`${node.id}: ${message}`);
    const logger = {
      warn: (message: string): void => {
        warnings.push(`${node.id}: ${message}`);
        say(`warning: ${message}`);
      },
    };
    const nodeArgs = node.cluster !== undefined ? { ...args, cluster: node.cluster } : args;
    return TARGETS[node.target]!(nodeArgs, env.env, say, logger, waitReporterFor(args.quiet, say));
  };
}

/**
 * The CLI's wording of a report: its flags for client options, its error messages, colour as the terminal allows.
 *
 * @param context - The command line and the surroundings.
 * @returns The words.
 */
export function reportWords(context: CommandContext): ReportWords {
  return {
    plan: cliPlan,
    change: cliChange,
    error: (error) => describeFailure(error).message,
    color: colorFor(context),
  };
}

/**
 * `plan` and `apply` without `--target` or with several: every target (or those named) whose credentials are set and
 * whose artifacts are in `--out`, through the orchestration. Each target's progress and warnings go to stderr behind
 * its name (`proxmox:matrix: ...`), since targets run side by side; warnings also go into `warnings` of `--json`,
 * whose `ok` is `false` when a target failed or was not attempted.
 *
 * @param context - The command line and the surroundings.
 * @returns 1 when no target is covered; plan: 1 when a plan failed, else 2 when changes are planned, else 0; apply: 1
 *   when a target failed or was not attempted, else 2 when an adoption was skipped, else 0.
 */
export async function runAllTargets(context: CommandContext): Promise<ExitCode> {
  const { args, env } = context;
  configureZodForOneRun();
  const set = await readArtifactSet(args.out);
  const selection = await selectTargets(set, env.env, {
    requested: args.targets as PlanTarget[],
    ...(args.cluster ? { cluster: args.cluster } : {}),
  });
  const warnings: string[] = [];
  const open = targetOpener(context, warnings);
  const words = reportWords(context);
  const noted = (): { warnings?: string[] } => (warnings.length ? { warnings } : {});
  if (args.command === 'plan') {
    const runs = await planAll(selection.nodes, { set, open });
    // Nothing to plan is a failure: a scheduled job whose credentials went missing must not pass as "no changes".
    const failed = runs.length === 0 || runs.some((run) => run.outcome.status !== 'done');
    if (args.json) printJson(env.output, { ok: !failed, ...planDocumentJson(selection, runs, words), ...noted() });
    else if (args.format === 'markdown') env.output.out(formatPlanMarkdown(selection, runs, words));
    else env.output.out(formatPlanDocument(selection, runs, words));
    if (failed) return 1;
    return runs.some((run) => run.outcome.status === 'done' && planHasChanges(run.outcome.value)) ? 2 : 0;
  }
  const runs = await applyAll(selection.nodes, { set, open });
  await saveApplied(
    appliedStatePath(args.out, args.state),
    runs.flatMap(({ node, outcome }) => (outcome.status === 'done' ? [{ node, result: outcome.value }] : [])),
    set,
  );
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
