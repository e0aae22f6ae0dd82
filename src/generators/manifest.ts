import type { Artifact, ArtifactKind } from './artifact.js';
import { ARTIFACT_KINDS, createArtifact, sha256Hex } from './artifact.js';
import { artifactPathProblem } from './artifact-path.js';
import { ArtifactSetError } from './artifact-set-error.js';
import { GENERATOR, toCanonicalJson } from './serialize-json.js';
import { repeats } from '../models/repeats.js';
import type { Topology } from '../models/define.js';
import type { CheckTopologyOptions } from '../rules/index.js';
import { sortKeysDeep } from './serialize-json.js';

/** The manifest's path in the output folder. */
export const MANIFEST_PATH = 'manifest.json';

/** One entry of `manifest.json`: a file the SDK wrote, with its kind and checksum. */
export interface ManifestEntry {
  /** Path relative to the output folder. */
  readonly path: string;
  /** What the file is. */
  readonly kind: ArtifactKind;
  /** Lower-case hex SHA-256 of its content. */
  readonly sha256: string;
}

/** What a manifest says its artifacts were generated from. */
export interface ManifestOrigin {
  /** {@link inputDigest} of the validated topology and the skipped rules. */
  readonly input: string;
  /** The SDK version whose generators wrote them. */
  readonly version: string;
}

/**
 * `manifest.json`: every other artifact with its kind and SHA-256, so clients can refuse files edited after
 * generation and `write` knows which files it owns; and what they were generated from (the input's digest and the SDK
 * version), so `check` can trust an unchanged folder without generating again.
 *
 * @param topologyName - The topology's name.
 * @param artifacts - The other artifacts (or their manifest entries).
 * @param origin - The input digest and the SDK version (`generate` always gives them; a set assembled by hand, as in
 *   tests, may leave them out, and `check` then compares every file).
 * @returns The manifest artifact.
 */
export function manifestArtifact(
  topologyName: string,
  artifacts: readonly ManifestEntry[],
  origin?: ManifestOrigin,
): Artifact {
  return createArtifact(
    MANIFEST_PATH,
    'manifest',
    toCanonicalJson({
      generator: GENERATOR,
      version: origin?.version,
      input: origin?.input,
      topology: topologyName,
      artifacts: manifestEntries(artifacts),
    }),
  );
}

/**
 * The digest of everything generation reads: the validated topology (with every `{ file }` it references already
 * read into it, and defaults filled in) and the rules skipped (a skipped rule can let through a topology that would
 * otherwise stop generation).
 *
 * @param topology - The validated topology.
 * @param options - The rules skipped.
 * @returns Lower-case hex SHA-256 of their canonical JSON.
 */
export function inputDigest(topology: Topology, options: CheckTopologyOptions = {}): string {
  const skip = [...new Set(options.skip ?? [])].sort();
  return sha256Hex(JSON.stringify(sortKeysDeep({ topology, skip })));
}

/**
 * The manifest entries of some artifacts, sorted by path.
 *
 * @param artifacts - The artifacts.
 * @returns Their paths, kinds and checksums.
 */
export function manifestEntries(artifacts: readonly ManifestEntry[]): ManifestEntry[] {
  return [...artifacts]
    .sort((a, b) => (a.path < b.path ? -1 : 1))
    .map(({ path, kind, sha256 }) => ({ path, kind, sha256 }));
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Reads the entries of a manifest (or of the journal of a run in progress, which has the same form), validating every
 * entry before any is used: the text may come from a pull request, so a path must stay inside the output folder
 * (see `artifactPathProblem`), the kind must be one the SDK writes and the checksum 64 hex digits.
 *
 * @param text - The file's text.
 * @param file - The file's path in the output folder, for messages.
 * @param options - `unique` to refuse two entries with one path (a manifest lists each file once).
 * @returns The entries, in file order.
 * @throws {@link ArtifactSetError} naming the first bad entry; nothing should be read or deleted then.
 */
export function parseManifestEntries(text: string, file: string, options: { unique: boolean }): ManifestEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new ArtifactSetError(file, 'is not JSON written by talos-topology; move it away or fix it', { cause });
  }
  const list = (data as { artifacts?: unknown } | null)?.artifacts;
  if (!Array.isArray(list)) throw new ArtifactSetError(file, 'has no "artifacts" list; move it away or fix it');
  const entries = list.map((entry: unknown, index): ManifestEntry => {
    const { path, kind, sha256 } = (entry ?? {}) as Record<string, unknown>;
    const refuse = (why: string): never => {
      const shown = typeof path === 'string' ? ` (${JSON.stringify(path.slice(0, 200))})` : '';
      throw new ArtifactSetError(file, `artifacts[${index}]${shown} ${why}; refusing the whole folder`);
    };
    const problem = artifactPathProblem(path);
    if (problem) return refuse(`path ${problem}`);
    if (path === MANIFEST_PATH || kind === 'manifest') return refuse('names the manifest itself');
    if (typeof kind !== 'string' || !(ARTIFACT_KINDS as readonly string[]).includes(kind))
      return refuse(`has an unknown kind (known: ${ARTIFACT_KINDS.join(', ')})`);
    if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) return refuse('has no lower-case hex sha256');
    return { path: path as string, kind: kind as ArtifactKind, sha256 };
  });
  const repeat = options.unique ? repeats(entries, (entry) => entry.path)[0] : undefined;
  if (repeat) {
    throw new ArtifactSetError(
      file,
      `artifacts[${repeat.index}] repeats the path ${JSON.stringify(repeat.item.path)} of artifacts[${repeat.first}]; refusing the whole folder`,
    );
  }
  return entries;
}
