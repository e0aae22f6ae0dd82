import type { ZodType } from 'zod';
import type { Artifact } from '../generators/artifact.js';
import { ArtifactSetError } from '../generators/read.js';

/**
 * Parses a JSON artifact and checks it against the shape a client relies on.
 *
 * @param artifact - The artifact (from `readArtifactSet` or the generators).
 * @param schema - The zod schema of its content.
 * @returns The checked content.
 * @throws {@link ArtifactSetError} naming the file and every path that does not fit.
 */
export function parseJsonArtifact<T>(artifact: Artifact, schema: ZodType): T {
  let json: unknown;
  try {
    json = JSON.parse(artifact.content);
  } catch (cause) {
    throw new ArtifactSetError(artifact.path, 'is not JSON; run talos-topology generate again', { cause });
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '.'}: ${issue.message}`).join('; ');
    throw new ArtifactSetError(artifact.path, `is not a valid ${artifact.kind} artifact (${issues})`);
  }
  return result.data as T;
}
