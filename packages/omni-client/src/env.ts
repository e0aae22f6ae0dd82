/**
 * Omni client options from environment variables, the one place `talos-topology` (plan, apply, status) reads them.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { OmniClientOptions } from './client.js';

/**
 * Reads `OMNI_ENDPOINT`, `OMNI_CA_FILE` (PEM roots for a private CA) and the service-account key variables
 * (`SIDERO_SERVICE_ACCOUNT_KEY`, then `OMNI_SERVICE_ACCOUNT_KEY`, resolved by {@link createOmniClient}).
 *
 * @param env - The environment; defaults to `process.env`.
 * @returns Options for {@link createOmniClient}.
 * @throws Error when `OMNI_ENDPOINT` is not set, or `OMNI_CA_FILE` cannot be read.
 *
 * @example
 * ```ts
 * const omni = await createOmniClient(omniClientOptionsFromEnv(process.env));
 * ```
 */
export function omniClientOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): OmniClientOptions {
  const endpoint = env['OMNI_ENDPOINT'];
  if (!endpoint) throw new Error('OMNI_ENDPOINT is not set (e.g. https://omni.example.com)');
  const caFile = env['OMNI_CA_FILE'];
  return { endpoint, env, ...(caFile ? { rootCertificates: readCaFile(caFile) } : {}) };
}

function readCaFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`OMNI_CA_FILE ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
