import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { quoteDotenvValue, unquoteDotenvValue } from '../dotenv-value.js';
import { readSecretFromEnv } from '../http/env.js';
import type { HostStack } from './artifacts.js';

/** Where apply finds the values of a stack's variables on the machine running the SDK. */
export interface EnvSources {
  /** The environment: `NAME`, or `NAME_FILE` naming a file that holds the value. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * The output folder: `hosts/<guest>/<stack>/.env` there is read first (where `apply --target proxmox
   * --token-secret-env-file` and `apply --target omni --provider-key-env-file` write the secrets they create).
   */
  readonly outDir?: string;
}

/**
 * Variables the SDK reads its own credentials from (README, CLI credentials): never taken from the environment for a
 * stack, so the administrator's Omni key is not delivered where a provider's compose file reads the same name
 * (`OMNI_SERVICE_ACCOUNT_KEY`); such a stack gets its value from the `.env` beside it in the output folder only.
 */
export const SDK_CREDENTIAL_VARIABLES: ReadonlySet<string> = new Set([
  'OMNI_SERVICE_ACCOUNT_KEY',
  'SIDERO_SERVICE_ACCOUNT_KEY',
  'PROXMOX_ADMIN_TOKEN_SECRET',
  'PROXMOX_ROOT_PASSWORD',
  'UNIFI_API_KEY',
  'UNIFI_PASSWORD',
  'TS_API_KEY',
  'TS_OAUTH_CLIENT_SECRET',
  'HOSTS_SSH_KEY_PASSPHRASE',
]);

/** `KEY=value` lines of a local `.env` file, values quoted the way {@link quoteDotenvValue} writes them read back. */
function parseEnvFile(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.replace(/\r$/, ''));
    if (match?.[1] && match[2]) values.set(match[1], unquoteDotenvValue(match[2]));
  }
  return values;
}

/**
 * The values this machine holds for a stack's variables: the stack's `.env` in the output folder first, then the
 * environment (never for {@link SDK_CREDENTIAL_VARIABLES}); the names without a value here are left out (the host's
 * `.env` keeps its own value for them).
 *
 * @param stack - The stack.
 * @param sources - Environment and output folder.
 * @returns Values by variable name.
 * @throws Error naming the variable (never the value) when a value spans lines (`.env` holds one line per key) or no
 *   `.env` quoting keeps it literal.
 */
export async function localStackValues(stack: HostStack, sources: EnvSources): Promise<Map<string, string>> {
  const file = sources.outDir ? await readFile(join(sources.outDir, stack.dir, '.env'), 'utf8').catch(() => '') : '';
  const fromFile = parseEnvFile(file);
  const values = new Map<string, string>();
  for (const name of stack.inputs.variables) {
    const value =
      fromFile.get(name) ?? (SDK_CREDENTIAL_VARIABLES.has(name) ? undefined : readSecretFromEnv(sources.env, name));
    if (value === undefined || value === '') continue;
    quoteDotenvValue(name, value);
    values.set(name, value);
  }
  return values;
}
