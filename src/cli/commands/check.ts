import { currentArtifactPaths } from '../../generators/current-by-manifest.js';
import { findStaleFiles } from '../../generators/output-folder.js';
import { formatIssues } from '../../models/issue.js';
import type { CommandRun } from '../context.js';
import { printOk } from '../output.js';
import { exampleField, loadCommandTopology, ruleWarnings } from './topology-input.js';

/**
 * `check`: exit 2 with a unified diff when `--out` is stale or incomplete. A stale folder is an outcome, not a
 * failure: `--json` prints `ok: true` with the stale files. Rule warnings go to stderr, as `generate` prints them.
 *
 * @param context - The command line and the surroundings.
 * @returns The exit code.
 */
export const runCheck: CommandRun = async (context) => {
  const { args, env } = context;
  const loaded = await loadCommandTopology(context);
  // A manifest that vouches for the folder (this input's digest, this SDK version, every file's hash) spares
  // generating and comparing; the rules still run for their warnings.
  const current = (await currentArtifactPaths(loaded.topology, { skip: args.skipRules }, args.out)) !== undefined;
  // The generators (and js-yaml) load only when the folder has to be regenerated to compare.
  const result = current ? undefined : (await import('./generate-from.js')).generateFrom(loaded, args.skipRules);
  const warnings = result?.warnings ?? ruleWarnings(loaded, args.skipRules);
  const stale = result ? await findStaleFiles(result, args.out) : [];
  if (args.json) {
    printOk(env.output, { source: loaded.source, ...exampleField(loaded), out: args.out, warnings, stale });
    return stale.length === 0 ? 0 : 2;
  }
  if (warnings.length > 0) env.output.err(formatIssues(warnings, loaded.source));
  if (stale.length === 0) env.output.out(`${loaded.source}: ${args.out} is up to date`);
  else {
    for (const file of stale) env.output.out(file.diff);
    env.output.err(
      `${loaded.source}: ${args.out} is stale: ${stale.length === 1 ? '1 file differs' : `${stale.length} files differ`}; run talos-topology generate`,
    );
  }
  return stale.length === 0 ? 0 : 2;
};
