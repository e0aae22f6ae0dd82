import type { ArtifactSet } from '../../generators/artifact.js';
import type { Plan, UnmanagedObject } from '../../plan/change.js';
import { createPlan } from '../../plan/change.js';
import { readTailscaleArtifacts } from './artifacts.js';
import { buildAuthKeySteps, readLiveKeys } from './auth-key-steps.js';
import type { TailscaleClient } from './client.js';
import { buildDeviceSteps } from './device-steps.js';
import { buildPolicyStep } from './policy-steps.js';
import type { TailscaleStep } from './step.js';
import { TAILSCALE_PHASES } from './step.js';

/** Options shared by `planTailscale` and `applyTailscale`. */
export interface TailscalePlanOptions {
  /**
   * Creates an auth key for each sidecar not in the tailnet yet whose stack `.env` in {@link outDir} has no value
   * for its auth-key variable, and writes it there (see `buildAuthKeySteps`). Needs `outDir`.
   */
  readonly mintAuthKeys?: boolean;
  /** The output folder the artifacts were read from: where the stacks' `.env` files are. */
  readonly outDir?: string;
  /** Cancels the requests. */
  readonly signal?: AbortSignal;
}

/** The plan for a tailnet and the steps behind its changes. */
export interface TailscaleSteps {
  /** The plan: one change per step, plus live objects left alone. */
  readonly plan: Plan;
  /** The steps, unordered. */
  readonly steps: readonly TailscaleStep[];
}

/**
 * Reads the tailnet and works out what applying the Tailscale artifacts would do, in the order of `TAILSCALE_PHASES`:
 * the policy file (`buildPolicyStep`: the generated entries merged into the live policy), the nodes
 * (`buildDeviceSteps`), and with `mintAuthKeys` the auth keys of the sidecars still to join (`buildAuthKeySteps`).
 *
 * Round trips, whatever the number of sidecars: one `GET …/acl` and one `GET …/devices` (concurrently); with
 * `mintAuthKeys` and a sidecar to join, one `GET …/keys`; with an OAuth client, one token exchange per token lifetime.
 *
 * @param set - The artifact set.
 * @param client - A client for the tailnet.
 * @param options - Auth-key minting, output folder, signal.
 * @returns The plan and its steps: `planTailscale` returns the plan, `applyTailscale` runs the steps.
 * @throws Error when `mintAuthKeys` is set without `outDir`.
 */
export async function buildTailscaleSteps(
  set: ArtifactSet,
  client: TailscaleClient,
  options: TailscalePlanOptions,
): Promise<TailscaleSteps> {
  if (options.mintAuthKeys && options.outDir === undefined)
    throw new Error('mintAuthKeys needs outDir: the output folder whose stack .env files receive the keys');
  const { devices, policySnippet } = readTailscaleArtifacts(set);
  const steps: TailscaleStep[] = [];
  const unmanaged: UnmanagedObject[] = [];
  const [policy, live] = await Promise.all([
    policySnippet === undefined ? undefined : buildPolicyStep(policySnippet, client, options.signal),
    devices ? client.listDevices(options.signal) : undefined,
  ]);
  if (policy) {
    const { run } = policy;
    steps.push({
      change: policy.change,
      phase: TAILSCALE_PHASES.policy,
      ...(run
        ? { run: async (_client: TailscaleClient, signal: AbortSignal | undefined) => void (await run(signal)) }
        : {}),
    });
    unmanaged.push(...policy.unmanaged);
  }
  if (devices && live) {
    const part = buildDeviceSteps(devices, live, options.mintAuthKeys ?? false);
    steps.push(...part.steps);
    unmanaged.push(...part.unmanaged);
    if (options.mintAuthKeys && part.notJoined.length) {
      const keys = await readLiveKeys(client, options.signal);
      steps.push(...(await buildAuthKeySteps(devices.topology, part.notJoined, keys, options.outDir!)));
    }
  }
  const plan = createPlan(
    'tailscale',
    steps.map((step) => step.change),
    unmanaged,
  );
  return { plan, steps };
}
