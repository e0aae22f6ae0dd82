import { writeArtifacts } from '../../generators/output-folder.js';
import { formatIssues } from '../../models/issue.js';
import type { CommandRun } from '../context.js';
import { printOk } from '../output.js';
import { generateFrom } from './generate-from.js';
import { exampleField, loadCommandTopology } from './topology-input.js';

/**
 * `generate`: writes every artifact into `--out`.
 *
 * @param context - The command line and the surroundings.
 * @returns The exit code.
 */
export const runGenerate: CommandRun = async (context) => {
  const { args, env } = context;
  const loaded = await loadCommandTopology(context);
  const result = generateFrom(loaded, args.skipRules);
  const written = await writeArtifacts(result, args.out, { force: args.force });
  if (args.json) {
    printOk(env.output, {
      source: loaded.source,
      ...exampleField(loaded),
      out: args.out,
      warnings: result.warnings,
      ...written,
    });
    return 0;
  }
  if (result.warnings.length > 0) env.output.err(formatIssues(result.warnings, loaded.source));
  env.output.out(
    `${loaded.source}: ${result.artifacts.length} artifacts in ${args.out} (${written.written.length} written, ${written.unchanged.length} unchanged, ${written.removed.length} removed)`,
  );
  return 0;
};
