import { setTimeout as sleep } from 'node:timers/promises';
import type { ArtifactSet } from '../../generators/artifact.js';
import type { Change, Plan } from '../../plan/change.js';
import { HttpError } from '../http/errors.js';
import { backoffDelay, resolveRetryOptions } from '../http/retry.js';
import type { ProxmoxClient } from './client.js';
import { ProxmoxApplyRefusedError, ProxmoxRootRequiredError } from './errors.js';
import type { ProxmoxPlanOptions, ProxmoxStep } from './step.js';
import { signalOf } from './step.js';
import { buildProxmoxSteps } from './steps.js';
import { isWorthReplanning } from './transient.js';
import { clientOptionText, MissingClientOptionError } from '../../plan/client-option.js';

/** Options of {@link applyProxmox}. */
export interface ProxmoxApplyOptions extends ProxmoxPlanOptions {
  /**
   * Apply everything else when root@pam-only steps cannot be done with this client; they are returned as skipped,
   * with the start of each guest they belong to.
   */
  readonly skipRootOnly?: boolean;
  /**
   * How many times apply plans and runs the steps when a write fails in a way that may be transient (lost answer,
   * transient 5xx, digest conflict): each new round reads back what took effect and runs only what is left.
   * Defaults to 6.
   */
  readonly rounds?: number;
  /** First wait between rounds, in milliseconds; doubles each round up to 10 s, with jitter. Defaults to 500. */
  readonly roundDelayMs?: number;
}

/** What {@link applyProxmox} did. */
export interface ProxmoxApplyResult {
  /** The plan it worked from (read fresh from the cluster). */
  readonly plan: Plan;
  /** Changes applied, in the order they were made. */
  readonly applied: readonly Change[];
  /** Root@pam-only changes left for a person, and the starts of their guests (only with `skipRootOnly`). */
  readonly skipped: readonly Change[];
}

/**
 * Plans and applies the Proxmox artifacts of one cluster: role, user, token (its secret written only to
 * `tokenSecret`), ACLs, then containers and VMs (created and waited for, or updated with the config `digest`), and
 * last the start of each guest whose artifact asks for it and that is not running.
 * Running it again finds nothing to do. A write that fails in a way that may be transient (its answer lost, a
 * transient 5xx, a digest conflict after a retried update) does not end the apply: after a backoff it plans again,
 * which reads back what took effect (the VMID, role, user, token and ACL entries exist or not; the config holds the
 * values or not), and runs only what is left, for at most `rounds` rounds. A token whose create answer was lost in
 * this apply is replaced in the next round, since no one saw its secret.
 *
 * @param set - The artifact set.
 * @param client - A client for the cluster.
 * @param options - Cluster, token secret destination, `skipRootOnly`, rounds, progress callback, signal.
 * @returns The first plan, the changes applied over all rounds and the skipped root@pam steps (with their guests'
 *   starts).
 * @throws {@link ProxmoxRootRequiredError} before changing anything when root@pam steps are due and the client is not
 *   logged in as root@pam (unless `skipRootOnly`); {@link ProxmoxApplyRefusedError} before changing anything when a
 *   change cannot be made (a token secret missing from its destination, without `regenerateToken`); Error when a token would be created with nowhere to put its secret; HTTP and task
 *   errors from the step that failed when it is no transient fault or the rounds ran out (earlier steps stay applied,
 *   and a new plan shows what is left).
 *
 * @example
 * ```ts
 * import { readArtifactSet } from '@talos-sdk/topology';
 * import { ProxmoxClient, applyProxmox, proxmoxOptionsFromEnv } from '@talos-sdk/topology/proxmox';
 *
 * const { url, credentials, tls } = proxmoxOptionsFromEnv();
 * const client = new ProxmoxClient({ url, credentials, tls });
 * const { applied, skipped } = await applyProxmox(await readArtifactSet('out'), client, {
 *   cluster: 'matrix',
 *   tokenSecret: { envFile: 'out/hosts/ct-200/provider-proxmox/.env' }, // where a new token's secret is written
 * });
 * console.log(`applied ${applied.length}, skipped ${skipped.length}`);
 * await client.close();
 * ```
 */
