import type { CommandContext } from './context.js';
import type { CliEnvVariables } from './targets.js';

/** What decides whether the CLI prints colour. */
export interface ColorInputs {
  /** `--no-color` was given: wins over everything else. */
  readonly noColorFlag: boolean;
  /** The environment (`NO_COLOR`, `FORCE_COLOR`). */
  readonly env: CliEnvVariables;
  /**
   * Whether standard output is a terminal, or how to tell: asked only when the flag and the environment leave it open,
   * since creating `process.stdout` loads Node's stream and net modules (2–3 ms).
   */
  readonly isTTY: boolean | (() => boolean);
}

/** The `FORCE_COLOR` values that turn colour on; Node's `doc/api/cli.md` (`FORCE_COLOR=[1, 2, 3]`). */
const FORCE_COLOR_ON = ['', '1', '2', '3', 'true'];

/**
 * The one colour decision of the CLI, for the plan output and anything else it colours. In order: `--no-color`
 * disables; a set `FORCE_COLOR` decides next, as Node documents it (doc/api/cli.md, `FORCE_COLOR=[1, 2, 3]`): `1`,
 * `2`, `3`, `true` or the empty string enable colour even without a terminal and then "both the NO_COLOR, and
 * NODE_DISABLE_COLORS environment variables are ignored", and "any other value" (`0`, `false`) disables it; then
 * `NO_COLOR` set to anything but the empty string disables (no-color.org: "when present and not an empty string
 * (regardless of its value), prevents the addition of ANSI color"); otherwise colour only on a terminal.
 *
 * @param inputs - The flag, the environment and whether stdout is a terminal.
 * @returns `true` to print ANSI colour.
 */
export function colorEnabled(inputs: ColorInputs): boolean {
  if (inputs.noColorFlag) return false;
  const force = inputs.env['FORCE_COLOR'];
  if (force !== undefined) return FORCE_COLOR_ON.includes(force);
  const noColor = inputs.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  return typeof inputs.isTTY === 'function' ? inputs.isTTY() : inputs.isTTY;
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
    isTTY: context.env.isTTY ?? (() => process.stdout.isTTY === true),
  });
}
