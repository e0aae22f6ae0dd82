import { TopologyError } from '../../models/issue.js';
import { checkTopology } from '../../rules/index.js';
import type { CommandRun } from '../context.js';
import { reportValid } from '../verdict-reports.js';
import { loadCommandTopology } from './topology-input.js';

/**
 * `validate`: schema, references and rules; exit 1 when any issue is an error.
 *
 * @param context - The command line and the surroundings.
 * @returns The exit code.
 * @throws {@link TopologyError} with every issue when one is an error.
 */
export const runValidate: CommandRun = async (context) => {
  const { args } = context;
  const loaded = await loadCommandTopology(context);
  const issues = loaded.locate(checkTopology(loaded.topology, { skip: args.skipRules }));
  if (issues.some((issue) => issue.severity === 'error')) throw new TopologyError(issues, loaded.source);
  const verdict = { source: loaded.source, example: loaded.example, paths: [], warnings: issues };
  if (loaded.files) context.verdictRecord?.remember(loaded.files, verdict);
  return reportValid(context, verdict);
};
