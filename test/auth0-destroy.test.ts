// Destroy for Auth0 over HTTPS against the emulated tenant: apply then destroy leaves the application with only the
// person's URLs and metadata, the ownership record deleted; a second destroy finds nothing to remove.
import { afterEach, describe, expect, it } from 'vitest';
import { applyAuth0 } from '../src/clients/auth0/apply.js';
import { destroyAuth0, planAuth0Destroy } from '../src/clients/auth0/destroy.js';
import { OWNERSHIP_KEY } from '../src/clients/auth0/ownership.js';
import type { Auth0Emulator } from '../src/testing/auth0/index.js';
import { startAuth0Emulator } from '../src/testing/auth0/index.js';
import { AUTH0_SCOPES, auth0ArtifactSet, auth0ClientFor } from './auth0-fixtures.js';

const OMNI = 'https://omni.spaceships.work';
const PERSON_CALLBACK = 'http://localhost:3000/callback';
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

async function tenantWithApplication() {
  const auth0: Auth0Emulator = await startAuth0Emulator();
  open.push(auth0);
  const app = auth0.addApplication({
    name: 'Omni',
    app_type: 'regular_web',
    callbacks: [PERSON_CALLBACK],
    client_metadata: { team: 'platform' },
  });
  const client = auth0ClientFor(auth0, { kind: 'client-credentials', ...auth0.addM2mApplication(AUTH0_SCOPES) });
  open.push(client);
  return { auth0, clientId: app['client_id'] as string, client };
}

describe('Auth0 destroy', () => {
  it('removes the owned URLs and the ownership record; the application, its other URLs and metadata stay', async () => {
    const { auth0, clientId, client } = await tenantWithApplication();
    const set = auth0ArtifactSet(auth0, clientId);
    await applyAuth0(set, client);
    expect(auth0.state.clients.get(clientId)!['client_metadata']).toHaveProperty(OWNERSHIP_KEY);
    // A URL a person adds after apply is theirs.
    const app = auth0.state.clients.get(clientId)!;
    auth0.state.clients.set(clientId, { ...app, web_origins: [...(app['web_origins'] as string[]), 'http://nas'] });

    const plan = await planAuth0Destroy(set, client);
    expect(plan.changes.map((change) => `${change.action} ${change.kind} ${change.id}`).sort()).toEqual([
      `delete callback-url ${OMNI}`,
      `delete client-metadata ${OWNERSHIP_KEY}`,
      `delete logout-url ${OMNI}`,
      `delete web-origin ${OMNI}`,
      `no-op client ${clientId}`,
    ]);
    expect(plan.unmanaged.map((item) => item.id)).toEqual([PERSON_CALLBACK, 'http://nas']);

    const before = auth0.state.requests.length;
    const { applied } = await destroyAuth0(set, client);
    expect(applied).toHaveLength(4);
    // One read, one PATCH, one read-back that finds the key gone: no second round.
    expect(auth0.state.requests.slice(before).map((request) => request.method)).toEqual(['GET', 'PATCH', 'GET']);
    const stored = auth0.state.clients.get(clientId)!;
    expect(stored).toMatchObject({
      name: 'Omni',
      callbacks: [PERSON_CALLBACK],
      allowed_logout_urls: [],
      web_origins: ['http://nas'],
      client_metadata: { team: 'platform' },
    });
    expect(stored['client_metadata']).not.toHaveProperty(OWNERSHIP_KEY);

    const again = await destroyAuth0(set, client);
    expect(again.applied).toEqual([]);
    expect(again.plan.changes.filter((change) => change.action !== 'no-op')).toEqual([]);
  });

  it('converges when PATCH answers are lost or fail: the read-back decides, nothing is removed twice', async () => {
    const { auth0, clientId, client } = await tenantWithApplication();
    const set = auth0ArtifactSet(auth0, clientId);
    await applyAuth0(set, client);
    let patches = 0;
    auth0.setFaults({ loseAnswer: (request) => request.method === 'PATCH' && patches++ === 0 });
    const { applied } = await destroyAuth0(set, client, { roundDelayMs: 1 });
    expect(applied).toHaveLength(4);
    expect(auth0.state.clients.get(clientId)!['callbacks']).toEqual([PERSON_CALLBACK]);
    expect(auth0.state.clients.get(clientId)!['client_metadata']).toEqual({ team: 'platform' });
  });
});
