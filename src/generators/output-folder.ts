import { mkdir } from 'node:fs/promises';
import type { Artifact, ArtifactSet } from './artifact.js';
import { sha256Hex } from './artifact.js';
import { findPathConflict } from './artifact-path.js';
import { ArtifactSetError } from './artifact-set-error.js';
import { checkOutputFolder, ContainedFolder } from './contained-folder.js';
import { LOCK_FILE, lockOutputFolder } from './folder-lock.js';
import type { ManifestEntry } from './manifest.js';
import { MANIFEST_PATH, manifestEntries, parseManifestEntries } from './manifest.js';
import { readRunJournal, removeRunJournal, RUN_JOURNAL, writeRunJournal } from './run-journal.js';
import { unifiedDiff } from './unified-diff.js';

/** How a file on disk compares with the artifact that belongs there. */
export interface StaleFile {
  /** Path relative to the output folder. */
  readonly path: string;
  /** `missing`: not on disk; `changed`: different bytes; `extra`: generated before, no longer produced. */
  readonly state: 'missing' | 'changed' | 'extra';
  /** Unified diff from the file on disk to the artifact. */
  readonly diff: string;
}

/** Options for {@link writeArtifacts}. */
export interface WriteArtifactsOptions {
  /** Overwrite generated files that were edited by hand since the last run. Defaults to `false`. */
  readonly force?: boolean;
}

/** What {@link writeArtifacts} did. */
export interface WriteResult {
  /** Files written because they were new or changed. */
  readonly written: readonly string[];
  /** Files left as they were because their bytes already matched. */
  readonly unchanged: readonly string[];
  /** Files from the previous run that are no longer generated, removed. */
  readonly removed: readonly string[];
}

/**
 * Checks a set before it touches a folder: every path relative, normalised and inside the folder, and no two
 * artifacts on one path (the second would silently replace the first).
 */
function checkedArtifacts(set: ArtifactSet): readonly Artifact[] {
  const conflict = findPathConflict(set.artifacts, (artifact) => artifact.path);
  if (conflict) {
    const { item, problem, first } = conflict;
    throw new ArtifactSetError(
      item.path,
      `${first ? `is in the set twice (${first.kind} and ${item.kind})` : problem}: refused, nothing was written`,
    );
  }
  return set.artifacts;
}

/** The entries of the manifest a previous run wrote, validated before any of them is used. */
async function previousManifest(folder: ContainedFolder): Promise<ManifestEntry[]> {
  const text = await folder.read(MANIFEST_PATH);
  return text === undefined ? [] : parseManifestEntries(text, MANIFEST_PATH, { unique: true });
}

/**
 * Writes an artifact set into a folder. Each file is written atomically (temporary file, then rename) and only when
 * its bytes change. Files are owned through `manifest.json`: a file the previous run did not write is never
 * overwritten, a generated file edited by hand is only overwritten with `force`, and a file the previous run wrote
 * that is no longer generated is removed only when it is unedited. Everything is checked before anything is
 * written, so a refusal leaves the folder as it was.
 *
 * The folder is treated as untrusted input (in CI it comes from a pull request): the manifest's entries are validated
 * before any file is read or removed, and every file read, written or removed is a regular file inside the folder,
 * reached through real folders only, never through a symbolic link.
 *
 * Interrupted and concurrent runs: the run holds a lock file (`.talos-topology.lock`, with its process ID and host)
 * and refuses to start while another live run holds it. Before the first write it records what it is about to write
 * in a journal; `manifest.json` is written last and the journal removed after it. A run killed in between leaves the
 * journal and possibly temporary files; the next run removes those temporary files (only the SDK's own
 * `.<file>.<hex>.tmp` names, beside files it owns) and treats files matching the journal as its own work.
 *
 * @param set - The artifacts (from `generate`).
 * @param dir - The output folder; created when missing.
 * @param options - `force` to overwrite hand-edited generated files.
 * @returns What was written, left alone and removed.
 * @throws {@link ArtifactSetError} naming the first file that would lose a person's work, a bad manifest entry, a
 * path that would leave the folder, or the run that holds the folder's lock.
 *
 * @example
 * ```ts
 * import { generate, writeArtifacts } from '@talos-sdk/topology';
 * import topology from './topology.js';
 *
 * const { written, removed } = await writeArtifacts(generate(topology), 'out');
 * console.log(`${written.length} written, ${removed.length} removed`);
 * ```
 */
export async function writeArtifacts(
  set: ArtifactSet,
  dir: string,
  options: WriteArtifactsOptions = {},
): Promise<WriteResult> {
  const artifacts = checkedArtifacts(set);
  if (!(await checkOutputFolder(dir))) await mkdir(dir, { recursive: true });
  const folder = new ContainedFolder(dir);
  const lock = await lockOutputFolder(folder);
  try {
    return await writeLocked(artifacts, folder, options);
  } finally {
    await lock.release();
  }
}

