import type { Topology } from '../models/define.js';
import type { CheckTopologyOptions } from '../rules/index.js';
import { sha256Hex } from './artifact.js';
import { checkOutputFolder, ContainedFolder } from './contained-folder.js';
import { inputDigest, MANIFEST_PATH, manifestArtifact, parseManifestEntries } from './manifest.js';
import { LOCK_FILE } from './folder-lock.js';
import { readRunJournal } from './run-journal.js';
import { SDK_VERSION } from './sdk-version.js';

/**
 * Tells, without generating, whether an output folder is what `generate` would write for a topology: true only when
 * `manifest.json` is byte for byte the manifest this SDK version writes for this input (so its recorded input digest,
 * the skipped rules folded into it, the SDK version and the topology name all match, and it is in canonical form),
 * every file it lists is on disk with the SHA-256 it records, no interrupted run left a journal and no run holds the
 * folder's lock. Generation is
 * pure, so the same input and generators give the same files; the files `findStaleFiles` would call extra are those
 * of an earlier manifest or journal, and there are none then. Files the manifest does not list are not the SDK's, as
 * for `findStaleFiles`.
 *
 * Anything else (a missing or older manifest, a hand-edited file, a changed topology or `{ file }` it reads, another
 * SDK version, a bad entry, a link) answers `undefined`, and the caller compares every file as before: the folder is
 * untrusted input, so this is only ever a shortcut to the answer "up to date", never to "stale".
 *
 * @param topology - The validated topology.
 * @param options - The rules skipped (part of the input digest).
 * @param dir - The output folder.
 * @returns When the folder is up to date, the paths `generate` would write there (the manifest's entries and the
 *   manifest itself), sorted by path as `generate` sorts its artifacts; else `undefined`.
 */
export async function currentArtifactPaths(
  topology: Topology,
  options: CheckTopologyOptions,
  dir: string,
): Promise<string[] | undefined> {
  try {
    if (!(await checkOutputFolder(dir))) return undefined;
    const folder = new ContainedFolder(dir);
    const text = await folder.read(MANIFEST_PATH);
    // A run that holds the lock may be about to change the folder: only the full path (which waits on it) answers.
    if (text === undefined || (await folder.read(LOCK_FILE)) !== undefined) return undefined;
    if ((await readRunJournal(folder)).length > 0) return undefined;
    const entries = parseManifestEntries(text, MANIFEST_PATH, { unique: true });
    const expected = manifestArtifact(topology.name, entries, {
      input: inputDigest(topology, options),
      version: SDK_VERSION,
    });
    if (expected.content !== text) return undefined;
    for (const entry of entries) {
      const content = await folder.read(entry.path);
      if (content === undefined || sha256Hex(content) !== entry.sha256) return undefined;
    }
    return [...entries.map((entry) => entry.path), MANIFEST_PATH].sort();
  } catch {
    // A refused entry or path: the full comparison reports it.
    return undefined;
  }
}
