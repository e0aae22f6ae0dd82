import { readArtifactSet } from '../../generators/read.js';
import type { PlanTarget } from '../../plan/change.js';
import { appliedStatePath, appliedArtifactsDigest, readAppliedState } from '../../orchestration/applied-state.js';
import { driftDocument, formatDriftDocument } from '../../orchestration/drift.js';
import { formatDriftMarkdown } from '../../orchestration/drift-markdown.js';
import { planAll } from '../../orchestration/run-all.js';
import { selectTargets } from '../../orchestration/selection.js';
import { loadClientModulesWhileWaiting } from '../client-modules.js';
import type { CommandRun } from '../context.js';
import { printJson } from '../output.js';
import { checkTargetNames } from '../targets.js';
import { configureZodForOneRun } from '../zod-one-run.js';
import { reportWords, targetOpener } from '../target-runs.js';

/**
 * `drift` and `plan --refresh-only`: plans every target whose credentials are set (or those named with `--target`),
 * which only reads, and compares each plan with what the last apply left in place (the applied state beside `--out`,
 * or `--state PATH`). Nothing on the live systems changes. `--json` prints the drift document with `ok` and the
 * state file's path; `--format markdown` prints it as a folded section per target, for a pull-request comment or a
 * scheduled job's summary.
 *
 * `drift` exits 2 on drift, for scheduled jobs. `plan --refresh-only` keeps plan's convention, as Terraform's
 * `plan -refresh-only` does: 2 on drift only with `--detailed-exitcode`.
 *
 * @param context - The command line and the surroundings.
 * @returns 1 when a plan failed or no target is covered, else 2 on drift (see above), else 0.
 */
export const runDrift: CommandRun = async (context) => {
  const { args, env } = context;
  checkTargetNames(args.targets);
  configureZodForOneRun();
  const set = await readArtifactSet(args.out);
  const statePath = appliedStatePath(args.out, args.state);
  const state = await readAppliedState(statePath);
  const selection = await selectTargets(set, env.env, {
    requested: args.targets as PlanTarget[],
    ...(args.cluster ? { cluster: args.cluster } : {}),
  });
  const warnings: string[] = [];
  const words = reportWords(context);
  loadClientModulesWhileWaiting(selection.nodes);
  const runs = await planAll(selection.nodes, { set, open: targetOpener(context, warnings) });
  const document = driftDocument(selection, runs, state, appliedArtifactsDigest(set), words);
  // Nothing checked is a failure: a scheduled job whose credentials went missing must not pass as "no drift".
  const failed = runs.length === 0 || document.summary.failed > 0;
  if (args.json) {
    printJson(env.output, { ok: !failed, state: statePath, ...document, ...(warnings.length ? { warnings } : {}) });
  } else if (args.format === 'markdown') {
    env.output.out(formatDriftMarkdown(document, selection, words));
  } else {
    env.output.out(`applied state: ${state ? statePath : `${statePath} (none yet)`}`);
    env.output.out(formatDriftDocument(document, selection, words));
  }
  if (failed) return 1;
  const reportsDrift = args.command === 'drift' || args.detailedExitcode;
  return document.drifted && reportsDrift ? 2 : 0;
};
