import type { Logger } from '../clients/http/logger.js';
import type { WaitReporter } from '../clients/progress.js';
import type { ArtifactSet } from '../generators/artifact.js';
import type { Plan } from '../plan/change.js';
import type { TargetApplyResult, TargetSession } from '../orchestration/session.js';
import type { CliArgs } from './args.js';
import { UsageError } from './args.js';
import { CLIENT_MODULES } from './client-modules.js';

export type { TargetApplyResult, TargetSession } from '../orchestration/session.js';

/** The environment variables the CLI reads credentials and endpoints from. */
export type CliEnvVariables = Readonly<Record<string, string | undefined>>;

/** Where a target tells the user, while it works, what it waits for (never a secret). */
export type TargetProgress = (message: string) => void;

/** Where apply writes a secret it creates (a Proxmox token secret, an Omni provider key), from a pair of flags. */
function secretDestination(
  file: string | undefined,
  envFile: string | undefined,
): { file: string } | { envFile: string } | undefined {
  if (file) return { file };
  if (envFile) return { envFile };
  return undefined;
}

async function omniSession(
  args: CliArgs,
  env: CliEnvVariables,
  progress: TargetProgress,
  logger: Logger,
  onWait?: WaitReporter,
): Promise<TargetSession> {
  const {
    applyOmni,
    createOmniClient,
    destroyOmni,
    omniClientOptionsFromEnv,
    planOmni,
    planOmniDestroy,
    waitForClusterReady,
  } = await CLIENT_MODULES.omni();
  const client = await createOmniClient({ ...omniClientOptionsFromEnv(env), logger });
  const keyHost = args.providerKeyHost ? await import('./provider-key-host.js') : undefined;
  const planOptions = (set: ArtifactSet) => {
    const providerKey = keyHost
      ? { envFile: keyHost.providerStackEnvFile(set, args.out) }
      : secretDestination(args.providerKeyFile, args.providerKeyEnvFile);
    return providerKey ? { providerKey } : {};
  };
  // --wait: the last step of bringing the lab up, every cluster of --out ready (as status --wait waits for one);
  // a cluster the plan deletes is not waited for.
  const waitReady = async (plan: Plan): Promise<void> => {
    const clusters = plan.changes.filter((change) => change.kind === 'Cluster' && change.action !== 'delete');
    for (const { id } of clusters) {
      await waitForClusterReady(client, id, { timeoutMs: args.timeoutSeconds * 1000, ...(onWait ? { onWait } : {}) });
      progress(`cluster ${id} is ready`);
    }
  };
  return {
    plan: (set) => planOmni(set, client, planOptions(set)),
    apply: async (set) => {
      let delivered: TargetApplyResult | undefined;
      const deliver = async (): Promise<void> => {
        delivered = await keyHost!.deliverProviderKey(set, args, env, progress, logger);
      };
      const result = await applyOmni(set, client, {
        ...planOptions(set),
        providerTimeoutMs: args.providerTimeoutSeconds * 1000,
        onProgress: progress,
        ...(onWait ? { onWait } : {}),
        ...(keyHost ? { beforeProviderWait: deliver } : {}),
      });
      if (args.wait) await waitReady(result.plan);
      // The provider's stack, delivered and started on its host with the new key (--provider-key-host), is part of
      // what this apply did: a run across targets counts its start as done although the hosts target skipped it.
      return {
        ...result,
        applied: [...(delivered?.applied ?? []), ...result.applied],
        skipped: delivered?.skipped ?? [],
      };
    },
    waitReady,
    planDestroy: (set) => planOmniDestroy(set, client),
    destroy: async (set) => {
      // A cluster's teardown is asynchronous: --timeout bounds the wait for Omni to release it.
      const result = await destroyOmni(set, client, {
        deleteTimeoutMs: args.timeoutSeconds * 1000,
        ...(onWait ? { onWait } : {}),
        onChange: (change) => progress(`removed ${change.kind} ${change.id}`),
      });
      return { ...result, skipped: [] };
    },
    close: async () => client.close(),
  };
}

async function proxmoxSession(
  args: CliArgs,
  env: CliEnvVariables,
  progress: TargetProgress,
  logger: Logger,
  onWait?: WaitReporter,
): Promise<TargetSession> {
  const {
    ProxmoxClient,
    applyProxmox,
    destroyProxmox,
    planProxmox,
    planProxmoxDestroy,
    proxmoxClusterEnvironment,
    proxmoxOptionsFromEnv,
  } = await CLIENT_MODULES.proxmox();
  // Each cluster's own PROXMOX_*__<CLUSTER> variables win for it (the orchestration opens one session per cluster).
  const clusterEnv = args.cluster ? proxmoxClusterEnvironment(env, args.cluster) : env;
  const options = proxmoxOptionsFromEnv(clusterEnv);
  const client = new ProxmoxClient({
    url: options.url,
    credentials: options.credentials,
    tls: options.tls,
    logger,
    ...(onWait ? { onWait } : {}),
  });
  const destination = secretDestination(args.tokenSecretFile, args.tokenSecretEnvFile);
  const planOptions = {
    env: clusterEnv,
    onProgress: progress,
    ...(args.cluster ? { cluster: args.cluster } : {}),
    ...(destination ? { tokenSecret: destination } : {}),
    ...(args.regenerateToken ? { regenerateToken: true } : {}),
    ...(args.adopt ? { adopt: true } : {}),
  };
  const destroyOptions = { onProgress: progress, ...(args.cluster ? { cluster: args.cluster } : {}) };
  return {
    plan: (set) => planProxmox(set, client, planOptions),
    apply: (set) => applyProxmox(set, client, { ...planOptions, skipRootOnly: args.skipRootOnly }),
    planDestroy: (set) => planProxmoxDestroy(set, client, destroyOptions),
    destroy: (set) => destroyProxmox(set, client, destroyOptions),
    close: () => client.close(),
  };
}

