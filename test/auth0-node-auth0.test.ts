/**
 * The Auth0 emulator serves the official Node SDK (`auth0` v7, `ManagementClient`) as the real tenant would: its
 * client credentials token request (form-encoded, audience `https://<domain>/api/v2/`), a client read with a fields
 * filter, an update, a refused unknown field, and a users-by-email lookup. So the emulator follows the API, not our
 * client.
 */
import { ManagementClient, ManagementError } from 'auth0';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { Auth0Emulator } from '../src/testing/auth0/index.js';
import { startAuth0Emulator } from '../src/testing/auth0/index.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

/** The SDK with a fetch that trusts the emulator's self-signed certificate (its `fetch` option). */
function managementClient(auth0: Auth0Emulator, credentials: { clientId: string; clientSecret: string }) {
  const agent = new Agent({ connect: { ca: auth0.caPem } });
  open.push(agent);
  const trusted = ((input: string | URL | Request, init?: RequestInit) =>
    undiciFetch(input as string, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch;
  return new ManagementClient({ domain: auth0.domain, ...credentials, fetch: trusted, maxRetries: 0 });
}

describe('the auth0 Node SDK against the Auth0 emulator', () => {
  it('gets a token, reads a client, updates it and reads the update back', async () => {
    const auth0 = await startAuth0Emulator();
    open.push(auth0);
    const app = auth0.addApplication({ name: 'Omni', app_type: 'regular_web' });
    const id = app['client_id'] as string;
    const sdk = managementClient(auth0, auth0.addM2mApplication(['read:clients', 'update:clients', 'read:users']));

    const read = await sdk.clients.get(id, { fields: 'client_id,app_type,callbacks', include_fields: true });
    expect(read).toEqual({ client_id: id, app_type: 'regular_web', callbacks: [] });

    const updated = await sdk.clients.update(id, {
      app_type: 'spa',
      callbacks: ['https://omni.spaceships.work'],
      client_metadata: { owner: 'platform' },
    });
    expect(updated).toMatchObject({ app_type: 'spa', callbacks: ['https://omni.spaceships.work'] });
    expect(updated).not.toHaveProperty('client_secret');
    expect(await sdk.clients.get(id)).toMatchObject({ client_metadata: { owner: 'platform' }, name: 'Omni' });
    expect(auth0.state.requests.filter((request) => request.path === '/oauth/token')).toHaveLength(1);

    auth0.addUser({ email: 'admin@spaceships.work' });
    expect(await sdk.users.listUsersByEmail({ email: 'admin@spaceships.work' })).toHaveLength(1);
    expect(await sdk.users.listUsersByEmail({ email: 'Admin@spaceships.work' })).toEqual([]);
  });

  it('is refused an unknown client field (400) and a write without update:clients (403), as the API does', async () => {
    const auth0 = await startAuth0Emulator();
    open.push(auth0);
    const id = auth0.addApplication({ name: 'Omni' })['client_id'] as string;
    const sdk = managementClient(auth0, auth0.addM2mApplication(['read:clients', 'update:clients']));
    const unknown = await sdk.clients
      .update(id, { callback_urls: ['https://x'] } as never)
      .catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(ManagementError);
    expect((unknown as ManagementError).statusCode).toBe(400);
    expect(JSON.stringify((unknown as ManagementError).body)).toContain(
      'Additional properties not allowed: callback_urls',
    );
    const reader = managementClient(auth0, auth0.addM2mApplication(['read:clients']));
    const forbidden = await reader.clients.update(id, { app_type: 'spa' }).catch((error: unknown) => error);
    expect((forbidden as ManagementError).statusCode).toBe(403);
  });
});
