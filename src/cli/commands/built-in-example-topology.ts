import type { CliEnvironment } from '../context.js';

/**
 * The loader of the built-in spaceships example: the one the surroundings give (tests), else the example bundled with
 * the commands. It is imported here, by the commands that use it, and never by the CLI's entry file, which holds only
 * what `--help` and `--version` need.
 *
 * @param env - The surroundings.
 * @returns A function that loads the example's topology.
 */
export function builtInExampleLoader(env: CliEnvironment): () => Promise<unknown> {
  return env.builtInExample ?? (async () => (await import('../../../examples/spaceships/topology.js')).default);
}
