import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Artifact, ArtifactSet } from './artifact.js';
import { sha256Hex } from './artifact.js';
import { readTextIfPresent, writeFileAtomically } from './files.js';
import { ArtifactSetError } from './read.js';
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

/** The files a previous run wrote, from its manifest, with the checksums it wrote them with. */
async function previousManifest(dir: string): Promise<Map<string, string>> {
  const text = await readTextIfPresent(join(dir, 'manifest.json'));
  if (text === undefined) return new Map();
  try {
    const manifest = JSON.parse(text) as { artifacts?: { path: string; sha256: string }[] };
    return new Map((manifest.artifacts ?? []).map((entry) => [entry.path, entry.sha256]));
  } catch (cause) {
    throw new ArtifactSetError('manifest.json', 'is not a manifest written by talos-topology; move it away or fix it', {
      cause,
    });
  }
}

/**
 * Writes an artifact set into a folder. Each file is written atomically (temporary file, then rename) and only when
 * its bytes change. Files are owned through `manifest.json`: a file the previous run did not write is never
 * overwritten, a generated file edited by hand is only overwritten with `force`, and a file the previous run wrote
 * that is no longer generated is removed only when it is unedited. Everything is checked before anything is
 * written, so a refusal leaves the folder as it was.
 *
 * @param set - The artifacts (from `generate`).
 * @param dir - The output folder; created when missing.
 * @param options - `force` to overwrite hand-edited generated files.
 * @returns What was written, left alone and removed.
 * @throws {@link ArtifactSetError} naming the first file that would lose a person's work.
 */
export async function writeArtifacts(
  set: ArtifactSet,
  dir: string,
  options: WriteArtifactsOptions = {},
): Promise<WriteResult> {
  const previous = await previousManifest(dir);
  const wanted = new Set(set.artifacts.map((artifact) => artifact.path));
  const plan: { artifact: Artifact; current: string | undefined }[] = [];
  for (const artifact of set.artifacts) {
    const current = await readTextIfPresent(join(dir, ...artifact.path.split('/')));
    if (current !== undefined && current !== artifact.content && artifact.path !== 'manifest.json') {
      const owned = previous.get(artifact.path);
      if (owned === undefined) {
        throw new ArtifactSetError(artifact.path, 'exists and was not written by talos-topology; move it away first');
      }
      if (owned !== sha256Hex(current) && !options.force) {
        throw new ArtifactSetError(
          artifact.path,
          'was edited by hand since it was generated; keep your change in the topology, or pass --force',
        );
      }
    }
    plan.push({ artifact, current });
  }
  const stale: string[] = [];
  for (const [path, sha] of previous) {
    if (wanted.has(path)) continue;
    const current = await readTextIfPresent(join(dir, ...path.split('/')));
    if (current !== undefined && sha256Hex(current) === sha) stale.push(path);
  }
  const written: string[] = [];
  const unchanged: string[] = [];
  const manifest = plan.find(({ artifact }) => artifact.path === 'manifest.json');
  for (const { artifact, current } of plan) {
    if (artifact === manifest?.artifact) continue;
    if (current === artifact.content) unchanged.push(artifact.path);
    else {
      await writeFileAtomically(join(dir, ...artifact.path.split('/')), artifact.content, 0o644);
      written.push(artifact.path);
    }
  }
  for (const path of stale) await rm(join(dir, ...path.split('/')));
  if (manifest) {
    if (manifest.current === manifest.artifact.content) unchanged.push('manifest.json');
    else {
      await writeFileAtomically(join(dir, 'manifest.json'), manifest.artifact.content, 0o644);
      written.push('manifest.json');
    }
  }
  return { written, unchanged, removed: stale };
}

/**
 * Compares an output folder with the artifacts that belong there, without writing anything.
 *
 * @param set - The artifacts (from `generate`).
 * @param dir - The output folder.
 * @returns Every missing, changed or no-longer-generated file with its unified diff; empty when up to date.
 */
export async function findStaleFiles(set: ArtifactSet, dir: string): Promise<StaleFile[]> {
  const stale: StaleFile[] = [];
  const wanted = new Set<string>();
  for (const artifact of set.artifacts) {
    wanted.add(artifact.path);
    const current = await readTextIfPresent(join(dir, ...artifact.path.split('/')));
    if (current === artifact.content) continue;
    stale.push({
      path: artifact.path,
      state: current === undefined ? 'missing' : 'changed',
      diff: unifiedDiff(artifact.path, current ?? '', artifact.content),
    });
  }
  for (const [path] of await previousManifest(dir)) {
    if (wanted.has(path)) continue;
    const current = await readTextIfPresent(join(dir, ...path.split('/')));
    if (current !== undefined) stale.push({ path, state: 'extra', diff: unifiedDiff(path, current, '') });
  }
  return stale.sort((a, b) => (a.path < b.path ? -1 : 1));
}
