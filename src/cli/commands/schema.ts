import { topologyJsonSchema } from '../../models/json-schema.js';
import type { CommandRun } from '../context.js';
import { printJson, printOk } from '../output.js';

/**
 * `schema`: prints the topology JSON Schema; with `--json`, inside the result object as `schema`.
 *
 * @param context - The command line and the surroundings.
 * @returns The exit code.
 */
export const runSchema: CommandRun = async ({ args, env }) => {
  if (args.json) printOk(env.output, { schema: topologyJsonSchema() });
  else printJson(env.output, topologyJsonSchema());
  return 0;
};
