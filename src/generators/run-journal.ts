/**
 * The journal of a `writeArtifacts` run in progress: before the first file is written, the checksums of everything
 * the run is about to write go to `.talos-topology.journal.json`; `manifest.json` is written last and the journal is
 * removed after it. A run killed in between leaves the journal, and the next run treats a file that matches it as the
 * SDK's own (interrupted) work rather than as a hand edit.
 *
 * @module
 */
import { BOOKKEEPING_PREFIX } from './artifact-path.js';
import type { ManifestEntry } from './manifest.js';
import { parseManifestEntries } from './manifest.js';
import type { ContainedFolder } from './contained-folder.js';
import { toCanonicalJson } from './serialize-json.js';

/** The journal's name in the output folder. */
export const RUN_JOURNAL = `${BOOKKEEPING_PREFIX}journal.json`;

/**
 * Reads the journal an interrupted run left, validated like a manifest (it comes from the same untrusted folder).
 *
 * @param folder - The output folder.
 * @returns Its entries (one path may appear with several checksums), or none when there is no journal.
 */
export async function readRunJournal(folder: ContainedFolder): Promise<ManifestEntry[]> {
  const text = await folder.read(RUN_JOURNAL);
  return text === undefined ? [] : parseManifestEntries(text, RUN_JOURNAL, { unique: false });
}

/**
 * Writes the journal (atomically) before a run changes anything: the entries of the run about to start, plus those
 * of an earlier interrupted run whose files may still be on disk.
 *
 * @param folder - The output folder.
 * @param entries - Every path and checksum the SDK may have written since the last complete run.
 */
export async function writeRunJournal(folder: ContainedFolder, entries: readonly ManifestEntry[]): Promise<void> {
  const unique = new Map(entries.map((entry) => [`${entry.path}\n${entry.sha256}`, entry]));
  const artifacts = [...unique].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, entry]) => entry);
  await folder.write(RUN_JOURNAL, toCanonicalJson({ artifacts }));
}

/**
 * Removes the journal once `manifest.json` is written: the run is complete.
 *
 * @param folder - The output folder.
 */
export async function removeRunJournal(folder: ContainedFolder): Promise<void> {
  await folder.remove(RUN_JOURNAL);
}
