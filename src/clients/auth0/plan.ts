import type { ArtifactSet } from '../../generators/artifact.js';
import type { Plan } from '../../plan/change.js';
import type { Auth0Client } from './client.js';
import type { Auth0PlanOptions } from './steps.js';
import { buildAuth0Steps } from './steps.js';

/**
 * Compares the Auth0 application artifact (`auth0/omni-application.json`) with the tenant. Reads only: one token
 * request with client credentials, one `GET /api/v2/clients/{clientId}`, and one `GET /api/v2/users-by-email` per
 * initial user.
 *
 * @param set - The artifact set.
 * @param client - The Management API client.
 * @param options - The initial users check, warnings and signal.
 * @returns The plan: one `client` change; URLs a person added are listed as unmanaged.
 *
 * @example
 * ```ts
 * import { formatPlan, readArtifactSet } from '@talos-sdk/topology';
 * import { Auth0Client, auth0OptionsFromEnv, planAuth0 } from '@talos-sdk/topology/auth0';
 *
 * const { domain, credentials, tls } = auth0OptionsFromEnv(); // AUTH0_DOMAIN, a token or client credentials
 * const client = new Auth0Client({ domain, credentials, tls });
 * console.log(formatPlan(await planAuth0(await readArtifactSet('out'), client, { onWarning: console.warn })));
 * await client.close();
 * ```
 */
export async function planAuth0(set: ArtifactSet, client: Auth0Client, options: Auth0PlanOptions = {}): Promise<Plan> {
  return (await buildAuth0Steps(set, client, options)).plan;
}
