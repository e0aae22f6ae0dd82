/**
 * What every command that runs across targets (plan, apply, drift, destroy) sets up: the artifact set, the targets
 * covered, a session opener whose progress and warnings carry each node's name, and the report's wording.
 *
 * @module
 */
import type { ArtifactSet } from '../generators/artifact.js';
import { readArtifactSet } from '../generators/read.js';
import type { PlanTarget } from '../plan/change.js';
import type { ReportWords } from '../orchestration/report.js';
import type { OpenTargetSession } from '../orchestration/run-all.js';
import type { TargetSelection } from '../orchestration/selection.js';
import { selectTargets } from '../orchestration/selection.js';
import { cliChange, cliPlan } from './cli-option-names.js';
import { loadClientModulesWhileWaiting } from './client-modules.js';
import { colorFor } from './color.js';
import type { CommandContext } from './context.js';
import { describeFailure } from './failure.js';
import { waitReporterFor } from './progress.js';
import { TARGETS } from './targets.js';
import { configureZodForOneRun } from './zod-one-run.js';

/** A run across targets, ready to start. */
export interface TargetRunSetup {
  /** The artifacts in `--out`. */
  readonly set: ArtifactSet;
  /** The targets covered and those left out. */
  readonly selection: TargetSelection;
  /** Opens a node's session with the command line's flags. */
  readonly open: OpenTargetSession;
  /** The report's wording: CLI flag names, CLI error messages, colour. */
  readonly words: ReportWords;
  /** `{ warnings }` when a client warned, for `--json`; else `{}`. */
  readonly noted: () => { warnings?: string[] };
}

/**
 * Opens each node's session with the command line's options. Each target's progress and warnings go to stderr behind
 * its name (`proxmox:matrix: ...`), since targets run side by side.
 *
 * @param context - The command line (its `args` as the run uses them) and the surroundings.
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
 * Reads `--out`, selects the targets (`--target`, `--cluster`) and prepares the sessions; warnings are also kept for
 * `--json`. The covered targets' clients load while the first requests wait on the network.
 *
 * @param context - The command line and the surroundings.
 * @returns The setup.
 */
export async function setUpTargetRun(context: CommandContext): Promise<TargetRunSetup> {
  const { args, env } = context;
  configureZodForOneRun();
  const set = await readArtifactSet(args.out);
  const selection = await selectTargets(set, env.env, {
    requested: args.targets as PlanTarget[],
    ...(args.cluster ? { cluster: args.cluster } : {}),
  });
  const warnings: string[] = [];
  loadClientModulesWhileWaiting(selection.nodes);
  return {
    set,
    selection,
    open: targetOpener(context, warnings),
    words: reportWords(context),
    noted: () => (warnings.length ? { warnings } : {}),
  };
}
