/**
 * Generators: pure functions from a validated topology to its artifacts, and the folder I/O around them.
 *
 * @module
 */
export type { Artifact, ArtifactKind, ArtifactSet } from './artifact.js';
export { ARTIFACT_KINDS, artifactsOfKind, createArtifact, sha256Hex } from './artifact.js';
export { artifactPathProblem, InternalArtifactError } from './artifact-path.js';
export { artifactSetDigest } from './artifact-digest.js';
export type { GenerateResult } from './generate.js';
export { generate } from './generate.js';
export type { StaleFile, WriteArtifactsOptions, WriteResult } from './output-folder.js';
export { findStaleFiles, writeArtifacts } from './output-folder.js';
export { MANAGED_BY_ANNOTATION, PROXMOX_TAG, ROUTE_NAME_PREFIX, routeNamePrefix } from './ownership.js';
export { PROVIDER_PRIVILEGES } from './proxmox-access.js';
export { ArtifactSetError, readArtifactSet } from './read.js';
export { unifiedDiff } from './unified-diff.js';
