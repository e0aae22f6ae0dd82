/**
 * The topology a command works on, shared by validate, generate and check.
 *
 * @module
 */
import type { TopologyIssue } from '../../models/issue.js';
import { checkTopology, RULES } from '../../rules/index.js';
import { UsageError } from '../args.js';
import type { CommandContext } from '../context.js';
import type { RecordedVerdict } from '../verdict-record.js';
import { discoverTopologyFile } from '../discover-topology.js';
import type { LoadedTopology } from '../load-topology.js';
import { loadTopology } from '../load-topology.js';
import { builtInExampleLoader } from './built-in-example-topology.js';

/** A loaded topology, and whether it is the built-in example. */
export interface CommandTopology extends LoadedTopology {
  /** `true` for the built-in example (`--example`). */
  readonly example: boolean;
}

/**
 * Refuses a `--skip-rule` id no rule has, listing the ids.
 *
 * @param skipRules - The ids given.
 * @throws {@link UsageError} for an unknown id.
 */
export function checkSkipRules(skipRules: readonly string[]): void {
  const unknown = skipRules.filter((id) => !RULES.some((rule) => rule.id === id));
  if (unknown.length > 0) {
    const known = RULES.map((rule) => rule.id).sort();
    throw new UsageError(`--skip-rule: no rule ${unknown.join(', ')} (rules: ${known.join(', ')})`);
  }
}

/**
 * Loads the topology the command line names: the file given, the built-in example with `--example`, or the one
 * topology file in the working directory.
 *
 * @param context - The command line and the surroundings.
 * @returns The validated topology, its source name and whether it is the example.
 * @throws {@link UsageError} when no file is given and none (or several) is found; {@link TopologyError} for bad input.
 */
export async function loadCommandTopology({ args, env }: CommandContext): Promise<CommandTopology> {
  checkSkipRules(args.skipRules);
  const builtIn = builtInExampleLoader(env);
  if (args.example) return { ...(await loadTopology(undefined, builtIn)), example: true };
  const file = args.file ?? discoverTopologyFile(env.cwd ?? '.');
  return { ...(await loadTopology(file, builtIn)), example: false };
}

/**
 * The rule warnings of a loaded topology, at their lines in its file: what `generate` reports beside its artifacts,
 * for the commands that skip generating because `--out` is already current (see `currentArtifactPaths`).
 *
 * @param loaded - The topology.
 * @param skipRules - The rules `--skip-rule` names.
 * @returns The warnings.
 */
export function ruleWarnings(loaded: CommandTopology, skipRules: readonly string[]): readonly TopologyIssue[] {
  return loaded.locate(
    checkTopology(loaded.topology, { skip: skipRules }).filter((issue) => issue.severity === 'warning'),
  );
}

/**
 * The verdict on an output folder found current (see `currentArtifactPaths`): what `generate` would hold there and
 * the rule warnings, recorded for the next run when the topology was read from files (see `verdict-record.ts`).
 *
 * @param context - The command line and the surroundings (with the record to write, if any).
 * @param loaded - The topology.
 * @param paths - The paths `generate` would write there.
 * @returns The verdict to print.
 */
export function currentFolderVerdict(
  context: CommandContext,
  loaded: CommandTopology,
  paths: readonly string[],
): RecordedVerdict {
  const warnings = ruleWarnings(loaded, context.args.skipRules);
  const verdict = { source: loaded.source, example: loaded.example, paths, warnings };
  if (loaded.files) context.verdictRecord?.remember(loaded.files, verdict);
  return verdict;
}
