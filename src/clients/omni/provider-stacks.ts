/**
 * Which generated compose file runs each infra provider, and under which variable of its `.env` the provider's
 * Omni key goes, so apply can say what to start and write the key where the stack reads it.
 *
 * @module
 */
import { load } from 'js-yaml';
import type { ArtifactSet } from '../../generators/artifact.js';
import { artifactsOfKind } from '../../generators/artifact.js';
const PROVIDER_KEY_VARIABLE = 'OMNI_SERVICE_ACCOUNT_KEY';

/** The compose stack of one infra provider. */
export interface ProviderStack {
  /** The compose file, e.g. `hosts/ct-200/provider-proxmox/compose.yaml`. */
  readonly compose: string;
  /**
   * The variable the compose file interpolates into the provider's `OMNI_SERVICE_ACCOUNT_KEY` (e.g. `LAB_OMNI_KEY`
   * from `${LAB_OMNI_KEY:?…}`), which the stack's `.env` must set; `undefined` when the compose file sets no such
   * interpolation.
   */
  readonly keyVariable: string | undefined;
}

/** `${NAME}`, `${NAME:?message}`, `${NAME-default}` …: the variable Compose interpolates. */
const INTERPOLATION = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:[:?+-][^}]*)?\}$/;

interface ComposeService {
  readonly command?: unknown;
  readonly environment?: unknown;
}

/**
 * Finds the compose files that start infra providers (a service whose command has `--id=<id>`) and the variable
 * each interpolates into the provider's key.
 *
 * @param set - The artifact set.
 * @returns The stack by provider ID.
 */
export function providerStacks(set: ArtifactSet): Readonly<Record<string, ProviderStack>> {
  const stacks: Record<string, ProviderStack> = {};
  for (const artifact of artifactsOfKind(set, 'compose')) {
    const services = (load(artifact.content) as { services?: Record<string, ComposeService | null> } | null)?.services;
    for (const service of Object.values(services ?? {})) {
      const command = Array.isArray(service?.command) ? service.command : [];
      for (const argument of command) {
        const id = typeof argument === 'string' && argument.startsWith('--id=') ? argument.slice(5) : '';
        if (id !== '') stacks[id] = { compose: artifact.path, keyVariable: keyVariable(service?.environment) };
      }
    }
  }
  return stacks;
}

function keyVariable(environment: unknown): string | undefined {
  if (environment === null || typeof environment !== 'object' || Array.isArray(environment)) return undefined;
  const value: unknown = (environment as Record<string, unknown>)[PROVIDER_KEY_VARIABLE];
  return typeof value === 'string' ? INTERPOLATION.exec(value)?.[1] : undefined;
}
