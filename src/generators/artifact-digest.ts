/**
 * One digest for a whole artifact set, so a saved plan can tell whether the files it was made from are still the ones
 * in the output folder.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { ArtifactSet } from './artifact.js';

/**
 * The SHA-256 of every artifact's path and content, in path order (code units, the same on every machine). Each path
 * and each content goes in as its UTF-8 byte length, `:`, then its bytes, so no two different sets hash the same input
 * (a path cannot run on into a content). `manifest.json` is an artifact too, so the digest also covers the topology
 * digest and the SDK version it records.
 *
 * @param set - The artifact set (e.g. from `readArtifactSet`).
 * @returns 64 lower-case hex digits.
 */
export function artifactSetDigest(set: ArtifactSet): string {
  const hash = createHash('sha256');
  const add = (text: string): void => {
    hash.update(`${Buffer.byteLength(text, 'utf8')}:`);
    hash.update(text, 'utf8');
  };
  for (const artifact of [...set.artifacts].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    add(artifact.path);
    add(artifact.content);
  }
  return hash.digest('hex');
}
