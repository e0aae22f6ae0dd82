import { readFile } from 'node:fs/promises';
import type { ArtifactSet } from '../generators/artifact.js';
import type { Change, Plan } from '../plan/change.js';
import type { CliArgs } from './args.js';

/** What a target did on apply. */
export interface TargetApplyResult {
  /** The plan it worked from, read fresh from the live system. */
  readonly plan: Plan;
  /** The changes made, in order. */
  readonly applied: readonly Change[];
  /** Changes left for a person (e.g. root@pam steps skipped on request). */
  readonly skipped: readonly Change[];
}

/** A connection to one live system, for plan and apply. */
export interface TargetSession {
  /** Compares the artifacts with the live system. */
  plan(set: ArtifactSet): Promise<Plan>;
  /** Plans, then applies. */
  apply(set: ArtifactSet): Promise<TargetApplyResult>;
  /** Closes connections. */
  close(): Promise<void>;
}

/** The environment variables the CLI reads credentials and endpoints from. */
export type CliEnvVariables = Readonly<Record<string, string | undefined>>;

function tokenSecretDestination(args: CliArgs): { file: string } | { envFile: string } | undefined {
  if (args.tokenSecretFile) return { file: args.tokenSecretFile };
  if (args.tokenSecretEnvFile) return { envFile: args.tokenSecretEnvFile };
  return undefined;
}

async function omniSession(args: CliArgs, env: CliEnvVariables): Promise<TargetSession> {
  const { applyOmni, createOmniClient, planOmni } = await import('../clients/omni/index.js');
  const endpoint = env['OMNI_ENDPOINT'];
  if (!endpoint) throw new Error('OMNI_ENDPOINT is not set (e.g. https://omni.example.com)');
  const caFile = env['OMNI_CA_FILE'];
  const client = await createOmniClient({
    endpoint,
    env,
    ...(caFile ? { rootCertificates: await readFile(caFile) } : {}),
  });
  return {
    plan: (set) => planOmni(set, client),
    apply: async (set) => ({ ...(await applyOmni(set, client)), skipped: [] }),
    close: async () => client.close(),
  };
}

async function proxmoxSession(args: CliArgs, env: CliEnvVariables): Promise<TargetSession> {
  const { ProxmoxClient, applyProxmox, planProxmox, proxmoxOptionsFromEnv } =
    await import('../clients/proxmox/index.js');
  const options = proxmoxOptionsFromEnv(env);
  const client = new ProxmoxClient({ url: options.url, credentials: options.credentials, tls: options.tls });
  const destination = tokenSecretDestination(args);
  const planOptions = {
    ...(args.cluster ? { cluster: args.cluster } : {}),
    ...(destination ? { tokenSecret: destination } : {}),
  };
  return {
    plan: (set) => planProxmox(set, client, planOptions),
    apply: (set) => applyProxmox(set, client, { ...planOptions, skipRootOnly: args.skipRootOnly }),
    close: () => client.close(),
  };
}

async function unifiSession(args: CliArgs, env: CliEnvVariables): Promise<TargetSession> {
  const { UnifiClient, applyUnifi, planUnifi, unifiOptionsFromEnv } = await import('../clients/unifi/index.js');
  const options = unifiOptionsFromEnv(env);
  const client = new UnifiClient({ url: options.url, credentials: options.credentials, tls: options.tls });
  const planOptions = args.prune ? { prune: true } : {};
  return {
    plan: (set) => planUnifi(set, client, planOptions),
    apply: async (set) => ({ ...(await applyUnifi(set, client, planOptions)), skipped: [] }),
    close: () => client.close(),
  };
}

/** The targets `plan` and `apply` know, each loaded only when asked for. */
export const TARGETS: Readonly<Record<string, (args: CliArgs, env: CliEnvVariables) => Promise<TargetSession>>> = {
  omni: omniSession,
  proxmox: proxmoxSession,
  unifi: unifiSession,
};
