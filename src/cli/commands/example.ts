import { toYaml } from '../../generators/serialize.js';
import { BUILT_IN_EXAMPLE } from '../built-in-example.js';
import { builtInExampleLoader } from './built-in-example-topology.js';
import type { CommandRun } from '../context.js';
import { printOk } from '../output.js';
import { SCHEMA_COMMENT } from '../starter-topology.js';

/**
 * `example`: prints the built-in spaceships example as YAML, to save as a topology file and change; with `--json`,
 * as `topology` in the result object.
 *
 * @param context - The command line and the surroundings.
 * @returns The exit code.
 */
export const runExample: CommandRun = async ({ args, env }) => {
  const topology = await builtInExampleLoader(env)();
  if (args.json) printOk(env.output, { source: BUILT_IN_EXAMPLE, example: true, topology });
  else
    env.output.out(`${SCHEMA_COMMENT}\n# ${BUILT_IN_EXAMPLE}, printed by talos-topology example\n${toYaml(topology)}`);
  return 0;
};
