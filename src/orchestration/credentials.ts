/**
 * Whether the environment holds a target's credentials, asked of each client's own reader of the environment (loaded
 * only when asked), so the variables each target reads are listed in one place: its client.
 *
 * @module
 */
import type { PlanTarget } from '../plan/change.js';

/** Environment variables, as `process.env` holds them. */
export type TargetEnvironment = Readonly<Record<string, string | undefined>>;

/** Reads a target's settings from the environment, throwing the client's error that names what is missing. */
const READERS: Readonly<Record<PlanTarget, (env: TargetEnvironment) => Promise<unknown>>> = {
  omni: async (env) => {
    const { omniClientOptionsFromEnv, resolveServiceAccountKey } = await import('../clients/omni/index.js');
    omniClientOptionsFromEnv(env);
    return resolveServiceAccountKey({ env });
  },
  proxmox: async (env) => (await import('../clients/proxmox/index.js')).proxmoxOptionsFromEnv(env),
  hosts: async (env) => (await import('../clients/hosts/index.js')).hostsCredentialsFromEnv(env),
  unifi: async (env) => (await import('../clients/unifi/index.js')).unifiOptionsFromEnv(env),
  auth0: async (env) => (await import('../clients/auth0/index.js')).auth0OptionsFromEnv(env),
  tailscale: async (env) => (await import('../clients/tailscale/index.js')).tailscaleOptionsFromEnv(env),
};

/**
 * Checks that a target's credentials are in the environment, without connecting.
 *
 * @param target - The target.
 * @param env - The environment.
 * @returns `undefined` when they are, else the client's error, whose message names the variables to set.
 */
export async function missingCredentials(target: PlanTarget, env: TargetEnvironment): Promise<Error | undefined> {
  try {
    await READERS[target](env);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
