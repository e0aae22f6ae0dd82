import type { Auth0ApplicationSpec } from '../src/clients/auth0/artifacts.js';
import type { Auth0Credentials } from '../src/clients/auth0/credentials.js';
import { Auth0Client } from '../src/clients/auth0/client.js';
import type { ArtifactSet } from '../src/generators/artifact.js';
import { generate } from '../src/generators/generate.js';
import type { Auth0Emulator } from '../src/testing/auth0/index.js';
import spaceships from '../examples/spaceships/topology.js';
import { jsonArtifactSet } from './client-fixtures.js';

/** The spaceships example's generated `auth0/omni-application.json`. */
export const EXAMPLE_AUTH0_APPLICATION = JSON.parse(
  generate(spaceships).artifacts.find((artifact) => artifact.path === 'auth0/omni-application.json')!.content,
) as Auth0ApplicationSpec;

/** The example's scopes for a plan and apply: read and update the application, look users up. */
export const AUTH0_SCOPES = ['read:clients', 'update:clients', 'read:users'];

/**
 * The example's Auth0 artifact pointed at an emulated tenant and application, with its origin replaced when given.
 *
 * @param emulator - The tenant.
 * @param clientId - The application.
 * @param origin - The Omni origin to generate, `https://omni.spaceships.work` by default.
 * @returns The artifact set with its manifest.
 */
export function auth0ArtifactSet(emulator: Auth0Emulator, clientId: string, origin?: string): ArtifactSet {
  const body = origin
    ? { app_type: 'spa', callbacks: [origin], allowed_logout_urls: [origin], web_origins: [origin] }
    : EXAMPLE_AUTH0_APPLICATION.body;
  return jsonArtifactSet([
    {
      path: 'auth0/omni-application.json',
      kind: 'auth0-application',
      data: { ...EXAMPLE_AUTH0_APPLICATION, tenant: emulator.domain, clientId, body },
    },
  ]);
}

/**
 * A Management API client for an emulated tenant, trusting its certificate.
 *
 * @param emulator - The tenant.
 * @param credentials - A token or client credentials.
 * @returns The client.
 */
export function auth0ClientFor(emulator: Auth0Emulator, credentials: Auth0Credentials): Auth0Client {
  return new Auth0Client({
    domain: emulator.domain,
    credentials,
    tls: { fingerprint256: emulator.fingerprint256 },
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
  });
}
