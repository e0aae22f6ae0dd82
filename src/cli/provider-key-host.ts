import { join } from 'node:path';
import type { Logger } from '../clients/http/logger.js';
import type { ArtifactSet } from '../generators/artifact.js';
import type { CliArgs } from './args.js';
import { UsageError } from './args.js';
import type { CliEnvVariables, TargetApplyResult, TargetProgress } from './targets.js';

const PROVIDER_COMPOSE = /^hosts\/([^/]+)\/(provider-[^/]+)\/compose\.yaml$/;

/** The one provider stack of the set: its guest and folder. */
function providerStack(set: ArtifactSet): { guest: string; dir: string } {
  const stacks = set.artifacts.flatMap((artifact) => {
    const match = PROVIDER_COMPOSE.exec(artifact.path);
    return match?.[1] && match[2] ? [{ guest: match[1], dir: `hosts/${match[1]}/${match[2]}` }] : [];
  });
  const [stack] = stacks;
  if (!stack || stacks.length > 1) {
    throw new UsageError(
      `--provider-key-host needs exactly one provider stack in the output folder (found ${stacks.length}); use --provider-key-env-file`,
    );
  }
  return stack;
}

/**
 * Where `--provider-key-host` stages the key: the `.env` beside the provider's compose file in the output folder
 * (mode 0600, like `--provider-key-env-file`), from which the hosts client carries it to the host.
 *
 * @param set - The artifact set.
 * @param out - The output folder.
 * @returns The env file path.
 */
export function providerStackEnvFile(set: ArtifactSet, out: string): string {
  return join(out, providerStack(set).dir, '.env');
}

/**
 * Carries the provider's key to its host and restarts its stack: `apply --target hosts` limited to the provider's
 * guest (its `.env` on the host gets the key, and Compose recreates the provider, whose environment changed).
 *
 * @param set - The artifact set.
 * @param args - The command line (output folder, `--force`, `--trust-new-host-keys`).
 * @param env - Credentials and stack variables.
 * @param progress - Progress messages.
 * @param logger - Warnings.
 * @returns What the hosts apply did on that guest (the stack started with its key, or skipped still without one).
 */
export async function deliverProviderKey(
  set: ArtifactSet,
  args: CliArgs,
  env: CliEnvVariables,
  progress: TargetProgress,
  logger: Logger,
): Promise<TargetApplyResult> {
  const { applyHosts, hostsCredentialsFromEnv } = await import('../clients/hosts/index.js');
  const { guest } = providerStack(set);
  progress(`provider key: delivering the provider's stack to ${guest} over SSH`);
  return applyHosts(set, {
    credentials: await hostsCredentialsFromEnv(env),
    env,
    outDir: args.out,
    guests: [guest],
    force: args.force,
    trustOnFirstUse: args.trustNewHostKeys,
    onWarning: (message) => logger.warn(message),
    onProgress: progress,
  });
}