export async function applyProxmox(
  set: ArtifactSet,
  client: ProxmoxClient,
  options: ProxmoxApplyOptions = {},
): Promise<ProxmoxApplyResult> {
  const rounds = options.rounds ?? 6;
  const backoff = resolveRetryOptions({ baseDelayMs: options.roundDelayMs ?? 500, maxDelayMs: 10_000 });
  const applied: Change[] = [];
  let first: Plan | undefined;
  let current: ProxmoxApplyOptions = options;
  let unanswered: Change | undefined;
  for (let round = 1; ; round++) {
    let failed: ProxmoxStep | undefined;
    try {
      const { plan, steps } = await buildProxmoxSteps(set, client, current);
      first ??= plan;
      // The step that failed last round took effect when its object now needs nothing more.
      if (unanswered && tookEffect(unanswered, plan)) applied.push(unanswered);
      unanswered = undefined;
      const pending = checkedSteps(steps, client, current);
      for (const step of pending) {
        if (step.rootOnly || step.deferred || !step.run) continue;
        failed = step;
        await step.run({ client, options: current });
        failed = undefined;
        applied.push(step.change);
      }
      const skipped = pending.filter((step) => step.rootOnly || step.deferred).map((step) => step.change);
      return { plan: first, applied, skipped };
    } catch (error) {
      if (round >= rounds || !isWorthReplanning(error)) throw error;
      // A token this apply created whose answer was lost has a secret no one saw: the next plan may replace it.
      if (failed?.createsToken) current = { ...current, regenerateToken: true };
      unanswered ??= failed?.change;
      options.onProgress?.(
        `${failed ? `${failed.change.kind} ${failed.change.id}` : 'reading the cluster'} failed (${describe(error)}); ` +
          `reading back what took effect and trying again (${round}/${rounds - 1})`,
      );
      await sleep(backoffDelay(round - 1, backoff, Math.random), undefined, signalOf(options.signal));
    }
  }
}

/** The steps to run, in order, after the checks that refuse an apply before anything changes. */
function checkedSteps(
  steps: readonly ProxmoxStep[],
  client: ProxmoxClient,
  options: ProxmoxApplyOptions,
): ProxmoxStep[] {
  const pending = steps.filter((step) => step.change.action !== 'no-op').sort((a, b) => a.phase - b.phase);
  const rootSteps = pending.filter((step) => step.rootOnly);
  if (rootSteps.length > 0 && !options.skipRootOnly) {
    throw new ProxmoxRootRequiredError(
      rootSteps.map(
        (step) =>
          `${step.change.kind} ${step.change.id}: ${step.change.fields.map((field) => field.path).join(', ')} (${step.change.note ?? ''})`,
      ),
      `${describeIdentity(client)} Set PROXMOX_ROOT_PASSWORD (with PROXMOX_USERNAME unset or root@pam) to apply as ` +
        `root@pam, or apply with ${clientOptionText('skipRootOnly')} and run the host commands above.`,
    );
  }
  const refusals = pending.flatMap((step) => (step.refusal ? [step.refusal] : []));
  if (refusals.length > 0) throw new ProxmoxApplyRefusedError(refusals);
  if (pending.some((step) => step.createsToken) && !options.tokenSecret) {
    throw new MissingClientOptionError(
      'tokenSecret',
      'refusing to create an API token without a place for its secret (Proxmox returns it only once): ' +
        `give ${clientOptionText('tokenSecret')} (a file or an env file)`,
    );
  }
  return pending;
}

function tookEffect(change: Change, plan: Plan): boolean {
  return plan.changes.some((item) => item.kind === change.kind && item.id === change.id && item.action === 'no-op');
}

function describe(error: unknown): string {
  return error instanceof HttpError
    ? `${error.status ?? 'no answer'}${error.upstreamMessage ? ` ${error.upstreamMessage}` : ''}`
    : String(error);
}

function describeIdentity(client: ProxmoxClient): string {
  return client.authKind === 'token'
    ? `This client uses the API token ${client.identity}, and a token never acts as root@pam (not even a root@pam token).`
    : `This client logs in as ${client.identity}, not as root@pam.`;
}
