import { readArtifactSet } from '../../generators/read.js';
import { planHasChanges } from '../../plan/change.js';
import { formatPlan, planToJson } from '../../plan/format.js';
import { cliChange, cliPlan } from '../cli-option-names.js';
import { colorFor } from '../color.js';
import type { CommandRun } from '../context.js';
import { printOk } from '../output.js';
import { waitReporterFor } from '../progress.js';
import { assertKnownTargets } from '../target-runs.js';
import { TARGETS } from '../targets.js';
import { configureZodForOneRun } from '../zod-one-run.js';
import { runAllTargets } from './all-targets.js';

/**
 * `plan` and `apply --target T`: compare the artifacts in `--out` with the live system, and for apply push them.
 * Client warnings go to stderr and into `warnings` of `--json` output. Without `--target`, or with several, the run
 * covers several targets (see `all-targets.ts`).
 *
 * @param context - The command line and the surroundings.
 * @returns 2 when plan finds changes or apply leaves an adoption undone, else 0.
 */
export const runTarget: CommandRun = async (context) => {
  const { args, env } = context;
  assertKnownTargets(args.targets);
  if (args.targets.length !== 1) return runAllTargets(context);
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
    if (args.command === 'plan') {
      const plan = cliPlan(await session.plan(set));
      if (args.json) printOk(env.output, { ...planToJson(plan), ...noted() });
      else env.output.out(formatPlan(plan, { color }));
      return planHasChanges(plan) ? 2 : 0;
    }
    const result = await session.apply(set);
    const plan = cliPlan(result.plan);
    const skipped = result.skipped.map(cliChange);
    if (args.json) {
      printOk(env.output, { ...planToJson(plan), applied: result.applied.map(cliChange), skipped, ...noted() });
    } else {
      env.output.out(formatPlan(plan, { color }));
      env.output.out(`applied ${result.applied.length} change${result.applied.length === 1 ? '' : 's'}`);
      for (const change of skipped) env.output.err(`skipped: ${change.kind} ${change.id} (${change.note ?? ''})`);
    }
    // An adoption left undone means the live system still differs from --out without the user's consent to change it.
    return result.skipped.some((change) => change.action === 'adopt') ? 2 : 0;
  } finally {
    await session.close();
  }
};
