/**
 * What `validate`, `generate` and `check` print, shared by the commands and by the recorded verdicts
 * (`verdict-record.ts`), so that the two cannot differ by a character.
 *
 * @module
 */
import type { StaleFile, WriteResult } from '../generators/output-folder.js';
import type { TopologyIssue } from '../models/issue.js';
import { formatIssues } from '../models/issue.js';
import type { CommandContext, ExitCode } from './context.js';
import type { RecordedVerdict } from './verdict-record.js';
import { exampleField, printOk } from './output.js';

/** What the commands report about the topology. */
interface TopologyOutcome {
  /** The topology file, or the built-in example's name. */
  readonly source: string;
  /** Whether the topology is the built-in example. */
  readonly example: boolean;
  /** The rule warnings, at their lines in the topology file. */
  readonly warnings: readonly TopologyIssue[];
}

/** What `generate` did. */
export interface GenerateOutcome extends TopologyOutcome {
  /** How many artifacts the folder holds now. */
  readonly count: number;
  /** What was written, left as it was, and removed. */
  readonly files: WriteResult;
}

/** What `check` found. */
export interface CheckOutcome extends TopologyOutcome {
  /** The files that differ from what `generate` would write; none when the folder is up to date. */
  readonly stale: readonly StaleFile[];
}

/**
 * Prints what `validate` found in a valid topology: its warnings (on stderr), or with `--json` all of them as `issues`.
 *
 * @param context - The command line and the surroundings.
 * @param outcome - The topology and its warnings.
 * @returns The exit code: 0.
 */
export function reportValid(context: CommandContext, outcome: TopologyOutcome): ExitCode {
  const { args, env } = context;
  const { source, warnings } = outcome;
  if (args.json) {
    printOk(env.output, { source, ...exampleField(outcome.example), issues: warnings });
    return 0;
  }
  printWarnings(context, outcome);
  env.output.out(`${source}: valid (${warnings.length} warning${warnings.length === 1 ? '' : 's'})`);
  return 0;
}

function printWarnings({ env }: CommandContext, outcome: TopologyOutcome): void {
  if (outcome.warnings.length > 0) env.output.err(formatIssues(outcome.warnings, outcome.source));
}

/**
 * Prints what `generate` did: the artifacts' count and what was written, with the rule warnings on stderr.
 *
 * @param context - The command line and the surroundings.
 * @param outcome - What was generated.
 * @returns The exit code: 0.
 */
export function reportGenerate(context: CommandContext, outcome: GenerateOutcome): ExitCode {
  const { args, env } = context;
  const { source, warnings, files } = outcome;
  if (args.json) {
    printOk(env.output, { source, ...exampleField(outcome.example), out: args.out, warnings, ...files });
    return 0;
  }
  printWarnings(context, outcome);
  env.output.out(
    `${source}: ${outcome.count} artifacts in ${args.out} (${files.written.length} written, ${files.unchanged.length} unchanged, ${files.removed.length} removed)`,
  );
  return 0;
}

/**
 * Prints what `check` found: up to date, or a unified diff of each stale file. A stale folder is an outcome, not a
 * failure: `--json` prints `ok: true` with the stale files. Rule warnings go to stderr, as `generate` prints them.
 *
 * @param context - The command line and the surroundings.
 * @param outcome - What was found.
 * @returns The exit code: 0 when up to date, 2 when stale.
 */
export function reportCheck(context: CommandContext, outcome: CheckOutcome): ExitCode {
  const { args, env } = context;
  const { source, warnings, stale } = outcome;
  if (args.json) {
    printOk(env.output, { source, ...exampleField(outcome.example), out: args.out, warnings, stale });
    return stale.length === 0 ? 0 : 2;
  }
  printWarnings(context, outcome);
  if (stale.length === 0) env.output.out(`${source}: ${args.out} is up to date`);
  else {
    for (const file of stale) env.output.out(file.diff);
    env.output.err(
      `${source}: ${args.out} is stale: ${stale.length === 1 ? '1 file differs' : `${stale.length} files differ`}; run talos-topology generate`,
    );
  }
  return stale.length === 0 ? 0 : 2;
}

/**
 * Prints what `generate` does in a folder found current: nothing written, every artifact unchanged.
 *
 * @param context - The command line and the surroundings.
 * @param verdict - The verdict on the folder.
 * @returns The exit code: 0.
 */
export function reportGenerateCurrent(context: CommandContext, verdict: RecordedVerdict): ExitCode {
  const files = { written: [], unchanged: verdict.paths, removed: [] };
  return reportGenerate(context, { ...verdict, count: verdict.paths.length, files });
}

/**
 * Prints what `check` finds in a folder found current: up to date.
 *
 * @param context - The command line and the surroundings.
 * @param verdict - The verdict on the folder.
 * @returns The exit code: 0.
 */
export function reportCheckCurrent(context: CommandContext, verdict: RecordedVerdict): ExitCode {
  return reportCheck(context, { ...verdict, stale: [] });
}
