import { createHash } from 'node:crypto';

/**
 * Every kind of file the generators produce, `manifest.json` last. Clients pick the artifacts they push by kind, and a
 * manifest entry with any other kind is refused.
 */
export const ARTIFACT_KINDS = [
  'compose',
  'env-example',
  'provider-config',
  'host-ssh',
  'omni-machine-class',
  'omni-infra-provider',
  'omni-cluster-template',
  'talos-patch',
  'unifi-dns-records',
  'unifi-static-routes',
  'proxmox-lxc',
  'proxmox-qemu',
  'proxmox-access',
  'tailscale-policy',
  'tailscale-devices',
  'public-dns-records',
  'auth0-application',
  'manifest',
] as const;

/** Every kind of file the generators produce (see {@link ARTIFACT_KINDS}). */
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/** One generated file: where it goes, what it is and its exact bytes. */
export interface Artifact {
  /** Path relative to the output folder, with `/` separators, e.g. `hosts/holly/compose.yaml`. */
  readonly path: string;
  /** What the file is. */
  readonly kind: ArtifactKind;
  /** The file's text: LF line ends and a final newline. */
  readonly content: string;
  /** Lower-case hex SHA-256 of the UTF-8 content. */
  readonly sha256: string;
}

/** Every artifact of one topology, sorted by path. */
export interface ArtifactSet {
  /** The artifacts, sorted by path; `manifest.json` lists all the others. */
  readonly artifacts: readonly Artifact[];
}

/**
 * Makes an artifact from its text, computing its checksum.
 *
 * @param path - Path relative to the output folder.
 * @param kind - What the file is.
 * @param content - The file's text; a final newline is added when missing.
 * @returns The artifact.
 */
export function createArtifact(path: string, kind: ArtifactKind, content: string): Artifact {
  const text = content.endsWith('\n') ? content : `${content}\n`;
  return { path, kind, content: text, sha256: sha256Hex(text) };
}

/**
 * Lower-case hex SHA-256 of a text's UTF-8 bytes.
 *
 * @param text - The text to hash.
 * @returns 64 hex characters.
 */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The artifacts of a set that have the given kind, in path order.
 *
 * @param set - The artifact set.
 * @param kind - The kind to pick.
 * @returns The matching artifacts.
 */
export function artifactsOfKind(set: ArtifactSet, kind: ArtifactKind): Artifact[] {
  return set.artifacts.filter((artifact) => artifact.kind === kind);
}