async function writeLocked(
  artifacts: readonly Artifact[],
  folder: ContainedFolder,
  options: WriteArtifactsOptions,
): Promise<WriteResult> {
  const previous = await previousManifest(folder);
  const journal = await readRunJournal(folder);
  // The checksums the SDK may have written at each path: the last complete run's (manifest), and those of a run
  // that was interrupted since (journal). Only these bytes count as the SDK's own.
  const owned = new Map<string, Set<string>>();
  for (const entry of [...previous, ...journal])
    owned.set(entry.path, (owned.get(entry.path) ?? new Set()).add(entry.sha256));
  await folder.removeTemporaryFiles([
    ...artifacts.map((artifact) => artifact.path),
    ...owned.keys(),
    RUN_JOURNAL,
    LOCK_FILE,
  ]);
  const wanted = new Set(artifacts.map((artifact) => artifact.path));
  // Sorted into changed and unchanged as each file is compared (looking every file up in the list of changes afterwards
  // grew with the square of the file count); a file read from disk is let go once compared.
  const changes: Artifact[] = [];
  const unchanged: string[] = [];
  for (const artifact of artifacts) {
    const current = await folder.read(artifact.path);
    if (current === artifact.content) {
      unchanged.push(artifact.path);
      continue;
    }
    if (current !== undefined && artifact.path !== MANIFEST_PATH) {
      const hashes = owned.get(artifact.path);
      if (hashes === undefined) {
        throw new ArtifactSetError(artifact.path, 'exists and was not written by talos-topology; move it away first');
      }
      // Safe to overwrite without --force when the bytes are ones the SDK itself wrote there: those of the last
      // complete run, or those an interrupted run (journal) had generated for this path. A person's edit can only
      // look like the SDK's work if it is byte for byte what the SDK generated, and then nothing of theirs is lost.
      if (!hashes.has(sha256Hex(current)) && !options.force) {
        throw new ArtifactSetError(
          artifact.path,
          'was edited by hand since it was generated; keep your change in the topology, or pass --force',
        );
      }
    }
    changes.push(artifact);
  }
  const stale: string[] = [];
  for (const [path, hashes] of owned) {
    if (wanted.has(path)) continue;
    const current = await folder.read(path);
    if (current !== undefined && hashes.has(sha256Hex(current))) stale.push(path);
  }
  const manifest = changes.find((artifact) => artifact.path === MANIFEST_PATH);
  if (changes.length > 0 || stale.length > 0 || journal.length > 0) {
    const others = artifacts.filter((artifact) => artifact.path !== MANIFEST_PATH);
    await writeRunJournal(folder, [...journal, ...manifestEntries(others)]);
    for (const artifact of changes) {
      if (artifact !== manifest) await folder.write(artifact.path, artifact.content);
    }
    for (const path of stale) await folder.remove(path);
    if (manifest) await folder.write(MANIFEST_PATH, manifest.content);
    await removeRunJournal(folder);
  }
  return {
    written: changes.map((artifact) => artifact.path),
    unchanged,
    removed: stale,
  };
}

/**
 * Compares an output folder with the artifacts that belong there, without writing anything. The manifest's entries
 * are validated before any file is read, and files are read only inside the folder (see {@link writeArtifacts}).
 *
 * @param set - The artifacts (from `generate`).
 * @param dir - The output folder.
 * @returns Every missing, changed or no-longer-generated file with its unified diff; empty when up to date.
 * @throws {@link ArtifactSetError} for a bad manifest entry, or a file reached through a link or not regular.
 *
 * @example
 * ```ts
 * import { findStaleFiles, generate } from '@talos-sdk/topology';
 * import topology from './topology.js';
 *
 * const stale = await findStaleFiles(generate(topology), 'out');
 * for (const file of stale) console.log(file.diff);
 * process.exitCode = stale.length === 0 ? 0 : 2;
 * ```
 */
export async function findStaleFiles(set: ArtifactSet, dir: string): Promise<StaleFile[]> {
  const artifacts = checkedArtifacts(set);
  const folder = new ContainedFolder(dir);
  const present = await checkOutputFolder(dir);
  // Files an interrupted run created (journal) are extra too, like those of the last complete run (manifest).
  const previous = present ? [...(await previousManifest(folder)), ...(await readRunJournal(folder))] : [];
  const stale: StaleFile[] = [];
  const wanted = new Set<string>();
  for (const artifact of artifacts) {
    wanted.add(artifact.path);
    const current = present ? await folder.read(artifact.path) : undefined;
    if (current === artifact.content) continue;
    stale.push({
      path: artifact.path,
      state: current === undefined ? 'missing' : 'changed',
      diff: unifiedDiff(artifact.path, current ?? '', artifact.content),
    });
  }
  for (const path of new Set(previous.map((entry) => entry.path))) {
    if (wanted.has(path)) continue;
    const current = await folder.read(path);
    if (current !== undefined) stale.push({ path, state: 'extra', diff: unifiedDiff(path, current, '') });
  }
  return stale.sort((a, b) => (a.path < b.path ? -1 : 1));
}
