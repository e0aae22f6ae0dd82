import type { Artifact } from './artifact.js';
import { createArtifact } from './artifact.js';
import { GENERATOR, toCanonicalJson } from './serialize.js';

/**
 * `manifest.json`: every other artifact with its kind and SHA-256, so clients can refuse files edited after
 * generation and `write` knows which files it owns.
 *
 * @param topologyName - The topology's name.
 * @param artifacts - The other artifacts.
 * @returns The manifest artifact.
 */
export function manifestArtifact(topologyName: string, artifacts: readonly Artifact[]): Artifact {
  const entries = [...artifacts]
    .sort((a, b) => (a.path < b.path ? -1 : 1))
    .map(({ path, kind, sha256 }) => ({ path, kind, sha256 }));
  return createArtifact(
    'manifest.json',
    'manifest',
    toCanonicalJson({ generator: GENERATOR, topology: topologyName, artifacts: entries }),
  );
}
