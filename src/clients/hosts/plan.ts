import type { ArtifactSet } from '../../generators/artifact.js';
import type { Plan } from '../../plan/change.js';
import type { HostsPlanOptions } from './steps.js';
import { buildHostsSteps, closeHostsSteps } from './steps.js';

/**
 * Compares each host's stacks with the artifacts: one SSH connection and one command per host (Docker and Compose
 * versions, a SHA-256 of every file, of every `.env` value, and the containers' states). Reads only; the plan shows
 * no secret value, only which `.env` keys change.
 *
 * @param set - The artifact set.
 * @param options - Credentials, value sources, force.
 * @returns The plan: files (`create`, `update`, `adopt` for hand edits, `delete`), `.env`, stacks and Docker.
 *
 * @example
 * ```ts
 * const credentials = await hostsCredentialsFromEnv(process.env);
 * const plan = await planHosts(await readArtifactSet('out'), { credentials, env: process.env, outDir: 'out' });
 * process.stdout.write(formatPlan(plan));
 * ```
 */
export async function planHosts(set: ArtifactSet, options: HostsPlanOptions): Promise<Plan> {
  const steps = await buildHostsSteps(set, options);
  closeHostsSteps(steps);
  return steps.plan;
}
