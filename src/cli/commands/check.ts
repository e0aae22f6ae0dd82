import { currentArtifactPaths } from '../../generators/current-by-manifest.js';
import { findStaleFiles } from '../../generators/output-folder.js';
import type { CommandRun } from '../context.js';
import { reportCheck, reportCheckCurrent } from '../verdict-reports.js';
import { currentFolderVerdict, loadCommandTopology } from './topology-input.js';

/**
 * `check`: exit 2 with a unified diff when `--out` is stale or incomplete (see `reportCheck`).
 *
 * @param context - The command line and the surroundings.
 * @returns The exit code.
 */
export const runCheck: CommandRun = async (context) => {
  const { args } = context;
  const loaded = await loadCommandTopology(context);
  // A manifest that vouches for the folder (this input's digest, this SDK version, every file's hash) spares
  // generating and comparing; the rules still run for their warnings.
  const current = await currentArtifactPaths(loaded.topology, { skip: args.skipRules }, args.out);
  if (current) return reportCheckCurrent(context, currentFolderVerdict(context, loaded, current));
  // The generators (and js-yaml) load only when the folder has to be regenerated to compare.
  const result = (await import('./generate-from.js')).generateFrom(loaded, args.skipRules);
  const stale = await findStaleFiles(result, args.out);
  return reportCheck(context, { source: loaded.source, example: loaded.example, warnings: result.warnings, stale });
};
