/**
 * Destroy for Tailscale: revokes the auth keys the SDK minted and takes the topology's marked entries out of the
 * policy file; the nodes are left to the sidecars that own them.
 *
 * @module
 */
import type { ArtifactSet } from '../../generators/artifact.js';
import type { Plan, UnmanagedObject } from '../../plan/change.js';
import { createChange, createPlan } from '../../plan/change.js';
import { applyInRounds } from '../apply-rounds.js';
import type { TailscaleApplyOptions, TailscaleApplyResult } from './apply.js';
import { readTailscaleArtifacts } from './artifacts.js';
import type { TailscaleDevicesSpec } from './artifacts.js';
import { authKeyDescription, readLiveKeys } from './auth-key-steps.js';
import type { TailscaleClient } from './client.js';
import { findSidecarNode } from './device-steps.js';
import { removePolicyEntries } from './policy-merge.js';
import { buildPolicyStep } from './policy-steps.js';
import type { TailscaleStep } from './step.js';

/** Options of {@link planTailscaleDestroy} and {@link destroyTailscale}: rounds, backoff and signal. */
export type TailscaleDestroyOptions = Pick<TailscaleApplyOptions, 'rounds' | 'roundDelayMs' | 'signal'>;

/** Destroy order: the keys first (nothing can join with them any more), then the policy entries. */
const PHASES = { keys: 1, policy: 2, devices: 3 } as const;

/**
 * The auth keys to revoke: every usable key whose description is the one the SDK gives the key it mints for a
 * declared sidecar (`authKeyDescription`): the description is how apply proves a key is its own, and a person's keys
 * never carry it. Spent single-use keys are already unusable and not listed.
 */
async function keySteps(
  devices: TailscaleDevicesSpec,
  client: TailscaleClient,
  signal: AbortSignal | undefined,
): Promise<TailscaleStep[]> {
  const descriptions = new Map(
    devices.devices.map((device) => [authKeyDescription(devices.topology, device.hostname), device.hostname]),
  );
  const keys = await readLiveKeys(client, signal);
  return keys.flatMap((key) => {
    const hostname = key.description === undefined ? undefined : descriptions.get(key.description);
    if (hostname === undefined) return [];
    return [
      {
        phase: PHASES.keys,
        change: createChange('tailscale', 'auth-key', key.id, 'delete', [], [`minted by the SDK for ${hostname}`]),
        run: async (c: TailscaleClient, s: AbortSignal | undefined) => c.deleteKey(key.id, s),
      },
    ];
  });
}

/**
 * The sidecars' nodes are kept. The SDK never creates a node: the sidecar registers itself with its auth key and
 * keeps the node's identity in its state volume, and the SDK only sets its tags, key expiry and address. Deleting the
 * node while the stack still runs would log the sidecar out for good (its single-use key is spent), and the stack is
 * the hosts target's to remove; so each node is listed as kept, to delete in the admin console once its stack is gone.
 */
function deviceSteps(devices: TailscaleDevicesSpec, live: Parameters<typeof findSidecarNode>[1]): TailscaleStep[] {
  return devices.devices.flatMap((device) => {
    const found = findSidecarNode(device.hostname, live);
    if (!found) return [];
    const note = `node ${found.node.name} (id ${found.node.id}) kept: the sidecar registered it and holds its identity; delete it in the admin console once its stack is removed`;
    return [
      { phase: PHASES.devices, change: createChange('tailscale', 'device', device.hostname, 'no-op', [], [note]) },
    ];
  });
}

/**
 * Reads the tailnet (the policy, the devices and the keys, concurrently) and works out what destroying the Tailscale
 * artifacts removes.
 *
 * @param set - The artifact set.
 * @param client - A client for the tailnet.
 * @param signal - Cancels the requests.
 * @returns The plan and its steps.
 */
