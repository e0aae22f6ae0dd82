import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Artifact, ArtifactKind, ArtifactSet } from './artifact.js';
import { createArtifact } from './artifact.js';

/** Thrown when an output folder is not a complete, unedited artifact set. */
export class ArtifactSetError extends Error {
  /** The file that failed, relative to the output folder. */
  readonly file: string;

  /**
   * @param file - The file that failed.
   * @param message - What is wrong and what to do.
   * @param options - The underlying cause, if any.
   */
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.name = 'ArtifactSetError';
    this.file = file;
  }
}

interface ManifestEntry {
  path: string;
  kind: ArtifactKind;
  sha256: string;
}

/**
 * Reads a generated output folder back into an artifact set, checking every file against `manifest.json`.
 * Clients push what this returns, so a file edited by hand after generation is refused rather than pushed.
 *
 * @param dir - The output folder given to `generate --out`.
 * @returns The artifact set, manifest included.
 * @throws {@link ArtifactSetError} when the manifest is missing or a file is missing or changed.
 */
export async function readArtifactSet(dir: string): Promise<ArtifactSet> {
  const manifestText = await readText(dir, 'manifest.json');
  let entries: ManifestEntry[];
  try {
    entries = (JSON.parse(manifestText) as { artifacts: ManifestEntry[] }).artifacts;
    if (!Array.isArray(entries)) throw new Error('no artifacts list');
  } catch (cause) {
    throw new ArtifactSetError('manifest.json', 'is not a manifest written by talos-topology generate', { cause });
  }
  const artifacts: Artifact[] = [createArtifact('manifest.json', 'manifest', manifestText)];
  for (const entry of entries) {
    const artifact = createArtifact(entry.path, entry.kind, await readText(dir, entry.path));
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

async function readText(dir: string, path: string): Promise<string> {
  try {
    return await readFile(join(dir, ...path.split('/')), 'utf8');
  } catch (cause) {
    throw new ArtifactSetError(path, `cannot be read from ${dir}; run talos-topology generate --out ${dir}`, { cause });
  }
}
