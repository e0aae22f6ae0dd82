import type { CliArgs } from './args.js';
import type { AskPerson } from './approval.js';
import type { VerdictRecord } from './verdict-record.js';
import type { Output } from './output.js';
import type { CliEnvVariables } from './targets.js';

/** Exit codes: 0 success, 1 invalid input or failure, 2 stale output or planned changes. */
export type ExitCode = 0 | 1 | 2;

/** What the CLI needs from its surroundings, so tests can run it in-process. */
export interface CliEnvironment {
  /** Where to print. */
  readonly output: Output;
  /**
   * Loads the built-in example topology (for `--example` and `talos-topology example`); by default the spaceships
   * example bundled with the commands.
   */
  readonly builtInExample?: () => Promise<unknown>;
  /** Where credentials, endpoints and `NO_COLOR`/`FORCE_COLOR` come from (`process.env` for the real CLI). */
  readonly env: CliEnvVariables;
  /** The working directory a topology file is discovered in (default: the process's). */
  readonly cwd?: string;
  /** Whether standard output is a terminal (default: the process's); colour is only on by default on one. */
  readonly isTTY?: boolean;
  /** Asks a person to approve a change (see `approval.ts`); absent or answering `undefined`: nobody to ask. */
  readonly ask?: AskPerson;
}

/** What a command runs with. */
export interface CommandContext {
  /** The parsed command line. */
  readonly args: CliArgs;
  /** The surroundings. */
  readonly env: CliEnvironment;
  /**
   * For `generate` and `check`: the record to write when the command finds `--out` current (see `verdict-record.ts`);
   * absent when the run cannot be recorded.
   */
  readonly verdictRecord?: VerdictRecord;
}

/** A command's implementation, loaded only when the command runs. */
export type CommandRun = (context: CommandContext) => Promise<ExitCode>;
