import type { CommandRun } from '../context.js';
import { printOk } from '../output.js';
import { waitReporterFor } from '../progress.js';

/**
 * `status --cluster C --wait`: waits until Omni reports the Talos cluster and all its machine sets ready.
 *
 * @param context - The command line and the surroundings.
 * @returns The exit code.
 */
export const runStatus: CommandRun = async ({ args, env }) => {
  const { createOmniClient, omniClientOptionsFromEnv, waitForClusterReady } =
    await import('../../clients/omni/index.js');
  const client = await createOmniClient(omniClientOptionsFromEnv(env.env));
  try {
    const cluster = args.cluster ?? '';
    const onWait = waitReporterFor(args.quiet, (line) => env.output.err(line));
    const readiness = await waitForClusterReady(client, cluster, { timeoutMs: args.timeoutSeconds * 1000, onWait });
    if (args.json) printOk(env.output, { ...readiness });
    else {
      const sets = Object.keys(readiness.machineSets).sort();
      env.output.out(
        `cluster ${cluster} is ready: ${sets.length} machine set${sets.length === 1 ? '' : 's'} (${sets.join(', ')}) running`,
      );
    }
    return 0;
  } finally {
    client.close();
  }
};
