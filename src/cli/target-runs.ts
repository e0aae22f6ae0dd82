/**
 * What every command that runs across targets (plan, apply, destroy) sets up: the artifact set, the targets covered,
 * a session opener whose progress and warnings carry each node's name, and the report's wording.
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
import { UsageError } from './args.js';
import { cliChange, cliPlan } from './cli-option-names.js';
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
 * Checks the targets named with `--target`.
 *
 * @param targets - The names given.
 * @throws `UsageError` naming an unknown target and the known ones.
 */
export function assertKnownTargets(targets: readonly string[]): void {
  for (const target of targets) {
    if (!Object.hasOwn(TARGETS, target)) {
      throw new UsageError(`unknown target "${target}" (known: ${Object.keys(TARGETS).join(', ')})`);
    }
  }
}

/**
 * Reads `--out`, selects the targets (`--target`, `--cluster`) and prepares the sessions. Each target's progress and
 * warnings go to stderr behind its name (`proxmox:matrix: ...`), since targets run side by side; warnings are also
 * kept for `--json`.
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
  const open: OpenTargetSession = (node) => {
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
  const words: ReportWords = {
    plan: cliPlan,
    change: cliChange,
    error: (error) => describeFailure(error).message,
    color: colorFor(context),
  };
  return { set, selection, open, words, noted: () => (warnings.length ? { warnings } : {}) };
}
