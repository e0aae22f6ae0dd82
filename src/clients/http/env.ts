import { readFileSync } from 'node:fs';
import type { TlsOptions } from './tls.js';

/** Environment variables, as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Reads a credential from `NAME`, or from the file named by `NAME_FILE` (Docker/systemd secrets style); a trailing
 * newline in the file is dropped.
 *
 * @param env - The environment.
 * @param name - The variable name, e.g. `PROXMOX_TOKEN_SECRET`.
 * @returns The value, or `undefined` when neither variable is set.
 * @throws Error when both are set, naming the variables (never their values).
 */
export function readSecretFromEnv(env: Environment, name: string): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct !== undefined && direct !== '' && file !== undefined && file !== '') {
    throw new Error(`set ${name} or ${name}_FILE, not both`);
  }
  if (file !== undefined && file !== '') return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  return direct === '' ? undefined : direct;
}

/**
 * Reads TLS trust settings from `<PREFIX>_CA_FILE`, `<PREFIX>_FINGERPRINT` and `<PREFIX>_INSECURE_SKIP_VERIFY=1`.
 *
 * @param env - The environment.
 * @param prefix - `PROXMOX` or `UNIFI`.
 * @returns TLS options; empty (system CAs) when nothing is set.
 */
export function tlsOptionsFromEnv(env: Environment, prefix: string): TlsOptions {
  const caFile = env[`${prefix}_CA_FILE`];
  const fingerprint = env[`${prefix}_FINGERPRINT`];
  const insecure = env[`${prefix}_INSECURE_SKIP_VERIFY`];
  return {
    ...(caFile ? { caFile } : {}),
    ...(fingerprint ? { fingerprint256: fingerprint } : {}),
    ...(insecure === '1' || insecure === 'true' ? { insecureSkipVerify: true } : {}),
  };
}
