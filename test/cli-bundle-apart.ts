/**
 * A fresh bundle of the CLI (scripts/bundle-cli.mjs) in a folder of its own under the system's temporary folder, away
 * from the repository: for the tests of what the CLI itself loads, writes and keeps between runs.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCli } from '../scripts/bundle-cli.mjs';

/** Where a bundle was made. */
export interface CliBundle {
  /** The folder: `dist/cli` and a `package.json` with the repository's version. */
  readonly base: string;
  /** The CLI's entry, `dist/cli/main.cjs`. */
  readonly cli: string;
}

/**
 * Bundles the CLI into a new temporary folder.
 *
 * @param prefix - The folder name's prefix.
 * @returns The folder and the CLI's entry.
 */
export async function bundleCliApart(prefix: string): Promise<CliBundle> {
  const base = await mkdtemp(join(tmpdir(), prefix));
  await bundleCli(join(base, 'dist/cli'));
  const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  await writeFile(join(base, 'package.json'), JSON.stringify({ type: 'module', version }));
  return { base, cli: join(base, 'dist/cli/main.cjs') };
}
