import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './args.js';

/** The file names a topology is discovered under, in the working directory. */
export const TOPOLOGY_FILE_NAMES = ['topology.ts', 'topology.yaml', 'topology.yml', 'topology.json'] as const;

/**
 * Finds the topology file in a folder when the command line names none: exactly one of
 * {@link TOPOLOGY_FILE_NAMES}. The built-in example is never a fallback; it takes `--example`.
 *
 * @param cwd - The folder to look in.
 * @returns The file's path: `cwd` joined with its name (just the name for the default `.`, as a user types it).
 * @throws {@link UsageError} naming the files when there are several, or saying what to do when there is none.
 */
export function discoverTopologyFile(cwd: string): string {
  let entries: string[];
  try {
    entries = readdirSync(cwd);
  } catch {
    entries = [];
  }
  const found = TOPOLOGY_FILE_NAMES.filter((name) => entries.includes(name));
  if (found.length === 1) return join(cwd, found[0]!);
  if (found.length > 1) {
    throw new UsageError(`several topology files here (${found.join(', ')}); name the one to use`);
  }
  throw new UsageError(
    'no topology file here (topology.ts, .yaml, .yml or .json): pass a file, run talos-topology init, or use --example',
  );
}
