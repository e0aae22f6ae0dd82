/**
 * Whether the environment holds a target's credentials, asked of each client's own reader of the environment, so the
 * variables each target reads are listed in one place: its client. The readers live in modules that load no client
 * SDK (undici, ssh2, gRPC, OpenPGP): checking every target up front loads none, and each client loads when its target
 * runs.
 *
 * @module
 */
import type { PlanTarget } from '../plan/change.js';

/** Environment variables, as `process.env` holds them. */
export type TargetEnvironment = Readonly<Record<string, string | undefined>>;

/** Reads a target's settings from the environment, throwing the client's error that names what is missing. */
const READERS: Readonly<Record<PlanTarget, (env: TargetEnvironment) => Promise<unknown>>> = {
  omni: async (env) => {
    const { omniClientOptionsFromEnv, resolveServiceAccountKey } = await import('@talos-sdk/omni-client/credentials');
    omniClientOptionsFromEnv(env);
    return resolveServiceAccountKey({ env });
  },
  proxmox: async (env) => (await import('../clients/proxmox/credentials.js')).proxmoxOptionsFromEnv(env),
  hosts: async (env) => (await import('../clients/hosts/credentials.js')).hostsCredentialsFromEnv(env),
  unifi: async (env) => (await import('../clients/unifi/credentials.js')).unifiOptionsFromEnv(env),
  auth0: async (env) => (await import('../clients/auth0/credentials.js')).auth0OptionsFromEnv(env),
  tailscale: async (env) => (await import('../clients/tailscale/credentials.js')).tailscaleOptionsFromEnv(env),
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
