import type { CommandContext } from './context.js';
import type { CliEnvVariables } from './targets.js';

/** What decides whether the CLI prints colour. */
export interface ColorInputs {
  /** `--no-color` was given: wins over everything else. */
  readonly noColorFlag: boolean;
  /** The environment (`NO_COLOR`, `FORCE_COLOR`). */
  readonly env: CliEnvVariables;
  /** Whether standard output is a terminal. */
  readonly isTTY: boolean;
}

/**
 * The one colour decision of the CLI, for the plan output and anything else it colours. In order: `--no-color`
 * disables; `NO_COLOR` set to anything but the empty string disables (no-color.org: "when present and not an empty
 * string ... prevents the addition of ANSI color"); `FORCE_COLOR` of `0` or `false` disables and `1`, `2`, `3`,
 * `true` or the empty string enables even without a terminal (the convention of Node's own `tty` module and the
 * `supports-color` package); otherwise colour only on a terminal.
 *
 * @param inputs - The flag, the environment and whether stdout is a terminal.
 * @returns `true` to print ANSI colour.
 */
export function colorEnabled(inputs: ColorInputs): boolean {
  if (inputs.noColorFlag) return false;
  const noColor = inputs.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  const force = inputs.env['FORCE_COLOR'];
  if (force !== undefined) {
    if (['', '1', '2', '3', 'true'].includes(force.toLowerCase())) return true;
    if (['0', 'false'].includes(force.toLowerCase())) return false;
  }
  return inputs.isTTY;
}

/**
 * The colour decision for one run of the CLI.
 *
 * @param context - The command line and the surroundings.
 * @returns `true` to print ANSI colour on stdout.
 */
export function colorFor(context: CommandContext): boolean {
  return colorEnabled({
    noColorFlag: context.args.noColor,
    env: context.env.env,
    isTTY: context.env.isTTY ?? process.stdout.isTTY === true,
  });
}