async function buildTailscaleDestroySteps(
  set: ArtifactSet,
  client: TailscaleClient,
  signal: AbortSignal | undefined,
): Promise<{ plan: Plan; steps: TailscaleStep[] }> {
  const { devices, policySnippet } = readTailscaleArtifacts(set);
  const [policy, keys, live] = await Promise.all([
    policySnippet === undefined
      ? undefined
      : buildPolicyStep(policySnippet, client, signal, { merge: removePolicyEntries }),
    devices ? keySteps(devices, client, signal) : [],
    devices ? client.listDevices(signal) : [],
  ]);
  const steps: TailscaleStep[] = [...keys];
  const unmanaged: UnmanagedObject[] = [];
  if (policy) {
    const { run } = policy;
    const { fields } = policy.change;
    steps.push({
      phase: PHASES.policy,
      change: createChange('tailscale', 'policy-entries', 'policy', run ? 'delete' : 'no-op', fields, [
        run
          ? "the topology's marked entries, removed with their marker lines; the rest of the file is kept byte for byte"
          : 'no entry carries the marker',
      ]),
      ...(run ? { run: async (_c: TailscaleClient, s: AbortSignal | undefined) => void (await run(s)) } : {}),
    });
    unmanaged.push(...policy.unmanaged);
  }
  if (devices) steps.push(...deviceSteps(devices, live));
  const plan = createPlan(
    'tailscale',
    steps.map((step) => step.change),
    unmanaged,
  );
  return { plan, steps };
}

/**
 * Plans the destroy of the Tailscale artifacts. Reads only.
 *
 * - Auth keys: the usable keys the SDK minted for the declared sidecars (found by the description it gives them) are
 *   revoked; a person's keys never carry that description.
 * - Policy: the entries marked `// talos-topology:<topology>` (grants, tagOwners, tests) are removed with the same
 *   HuJSON edit apply uses, a person's lines kept byte for byte; the result is validated and written with `If-Match`.
 * - Nodes: kept (the sidecar registered each one and holds its identity; see the note in the plan).
 *
 * @param set - The artifact set.
 * @param client - A client for the tailnet.
 * @param options - Signal.
 * @returns The plan: a `delete` per key and for the policy entries, the nodes as kept.
 *
 * @example
 * ```ts
 * import { formatPlan, readArtifactSet } from '@talos-sdk/topology';
 * import { TailscaleClient, planTailscaleDestroy, tailscaleOptionsFromEnv } from '@talos-sdk/topology/tailscale';
 *
 * const { url, tailnet, credentials, tls } = tailscaleOptionsFromEnv();
 * const client = new TailscaleClient({ url, tailnet, credentials, tls });
 * console.log(formatPlan(await planTailscaleDestroy(await readArtifactSet('out'), client)));
 * await client.close();
 * ```
 */
export async function planTailscaleDestroy(
  set: ArtifactSet,
  client: TailscaleClient,
  options: TailscaleDestroyOptions = {},
): Promise<Plan> {
  return (await buildTailscaleDestroySteps(set, client, options.signal)).plan;
}

/**
 * Plans the destroy (see {@link planTailscaleDestroy}), then revokes the keys and writes the policy without the
 * topology's entries (validated first; a policy someone saved meanwhile is read and edited again, never overwritten).
 * A write that fails or goes unanswered is not repeated blindly: the tailnet is read again, for a bounded number of
 * rounds, as apply does. Running it again finds nothing to remove.
 *
 * @param set - The artifact set.
 * @param client - A client for the tailnet.
 * @param options - Rounds and signal.
 * @returns The first plan and the removals that took effect.
 * @throws HTTP errors as apply does; `TailnetPolicyInvalidError` when the policy without the topology's entries does
 *   not validate (a person's entry still names one of the topology's tags).
 *
 * @example
 * ```ts
 * import { readArtifactSet } from '@talos-sdk/topology';
 * import { TailscaleClient, destroyTailscale, tailscaleOptionsFromEnv } from '@talos-sdk/topology/tailscale';
 *
 * const { url, tailnet, credentials, tls } = tailscaleOptionsFromEnv();
 * const client = new TailscaleClient({ url, tailnet, credentials, tls });
 * const { applied } = await destroyTailscale(await readArtifactSet('out'), client);
 * console.log(`removed ${applied.length}`);
 * await client.close();
 * ```
 */
export async function destroyTailscale(
  set: ArtifactSet,
  client: TailscaleClient,
  options: TailscaleDestroyOptions = {},
): Promise<TailscaleApplyResult> {
  const { plan, applied } = await applyInRounds(
    () => buildTailscaleDestroySteps(set, client, options.signal),
    client,
    options,
  );
  return { plan, applied, skipped: [] };
}
