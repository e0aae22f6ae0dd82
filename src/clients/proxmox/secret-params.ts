import type { Environment } from '../http/env.js';
import { readSecretFromEnv } from '../http/env.js';
import type { FieldDiff } from '../../plan/change.js';
import type { GuestSpec } from './artifacts.js';
import type { ProxmoxClient } from './client.js';

/**
 * The plan's view of secret parameters: the field with the variable it comes from, never a value.
 *
 * @param guest - The guest artifact.
 * @param keys - The secret parameters to send (all of them for a new guest, the ones missing live otherwise).
 * @returns One field per key, `after` being the `{ env }` reference.
 */
export function secretParamFields(guest: GuestSpec, keys: readonly string[]): FieldDiff[] {
  return keys.map((path) => ({ path, after: { env: guest.secretParams[path]!.env } }));
}

/**
 * Why a guest's secret parameters cannot be sent: the variables they come from that the environment does not hold
 * (neither `NAME` nor `NAME_FILE`). Apply refuses with it before changing anything.
 *
 * @param guest - The guest artifact.
 * @param keys - The secret parameters to send.
 * @param env - The environment.
 * @returns The refusal, naming the variables (never a value), or `undefined` when every one is set.
 */
export function secretParamsRefusal(guest: GuestSpec, keys: readonly string[], env: Environment): string | undefined {
  const missing = keys
    .map((key) => guest.secretParams[key]!.env)
    .filter((name) => !env[name] && !env[`${name}_FILE`])
    .sort();
  if (missing.length === 0) return undefined;
  return `${guest.path}: guest parameters come from ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not set (or set <NAME>_FILE to a file holding the value)`;
}

/**
 * Reads the values of a guest's secret parameters from the environment for one request, registering each with the
 * client's scrubber first so no error or log can carry it.
 *
 * @param guest - The guest artifact.
 * @param keys - The secret parameters to send.
 * @param env - The environment.
 * @param client - The client whose scrubber learns the values.
 * @returns The form entries.
 * @throws Error naming the variable (never a value) when one is not set.
 */
export function readSecretParams(
  guest: GuestSpec,
  keys: readonly string[],
  env: Environment,
  client: ProxmoxClient,
): Record<string, string> {
  const form: Record<string, string> = {};
  for (const key of keys) {
    const name = guest.secretParams[key]!.env;
    const value = readSecretFromEnv(env, name);
    if (value === undefined)
      throw new Error(`${guest.path}: ${key} comes from ${name}, which is not set (or ${name}_FILE)`);
    client.http.secrets.add(value);
    form[key] = value;
  }
  return form;
}
