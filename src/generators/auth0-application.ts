import type { Topology } from '../models/define.js';
import type { Artifact } from './artifact.js';
import { createArtifact } from './artifact.js';
import { omniEndpoints } from './omni-endpoints.js';
import { toCanonicalJson } from './serialize.js';

/**
 * `auth0/omni-application.json`: the settings of Omni's Auth0 application. `body` is the request body of the Auth0
 * Management API's `PATCH https://<tenant>/api/v2/clients/<clientId>` (field names of the API's client object:
 * `app_type`, `callbacks`, `allowed_logout_urls`, `web_origins`), so a client can send it as it is. Omni's UI runs in
 * the browser at the advertised origin and sends Auth0 that origin for the callback and the logout return, and calls
 * Auth0 from it (web origin): all three are `https://<omni domain>` (with the API port when it is not 443).
 * `initialUsers` are Omni's first administrators (not secret) exactly as the topology spells them: the Auth0 target
 * checks that each has an account in the tenant (`users-by-email` is case-sensitive).
 *
 * @param topology - A validated topology.
 * @returns The artifact.
 */
export function auth0ApplicationArtifact(topology: Topology): Artifact {
  const { auth0, initialUsers } = topology.omni;
  const origin = omniEndpoints(topology).api;
  const application = {
    tenant: auth0.domain,
    clientId: auth0.clientId,
    body: { app_type: 'spa', callbacks: [origin], allowed_logout_urls: [origin], web_origins: [origin] },
    initialUsers,
  };
  return createArtifact('auth0/omni-application.json', 'auth0-application', toCanonicalJson(application));
}
