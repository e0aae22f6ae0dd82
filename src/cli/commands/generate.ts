import { currentArtifactPaths } from '../../generators/current-by-manifest.js';
import type { CommandRun } from '../context.js';
import { reportGenerate, reportGenerateCurrent } from '../verdict-reports.js';
import { currentFolderVerdict, loadCommandTopology } from './topology-input.js';

/**
 * `generate`: writes every artifact into `--out`.
 *
 * @param context - The command line and the surroundings.
 * @returns The exit code.
 */
export const runGenerate: CommandRun = async (context) => {
  const { args } = context;
  const loaded = await loadCommandTopology(context);
  // A folder whose manifest vouches for this input, SDK version and every file's hash holds exactly what generating
  // would write (generation is pure), so nothing is generated or written; the rules still run for their warnings.
  const current = await currentArtifactPaths(loaded.topology, { skip: args.skipRules }, args.out);
  if (current) return reportGenerateCurrent(context, currentFolderVerdict(context, loaded, current));
  // The generators and js-yaml load only when something has to be generated.
  const [{ generateFrom }, { writeArtifacts }] = await Promise.all([
    import('./generate-from.js'),
    import('../../generators/output-folder.js'),
  ]);
  const result = generateFrom(loaded, args.skipRules);
  const files = await writeArtifacts(result, args.out, { force: args.force });
  const { source, example } = loaded;
  return reportGenerate(context, { source, example, warnings: result.warnings, count: result.artifacts.length, files });
};
