/**
 * `validate`, `generate` and `check`, answered from the record of what they found last time (`verdict-record.ts`)
 * when nothing it rests on changed since, before anything else is loaded; otherwise loaded and run with the record,
 * to write it when they find the topology valid (and the folder current).
 *
 * @module
 */
import { commandScriptPath, loadCommand } from './command-loader.js';
import { processCacheSurroundings } from './compile-cache.js';
import type { CommandContext, CommandRun, ExitCode } from './context.js';
import { discoverTopologyFile } from './discover-topology.js';
import type { RecordedVerdict, RecordingCommand } from './verdict-record.js';
import { VerdictRecord } from './verdict-record.js';
import { reportCheckCurrent, reportGenerateCurrent, reportValid } from './verdict-reports.js';
import { readScriptHash } from './script-hash.js';
import { topologyFormatOf } from './topology-file.js';

/** The variable that turns records off: set and not empty, every run validates, and verifies every file. */
const REVERIFY_VARIABLE = 'TALOS_TOPOLOGY_REVERIFY';

/**
 * The topology file a command line names, when a record can stand for it: a YAML or JSON file, or the built-in
 * example (part of the build); never a module, which may read anything when it runs.
 *
 * @param context - The command line and the surroundings.
 * @returns The file, `undefined` for the built-in example, or `null` when no record can stand for the topology (a
 *   module, an example the surroundings give, or no single file to be found, which the command reports).
 */
export function recordableTopologyFile({ args, env }: CommandContext): string | undefined | null {
  if (args.example) return env.builtInExample ? null : undefined;
  try {
    const file = args.file ?? discoverTopologyFile(env.cwd ?? '.');
    const format = topologyFormatOf(file);
    return format === 'json' || format === 'yaml' ? file : null;
  } catch {
    // No file, or several: the command reports it.
    return null;
  }
}

/**
 * The record of a run of `validate`, `generate` or `check`, or `undefined` when it cannot have one: the CLI runs from
 * source (no command script, so no build to tie it to), `TALOS_TOPOLOGY_REVERIFY` is set, the topology is a module,
 * or the built-in example comes from the surroundings (tests).
 *
 * @param command - The command.
 * @param context - The command line and the surroundings.
 * @returns The record, to look up and to write.
 */
export function verdictRecordOf(command: RecordingCommand, context: CommandContext): VerdictRecord | undefined {
  const { args, env } = context;
  if (env.env[REVERIFY_VARIABLE]) return undefined;
  const build = readScriptHash(commandScriptPath(command));
  const topologyFile = recordableTopologyFile(context);
  if (!build || topologyFile === null) return undefined;
  const surroundings = processCacheSurroundings(env.env);
  const out = command === 'validate' ? undefined : args.out;
  return new VerdictRecord({ command, build, topologyFile, out, skipRules: args.skipRules, surroundings });
}

/** How each command prints a recorded verdict: as it prints its own. */
const REPORTS: Readonly<Record<RecordingCommand, (context: CommandContext, verdict: RecordedVerdict) => ExitCode>> = {
  validate: reportValid,
  generate: reportGenerateCurrent,
  check: reportCheckCurrent,
};

/**
 * `validate`, `generate` or `check` as a run that first asks its record, and otherwise loads the command.
 *
 * @param command - The command.
 * @param exported - The name its script and module export the command's run under.
 * @param module - Imports the command's module.
 * @returns The command's run.
 */
export function recordedCommand<K extends string>(
  command: RecordingCommand,
  exported: K,
  module: () => Promise<Record<K, CommandRun>>,
): CommandRun {
  return async (context) => {
    const record = verdictRecordOf(command, context);
    const verdict = record?.lookup();
    if (verdict) return REPORTS[command](context, verdict);
    const run = await loadCommand(command, exported, module);
    return run(record ? { ...context, verdictRecord: record } : context);
  };
}