async function unifiSession(
  args: CliArgs,
  env: CliEnvVariables,
  _progress: TargetProgress,
  logger: Logger,
): Promise<TargetSession> {
  const { UnifiClient, applyUnifi, destroyUnifi, planUnifi, planUnifiDestroy, unifiOptionsFromEnv } =
    await CLIENT_MODULES.unifi();
  const options = unifiOptionsFromEnv(env);
  const client = new UnifiClient({ url: options.url, credentials: options.credentials, tls: options.tls, logger });
  const planOptions = { ...(args.prune ? { prune: true } : {}), ...(args.adopt ? { adopt: true } : {}) };
  const destroyOptions = args.prune ? { prune: true } : {};
  return {
    plan: (set) => planUnifi(set, client, planOptions),
    apply: (set) => applyUnifi(set, client, planOptions),
    planDestroy: (set) => planUnifiDestroy(set, client, destroyOptions),
    destroy: (set) => destroyUnifi(set, client, destroyOptions),
    close: () => client.close(),
  };
}

async function hostsSession(
  args: CliArgs,
  env: CliEnvVariables,
  progress: TargetProgress,
  logger: Logger,
  onWait?: WaitReporter,
): Promise<TargetSession> {
  const { applyHosts, destroyHosts, hostsCredentialsFromEnv, planHosts, planHostsDestroy } =
    await CLIENT_MODULES.hosts();
  const options = {
    credentials: await hostsCredentialsFromEnv(env),
    env,
    outDir: args.out,
    force: args.force,
    trustOnFirstUse: args.trustNewHostKeys,
    onWarning: (message: string) => logger.warn(message),
    onProgress: progress,
    ...(onWait ? { onWait } : {}),
  };
  return {
    plan: (set) => planHosts(set, options),
    apply: (set) => applyHosts(set, options),
    // --force also removes files edited on the host; named volumes are kept (the library's removeVolumes drops them).
    planDestroy: (set) => planHostsDestroy(set, options),
    destroy: (set) => destroyHosts(set, options),
    close: async () => undefined,
  };
}

async function auth0Session(
  _args: CliArgs,
  env: CliEnvVariables,
  _progress: TargetProgress,
  logger: Logger,
): Promise<TargetSession> {
  const { Auth0Client, applyAuth0, auth0OptionsFromEnv, destroyAuth0, planAuth0, planAuth0Destroy } =
    await CLIENT_MODULES.auth0();
  const options = auth0OptionsFromEnv(env);
  const client = new Auth0Client({
    domain: options.domain,
    credentials: options.credentials,
    tls: options.tls,
    logger,
  });
  const planOptions = { onWarning: (message: string) => logger.warn(message) };
  return {
    plan: (set) => planAuth0(set, client, planOptions),
    apply: (set) => applyAuth0(set, client, planOptions),
    planDestroy: (set) => planAuth0Destroy(set, client),
    destroy: (set) => destroyAuth0(set, client),
    close: () => client.close(),
  };
}

async function tailscaleSession(
  args: CliArgs,
  env: CliEnvVariables,
  _progress: TargetProgress,
  logger: Logger,
): Promise<TargetSession> {
  const {
    TailscaleClient,
    applyTailscale,
    destroyTailscale,
    planTailscale,
    planTailscaleDestroy,
    tailscaleOptionsFromEnv,
  } = await CLIENT_MODULES.tailscale();
  const options = tailscaleOptionsFromEnv(env);
  const client = new TailscaleClient({ ...options, logger });
  const planOptions = args.mintAuthKeys ? { mintAuthKeys: true, outDir: args.out } : {};
  return {
    plan: (set) => planTailscale(set, client, planOptions),
    apply: (set) => applyTailscale(set, client, planOptions),
    planDestroy: (set) => planTailscaleDestroy(set, client),
    destroy: (set) => destroyTailscale(set, client),
    close: () => client.close(),
  };
}

/**
 * The targets `plan` and `apply` know, each loaded only when asked for. The third argument takes progress messages,
 * the fifth is told about long waits (see `progress.ts`), and the fourth takes the clients' warnings (insecure TLS, plaintext endpoints): the CLI prints both through its own
 * output, so no environment setting (`NODE_NO_WARNINGS`) can hide a warning.
 */
export const TARGETS: Readonly<
  Record<
    string,
    (
      args: CliArgs,
      env: CliEnvVariables,
      progress: TargetProgress,
      logger: Logger,
      onWait?: WaitReporter,
    ) => Promise<TargetSession>
  >
> = {
  omni: omniSession,
  proxmox: proxmoxSession,
  unifi: unifiSession,
  hosts: hostsSession,
  auth0: auth0Session,
  tailscale: tailscaleSession,
};

/**
 * Refuses a `--target` the CLI does not know.
 *
 * @param targets - The targets named.
 * @throws UsageError naming the unknown target and the known ones.
 */
export function checkTargetNames(targets: readonly string[]): void {
  for (const target of targets) {
    if (!Object.hasOwn(TARGETS, target)) {
      throw new UsageError(`unknown target "${target}" (known: ${Object.keys(TARGETS).join(', ')})`);
    }
  }
}
