import type { Artifact } from './artifact.js';
import { createArtifact } from './artifact.js';
import { generatedHeader } from './serialize.js';

/** A variable a person must set before `docker compose up`. */
export interface EnvVariable {
  /** Variable name. */
  readonly name: string;
  /** What to put there, for a person. */
  readonly description: string;
}

/**
 * `.env.example`: every variable the host's compose file needs, each with its description and no value.
 *
 * @param topologyName - The topology's name, for the header.
 * @param path - Artifact path, e.g. `hosts/holly/.env.example`.
 * @param variables - The variables; listed once each, sorted by name.
 * @param notes - Lines for the header (e.g. the Compose version the stack needs).
 * @returns The artifact.
 */
export function envExampleArtifact(
  topologyName: string,
  path: string,
  variables: readonly EnvVariable[],
  notes: readonly string[] = [],
): Artifact {
  const byName = new Map<string, EnvVariable>();
  for (const variable of variables) if (!byName.has(variable.name)) byName.set(variable.name, variable);
  const lines = [
    generatedHeader(topologyName),
    '# Copy to .env beside compose.yaml and fill in. Never commit .env.',
    ...notes.map((note) => `# ${note}`),
    ...[...byName.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .flatMap((variable) => ['', `# ${variable.description}`, `${variable.name}=`]),
  ];
  return createArtifact(path, 'env-example', lines.join('\n'));
}
