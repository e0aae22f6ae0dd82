import { formatIssues, TopologyError } from '../../models/issue.js';
import { checkTopology } from '../../rules/index.js';
import type { CommandRun } from '../context.js';
import { printOk } from '../output.js';
import { exampleField, loadCommandTopology } from './topology-input.js';

/**
 * `validate`: schema, references and rules; exit 1 when any issue is an error.
 *
 * @param context - The command line and the surroundings.
 * @returns The exit code.
 * @throws {@link TopologyError} with every issue when one is an error.
 */
export const runValidate: CommandRun = async (context) => {
  const { args, env } = context;
  const loaded = await loadCommandTopology(context);
  const issues = loaded.locate(checkTopology(loaded.topology, { skip: args.skipRules }));
  if (issues.some((issue) => issue.severity === 'error')) throw new TopologyError(issues, loaded.source);
  if (args.json) {
    printOk(env.output, { source: loaded.source, ...exampleField(loaded), issues });
    return 0;
  }
  if (issues.length > 0) env.output.err(formatIssues(issues, loaded.source));
  env.output.out(`${loaded.source}: valid (${issues.length} warning${issues.length === 1 ? '' : 's'})`);
  return 0;
};
