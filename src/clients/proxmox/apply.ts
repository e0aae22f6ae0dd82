import type { ArtifactSet } from '../../generators/artifact.js';
import type { Change, Plan } from '../../plan/change.js';
import type { ProxmoxClient } from './client.js';
import { ProxmoxRootRequiredError } from './errors.js';
import type { ProxmoxPlanOptions } from './step.js';
import { buildProxmoxSteps } from './steps.js';

/** Options of {@link applyProxmox}. */
export interface ProxmoxApplyOptions extends ProxmoxPlanOptions {
  /** Apply everything else when root@pam-only steps cannot be done with this client; they are returned as skipped. */
  readonly skipRootOnly?: boolean;
}

/** What {@link applyProxmox} did. */
export interface ProxmoxApplyResult {
  /** The plan it worked from (read fresh from the cluster). */
  readonly plan: Plan;
  /** Changes applied, in the order they were made. */
  readonly applied: readonly Change[];
  /** Root@pam-only changes left for a person (only with `skipRootOnly`). */
  readonly skipped: readonly Change[];
}

/**
 * Plans and applies the Proxmox artifacts of one cluster: role, user, token (its secret written only to
 * `tokenSecret`), ACLs, then containers and VMs (created and waited for, or updated with the config `digest`).
 * Running it again finds nothing to do.
 *
 * @param set - The artifact set.
 * @param client - A client for the cluster.
 * @param options - Cluster, token secret destination, `skipRootOnly`, signal.
 * @returns The plan, the applied changes and the skipped root@pam steps.
 * @throws {@link ProxmoxRootRequiredError} before changing anything when root@pam steps are due and the client is not
 *   logged in as root@pam (unless `skipRootOnly`); Error when a token would be created with nowhere to put its secret; HTTP and task
 *   errors from the step that failed (earlier steps stay applied, and a new plan shows what is left).
 */
export async function applyProxmox(
  set: ArtifactSet,
  client: ProxmoxClient,
  options: ProxmoxApplyOptions = {},
): Promise<ProxmoxApplyResult> {
  const { plan, steps } = await buildProxmoxSteps(set, client, options);
  const pending = steps.filter((step) => step.change.action !== 'no-op').sort((a, b) => a.phase - b.phase);
  const rootSteps = pending.filter((step) => step.rootOnly);
  if (rootSteps.length > 0 && !options.skipRootOnly) {
    throw new ProxmoxRootRequiredError(
      rootSteps.map(
        (step) =>
          `${step.change.kind} ${step.change.id}: ${step.change.fields.map((field) => field.path).join(', ')} (${step.change.note ?? ''})`,
      ),
      `${describeIdentity(client)} Set PROXMOX_ROOT_PASSWORD (with PROXMOX_USERNAME unset or root@pam) to apply as ` +
        'root@pam, or apply with skipRootOnly (CLI: --skip-root-only) and run the host commands above.',
    );
  }
  if (pending.some((step) => step.createsToken) && !options.tokenSecret) {
    throw new Error(
      'refusing to create an API token without a place for its secret (Proxmox returns it only once): ' +
        'pass tokenSecret { file } or { envFile } (CLI: --token-secret-file / --token-secret-env-file)',
    );
  }
  const missingEnv = [...new Set(pending.flatMap((step) => step.missingEnv ?? []))].sort();
  if (missingEnv.length > 0) {
    throw new Error(
      `refusing to apply: guest parameters come from ${missingEnv.join(', ')}, which ${missingEnv.length > 1 ? 'are' : 'is'} not set (or set <NAME>_FILE to a file holding the value)`,
    );
  }
  const applied: Change[] = [];
  for (const step of pending) {
    if (step.rootOnly || !step.run) continue;
    await step.run({ client, options });
    applied.push(step.change);
  }
  return { plan, applied, skipped: rootSteps.map((step) => step.change) };
}

function describeIdentity(client: ProxmoxClient): string {
  return client.authKind === 'token'
    ? `This client uses the API token ${client.identity}, and a token never acts as root@pam (not even a root@pam token).`
    : `This client logs in as ${client.identity}, not as root@pam.`;
}
