import type { Artifact, ArtifactSet } from './artifact.js';
import { createArtifact } from './artifact.js';
import { ArtifactSetError } from './artifact-set-error.js';
import { checkOutputFolder, ContainedFolder } from './contained-folder.js';
import { MANIFEST_PATH, parseManifestEntries } from './manifest.js';
import { RUN_JOURNAL } from './run-journal.js';

export { ArtifactSetError } from './artifact-set-error.js';

/**
 * Reads a generated output folder back into an artifact set, checking every file against `manifest.json`.
 * Clients push what this returns, so a file edited by hand after generation is refused rather than pushed.
 *
 * The folder is treated as untrusted (in CI it comes from a pull request): every manifest entry is validated before
 * any file is read, and only regular files inside the folder are read, never through a symbolic link.
 *
 * @param dir - The output folder given to `generate --out`.
 * @returns The artifact set, manifest included.
 * @throws {@link ArtifactSetError} when the manifest is missing or malformed, a generate run was interrupted, or a
 * file is missing, changed, or not a regular file inside the folder.
 *
 * @example
 * ```ts
 * import { readArtifactSet } from '@talos-sdk/topology';
 *
 * const set = await readArtifactSet('out'); // refuses files edited after generate
 * console.log(set.artifacts.map((artifact) => artifact.path));
 * ```
 */
export async function readArtifactSet(dir: string): Promise<ArtifactSet> {
  const folder = new ContainedFolder(dir);
  const manifestText = (await checkOutputFolder(dir)) ? await folder.read(MANIFEST_PATH) : undefined;
  if (manifestText === undefined) throw missing(dir, MANIFEST_PATH);
  if ((await folder.read(RUN_JOURNAL)) !== undefined) {
    throw new ArtifactSetError(
      RUN_JOURNAL,
      `a talos-topology generate into ${dir} was interrupted (or is still running); run it again before using the folder`,
    );
  }
  const entries = parseManifestEntries(manifestText, MANIFEST_PATH, { unique: true });
  const artifacts: Artifact[] = [createArtifact(MANIFEST_PATH, 'manifest', manifestText)];
  for (const entry of entries) {
    const text = await folder.read(entry.path);
    if (text === undefined) throw missing(dir, entry.path);
    const artifact = createArtifact(entry.path, entry.kind, text);
    if (artifact.sha256 !== entry.sha256) {
      throw new ArtifactSetError(
        entry.path,
        'differs from manifest.json (edited after generation?); run generate again',
      );
    }
    artifacts.push(artifact);
  }
  artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { artifacts };
}

function missing(dir: string, path: string): ArtifactSetError {
  return new ArtifactSetError(path, `cannot be read from ${dir}; run talos-topology generate --out ${dir}`);
}
