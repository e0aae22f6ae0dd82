import { parseCliArgs } from './args.js';
import type { CommandLine } from './args.js';
import { COMMANDS, isCommand } from './command-table.js';
import type { CliEnvironment, ExitCode } from './context.js';
import type { FailureContext } from './failure.js';
import { describeFailure, printFailure } from './failure.js';
import { commandHelp, generalHelp } from './help.js';
import { SDK_VERSION } from '../generators/sdk-version.js';
import { printOk } from './output.js';

export type { CliEnvironment, ExitCode } from './context.js';

/** Prints help or the version; nothing else is loaded for them. */
function printInformation(line: Exclude<CommandLine, { kind: 'run' }>, env: CliEnvironment): ExitCode {
  if (line.kind === 'version') {
    if (line.json) printOk(env.output, { version: SDK_VERSION });
    else env.output.out(SDK_VERSION);
    return 0;
  }
  const help = line.command ? commandHelp(line.command) : generalHelp();
  if (line.json) printOk(env.output, { help });
  else env.output.out(help);
  return 0;
}

/** What a failure's report needs, read without parsing the arguments (a usage error has no parsed arguments). */
function failureContext(argv: readonly string[]): FailureContext {
  return { json: argv.includes('--json'), command: argv.find(isCommand), example: argv.includes('--example') };
}

/**
 * Runs the CLI: parses arguments, runs the command, prints results, and turns every expected failure into a clear
 * one-line-per-problem message (never a stack trace), or with `--json` into `{ "ok": false, "error": {...} }` on
 * stdout.
 *
 * @param argv - Arguments after the program name.
 * @param env - Output, the built-in example and the environment.
 * @returns The exit code.
 */
export async function runCli(argv: readonly string[], env: CliEnvironment): Promise<ExitCode> {
  let context = failureContext(argv);
  try {
    const line = parseCliArgs(argv);
    if (line.kind !== 'run') return printInformation(line, env);
    const { args } = line;
    context = { json: args.json, command: args.command, example: args.example };
    const run = await COMMANDS[args.command].load();
    return await run({ args, env });
  } catch (error) {
    printFailure(env.output, describeFailure(error), context);
    return 1;
  }
}
