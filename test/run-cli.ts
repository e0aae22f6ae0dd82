import spaceships from '../examples/spaceships/topology.js';
import { runCli } from '../src/cli/run.js';

/** What one CLI run printed, and its exit code. */
export interface CliResult {
  /** The exit code. */
  readonly code: number;
  /** Everything printed on stdout, a line per write. */
  readonly out: string;
  /** Everything printed on stderr, a line per write. */
  readonly err: string;
}

/**
 * Runs the CLI in-process with the built-in spaceships example, capturing what it prints.
 *
 * @param env - The variables the CLI reads credentials and endpoints from.
 * @param argv - The arguments, as after `talos-topology`.
 * @returns The exit code and the captured output.
 */
export async function runCliWith(env: Record<string, string>, ...argv: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    output: { out: (text) => (out += `${text}\n`), err: (text) => (err += `${text}\n`) },
    builtInExample: async () => spaceships,
    env,
  });
  return { code, out, err };
}
