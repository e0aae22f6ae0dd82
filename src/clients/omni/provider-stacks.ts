/**
 * Which generated compose file runs each infra provider, so messages can say what to start.
 *
 * @module
 */
import { load } from 'js-yaml';
import type { ArtifactSet } from '../../generators/artifact.js';
import { artifactsOfKind } from '../../generators/artifact.js';

/**
 * Finds the compose files that start infra providers: a service whose command has `--id=<id>`.
 *
 * @param set - The artifact set.
 * @returns Compose file path (e.g. `hosts/ct-200/compose.yaml`) by provider ID.
 */
export function providerStacks(set: ArtifactSet): Readonly<Record<string, string>> {
  const stacks: Record<string, string> = {};
  for (const artifact of artifactsOfKind(set, 'compose')) {
    const services = (load(artifact.content) as { services?: Record<string, { command?: unknown }> } | null)?.services;
    for (const service of Object.values(services ?? {})) {
      const command = Array.isArray(service?.command) ? service.command : [];
      for (const argument of command) {
        const id = typeof argument === 'string' && argument.startsWith('--id=') ? argument.slice(5) : '';
        if (id !== '') stacks[id] = artifact.path;
      }
    }
  }
  return stacks;
}
