import { currentArtifactPaths } from '../../generators/current-by-manifest.js';
import type { WriteResult } from '../../generators/output-folder.js';
import type { TopologyIssue } from '../../models/issue.js';
import { formatIssues } from '../../models/issue.js';
import type { CommandRun } from '../context.js';
import { printOk } from '../output.js';
import type { CommandTopology } from './topology-input.js';
import { exampleField, loadCommandTopology, ruleWarnings } from './topology-input.js';

/** What one `generate` did: the artifacts' count, the rule warnings and what was written. */
interface Generated {
  readonly count: number;
  readonly warnings: readonly TopologyIssue[];
  readonly files: WriteResult;
}

async function generateInto(loaded: CommandTopology, out: string, skipRules: readonly string[], force: boolean) {
  // A folder whose manifest vouches for this input, SDK version and every file's hash holds exactly what generating
  // would write (generation is pure), so nothing is generated or written; the rules still run for their warnings.
  // The generators and js-yaml load only when something has to be generated.
  const current = await currentArtifactPaths(loaded.topology, { skip: skipRules }, out);
  if (current) {
    const files = { written: [], unchanged: current, removed: [] };
    return { count: current.length, warnings: ruleWarnings(loaded, skipRules), files } satisfies Generated;
  }
  const [{ generateFrom }, { writeArtifacts }] = await Promise.all([
    import('./generate-from.js'),
    import('../../generators/output-folder.js'),
  ]);
  const result = generateFrom(loaded, skipRules);
  const files = await writeArtifacts(result, out, { force });
  return { count: result.artifacts.length, warnings: result.warnings, files } satisfies Generated;
}

/**
 * `generate`: writes every artifact into `--out`.
 *
 * @param context - The command line and the surroundings.
 * @returns The exit code.
 */
export const runGenerate: CommandRun = async (context) => {
  const { args, env } = context;
  const loaded = await loadCommandTopology(context);
  const { count, warnings, files } = await generateInto(loaded, args.out, args.skipRules, args.force);
  if (args.json) {
    printOk(env.output, { source: loaded.source, ...exampleField(loaded), out: args.out, warnings, ...files });
    return 0;
  }
  if (warnings.length > 0) env.output.err(formatIssues(warnings, loaded.source));
  env.output.out(
    `${loaded.source}: ${count} artifacts in ${args.out} (${files.written.length} written, ${files.unchanged.length} unchanged, ${files.removed.length} removed)`,
  );
  return 0;
};
