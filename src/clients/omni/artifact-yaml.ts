/**
 * Reading Omni artifacts' YAML with errors that name the artifact.
 *
 * @module
 */
import type { Artifact } from '../../generators/artifact.js';

/** An artifact set that cannot be turned into Omni resources. */
export class OmniArtifactError extends Error {
  /** The artifact at fault. */
  readonly path: string;

  /**
   * @param path - The artifact at fault.
   * @param message - What is wrong and what to do.
   */
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'OmniArtifactError';
    this.path = path;
  }
}

/**
 * Checks that a YAML value is a mapping.
 *
 * @param value - The parsed value.
 * @param artifact - The artifact, for errors.
 * @param what - Where in the artifact, for errors.
 * @returns The mapping.
 * @throws {@link OmniArtifactError} otherwise.
 */
export function asRecord(value: unknown, artifact: Artifact, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OmniArtifactError(artifact.path, `${what} must be a mapping`);
  }
  return value as Record<string, unknown>;
}

/**
 * Checks that a YAML value is a string-to-string mapping (absent = empty).
 *
 * @param value - The parsed value.
 * @param artifact - The artifact, for errors.
 * @param what - Where in the artifact, for errors.
 * @returns The mapping.
 * @throws {@link OmniArtifactError} otherwise.
 */
export function stringRecord(value: unknown, artifact: Artifact, what: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  const record = asRecord(value, artifact, what);
  for (const [key, item] of Object.entries(record)) {
    if (typeof item !== 'string') throw new OmniArtifactError(artifact.path, `${what}.${key} must be text`);
  }
  return record as Record<string, string>;
}
