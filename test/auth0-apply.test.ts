import { afterEach, describe, expect, it } from 'vitest';
import { applyAuth0 } from '../src/clients/auth0/apply.js';
import { Auth0Client, rateLimitResetDelay } from '../src/clients/auth0/client.js';
import { OWNERSHIP_KEY } from '../src/clients/auth0/ownership.js';
import { planAuth0 } from '../src/clients/auth0/plan.js';
import { HttpAuthenticationError, HttpPermissionError, HttpRateLimitError } from '../src/clients/http/errors.js';
import { ArtifactSetError } from '../src/generators/read.js';
import { formatPlan } from '../src/plan/format.js';
import type { Auth0Emulator } from '../src/testing/auth0/index.js';
import { startAuth0Emulator } from '../src/testing/auth0/index.js';
import { AUTH0_SCOPES, auth0ArtifactSet, auth0ClientFor } from './auth0-fixtures.js';

const OMNI = 'https://omni.spaceships.work';
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

async function tenant(options: Parameters<typeof startAuth0Emulator>[0] = {}): Promise<Auth0Emulator> {
  const auth0 = await startAuth0Emulator(options);
  open.push(auth0);
  return auth0;
}

/** A tenant with Omni's application as a person created it (a regular web app, their own localhost URLs). */
async function tenantWithApplication(options: Parameters<typeof startAuth0Emulator>[0] = {}) {
  const auth0 = await tenant(options);
  const app = auth0.addApplication({
    name: 'Omni',
    app_type: 'regular_web',
    callbacks: ['http://localhost:3000/callback'],
    web_origins: ['http://localhost:3000'],
    client_metadata: { team: 'platform' },
  });
  auth0.addUser({ email: 'admin@spaceships.work' });
  const m2m = auth0.addM2mApplication(AUTH0_SCOPES);
  const client = auth0ClientFor(auth0, { kind: 'client-credentials', ...m2m });
  open.push(client);
  return { auth0, clientId: app['client_id'] as string, client, m2m };
}

describe('Auth0 plan and apply', () => {
  it('plans the SPA type and the three URL lists, applies them with one PATCH, then plans nothing', async () => {
    const { auth0, clientId, client } = await tenantWithApplication();
    const set = auth0ArtifactSet(auth0, clientId);
    const plan = await planAuth0(set, client);
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]).toMatchObject({ target: 'auth0', kind: 'client', id: clientId, action: 'update' });
    expect(plan.changes[0]!.fields).toContainEqual({ path: 'app_type', before: 'regular_web', after: 'spa' });
    expect(formatPlan(plan)).toContain(
      `callbacks: ["http://localhost:3000/callback"] -> ["http://localhost:3000/callback","${OMNI}"]`,
    );

    const { applied } = await applyAuth0(set, client);
    expect(applied).toHaveLength(1);
    const stored = auth0.state.clients.get(clientId)!;
    expect(stored).toMatchObject({
      app_type: 'spa',
      callbacks: ['http://localhost:3000/callback', OMNI],
      allowed_logout_urls: [OMNI],
      web_origins: ['http://localhost:3000', OMNI],
      client_metadata: { team: 'platform', [OWNERSHIP_KEY]: expect.stringMatching(/^[0-9a-f]{12}( [0-9a-f]{12}){2}$/) },
    });
    expect(auth0.state.requests.filter((request) => request.method === 'PATCH')).toHaveLength(1);

    const again = await planAuth0(set, client);
    expect(again.changes.map((change) => change.action)).toEqual(['no-op']);
  });

  it('keeps URLs a person added, lists them as unmanaged, and never removes them', async () => {
    const { auth0, clientId, client } = await tenantWithApplication();
    await applyAuth0(auth0ArtifactSet(auth0, clientId), client);
    const plan = await planAuth0(auth0ArtifactSet(auth0, clientId, 'https://omni.example.net'), client);
    expect(plan.unmanaged).toEqual([
      expect.objectContaining({ kind: 'callback-url', id: 'http://localhost:3000/callback' }),
      expect.objectContaining({ kind: 'web-origin', id: 'http://localhost:3000' }),
    ]);
    expect(formatPlan(plan)).toContain('not managed, left alone: callback-url http://localhost:3000/callback');
  });

  it('removes a URL it added once the topology no longer generates it (the Omni domain changed)', async () => {
    const { auth0, clientId, client } = await tenantWithApplication();
    await applyAuth0(auth0ArtifactSet(auth0, clientId), client);
    const moved = auth0ArtifactSet(auth0, clientId, 'https://omni.example.net');
    await applyAuth0(moved, client);
    expect(auth0.state.clients.get(clientId)).toMatchObject({
      callbacks: ['http://localhost:3000/callback', 'https://omni.example.net'],
      allowed_logout_urls: ['https://omni.example.net'],
      web_origins: ['http://localhost:3000', 'https://omni.example.net'],
    });
    expect((await planAuth0(moved, client)).changes[0]!.action).toBe('no-op');
  });

  it('never removes a URL that merely looks like one it would generate, without its ownership record', async () => {
    const { auth0, clientId, client } = await tenantWithApplication();
    // A person entered the old Omni origin by hand: same shape as a generated one, but not recorded as the SDK's.
    auth0.state.clients.get(clientId)!['allowed_logout_urls'] = ['https://omni.old.example'];
    await applyAuth0(auth0ArtifactSet(auth0, clientId), client);
    expect(auth0.state.clients.get(clientId)!['allowed_logout_urls']).toEqual(['https://omni.old.example', OMNI]);
  });

  it('takes over a generated URL a person had already entered, without a duplicate, and then owns it', async () => {
    const { auth0, clientId, client } = await tenantWithApplication();
    auth0.state.clients.get(clientId)!['callbacks'] = [OMNI];
    const plan = await planAuth0(auth0ArtifactSet(auth0, clientId), client);
    expect(plan.changes[0]!.fields.map((field) => field.path)).not.toContain('callbacks');
    await applyAuth0(auth0ArtifactSet(auth0, clientId), client);
    expect(auth0.state.clients.get(clientId)!['callbacks']).toEqual([OMNI]);
    await applyAuth0(auth0ArtifactSet(auth0, clientId, 'https://omni.example.net'), client);
    expect(auth0.state.clients.get(clientId)!['callbacks']).toEqual(['https://omni.example.net']);
  });

  it('refuses an artifact generated for another tenant, naming the file and both domains', async () => {
    const { auth0, clientId, client } = await tenantWithApplication();
    const set = auth0ArtifactSet(auth0, clientId);
    const other = {
      artifacts: set.artifacts.map((artifact) =>
        artifact.kind === 'auth0-application'
          ? { ...artifact, content: artifact.content.replace(auth0.domain, 'spaceships.us.auth0.com') }
          : artifact,
      ),
    };
    const error = await planAuth0(other, client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ArtifactSetError);
    expect((error as Error).message).toContain('auth0/omni-application.json');
    expect((error as Error).message).toContain(
      `is for tenant 'spaceships.us.auth0.com' but AUTH0_DOMAIN is '${auth0.domain}'`,
    );
  });

  it('says clearly when the application does not exist in the tenant', async () => {
    const { auth0, client } = await tenantWithApplication();
    await expect(planAuth0(auth0ArtifactSet(auth0, 'NoSuchClient'), client)).rejects.toThrow(
      /has no application with client ID NoSuchClient \(omni.auth0.clientId\)/,
    );
  });
});

describe('Auth0 tokens and rate limits', () => {
  it('fetches one token for a plan and an apply, and a new one only after a 401', async () => {
    const { auth0, clientId, client } = await tenantWithApplication();
    const set = auth0ArtifactSet(auth0, clientId);
    await planAuth0(set, client);
    await applyAuth0(set, client);
    const tokenRequests = () => auth0.state.requests.filter((request) => request.path === '/oauth/token').length;
    expect(tokenRequests()).toBe(1);
    auth0.state.tokens.clear(); // revoked (or the tenant's signing key rotated): the next request gets 401
    expect((await planAuth0(set, client)).changes[0]!.action).toBe('no-op');
    expect(tokenRequests()).toBe(2);
  });

  it('renews a token shortly before it expires instead of waiting for a 401', async () => {
    const { auth0, clientId, m2m } = await tenantWithApplication({ tokenLifetimeSeconds: 120 });
    let now = Date.now();
    const timed = new Auth0Client({
      domain: auth0.domain,
      credentials: { kind: 'client-credentials', ...m2m },
      tls: { fingerprint256: auth0.fingerprint256 },
      now: () => now,
    });
    open.push(timed);
    const set = auth0ArtifactSet(auth0, clientId);
    await planAuth0(set, timed);
    now += 59_000;
    await planAuth0(set, timed);
    expect(timed.tokensFetched).toBe(1);
    now += 2_000; // 61 s of 120: inside the 60 s margin
    await planAuth0(set, timed);
    expect(timed.tokensFetched).toBe(2);
    expect(auth0.state.requests.filter((request) => request.status === 401)).toEqual([]);
  });

  it('fails with the token endpoint refusal, never the secret, for a wrong client secret', async () => {
    const { auth0, clientId, m2m } = await tenantWithApplication();
    const wrong = `${m2m.clientSecret.slice(0, -4)}XXXX`;
    const client = auth0ClientFor(auth0, { kind: 'client-credentials', clientId: m2m.clientId, clientSecret: wrong });
    open.push(client);
    const error = await planAuth0(auth0ArtifactSet(auth0, clientId), client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpAuthenticationError);
    expect((error as Error).message).toBe('POST /oauth/token failed with HTTP 401: access_denied: Unauthorized');
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(wrong);
  });

  it('waits for X-RateLimit-Reset after a 429 and then succeeds', async () => {
    const { auth0, clientId, client } = await tenantWithApplication({ rateLimitResetSeconds: 1 });
    auth0.state.throttle = 1; // the token request
    const started = Date.now();
    const plan = await planAuth0(auth0ArtifactSet(auth0, clientId), client);
    expect(plan.changes[0]!.action).toBe('update');
    expect(auth0.state.requests.filter((request) => request.status === 429)).toHaveLength(1);
    // The reset is the next whole second plus one: the client waited for it rather than its 5 ms backoff.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('fails at once, with the wait the tenant asked for, when the reset is further away than it will wait', async () => {
    const { auth0, clientId, client } = await tenantWithApplication({ rateLimitResetSeconds: 3600 });
    auth0.state.throttle = 1;
    const error = await planAuth0(auth0ArtifactSet(auth0, clientId), client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpRateLimitError);
    expect((error as HttpRateLimitError).retryAfterMs).toBeGreaterThan(3_590_000);
    expect(auth0.state.requests).toHaveLength(1);
  });

  it('reads X-RateLimit-Reset as epoch seconds', () => {
    const read = rateLimitResetDelay(() => 1_700_000_000_500);
    expect(read({ 'x-ratelimit-reset': '1700000002' })).toBe(1_500);
    expect(read({ 'x-ratelimit-reset': '1699999999' })).toBe(0);
    expect(read({})).toBeUndefined();
  });
});

describe("Omni's initial users", () => {
  it('warns when an initial user has no account, or only one spelled in another case', async () => {
    const { auth0, clientId, client } = await tenantWithApplication();
    auth0.state.users.splice(0);
    auth0.addUser({ email: 'Admin@spaceships.work', user_id: 'github|1' });
    const warnings: string[] = [];
    const plan = await planAuth0(auth0ArtifactSet(auth0, clientId), client, {
      onWarning: (message) => warnings.push(message),
    });
    expect(warnings).toEqual([
      expect.stringMatching(/^initial user admin@spaceships.work has no account in Auth0 tenant .*case-sensitive/),
    ]);
    expect(plan.changes[0]!.note).toBe(warnings[0]);
  });

  it('says nothing when the user exists', async () => {
    const { auth0, clientId, client } = await tenantWithApplication();
    const warnings: string[] = [];
    await planAuth0(auth0ArtifactSet(auth0, clientId), client, { onWarning: (message) => warnings.push(message) });
    expect(warnings).toEqual([]);
  });

  it('skips the check with a warning when the token lacks read:users, and still plans', async () => {
    const auth0 = await tenant();
    const app = auth0.addApplication({ app_type: 'spa' });
    const client = auth0ClientFor(auth0, {
      kind: 'token',
      token: auth0.issueToken(['read:clients', 'update:clients']),
    });
    open.push(client);
    const warnings: string[] = [];
    const set = auth0ArtifactSet(auth0, app['client_id'] as string);
    const plan = await planAuth0(set, client, { onWarning: (message) => warnings.push(message) });
    expect(plan.changes[0]!.action).toBe('update');
    expect(warnings).toEqual([expect.stringContaining('lacks the read:users scope')]);
    await applyAuth0(set, client);
    expect((await planAuth0(set, client)).changes[0]!.action).toBe('no-op');
  });
});

describe('Auth0 apply under faults', () => {
  it('converges to the same application with 20 % of requests failing or losing their answer', async () => {
    const reference = await tenantWithApplication();
    await applyAuth0(auth0ArtifactSet(reference.auth0, reference.clientId), reference.client);
    const expected = reference.auth0.state.clients.get(reference.clientId)!;
    for (const seed of [1, 2, 3, 4, 5]) {
      const { auth0, clientId, client } = await tenantWithApplication();
      auth0.setFaults({ seed, serverErrorRate: 0.1, resetRate: 0.1, serverErrorAfterRate: 0.1 });
      const set = auth0ArtifactSet(auth0, clientId);
      await applyAuth0(set, client, { roundDelayMs: 5, rounds: 12 });
      auth0.setFaults({});
      const stored = auth0.state.clients.get(clientId)!;
      for (const field of ['app_type', 'callbacks', 'allowed_logout_urls', 'web_origins', 'client_metadata'])
        expect(stored[field], `seed ${seed}: ${field}`).toEqual(expected[field]);
      expect((await planAuth0(set, client)).changes[0]!.action).toBe('no-op');
    }
  });

  it('merges again when a person edits the application between the PATCH and the read-back', async () => {
    const { auth0, clientId, client } = await tenantWithApplication();
    let edits = 0;
    auth0.setFaults({
      loseAnswer: (request) => {
        if (request.method !== 'PATCH' || edits++ > 0) return false;
        // Someone adds a URL right after our write landed; the read-back sees a list that is not what was sent.
        const stored = auth0.state.clients.get(clientId)!;
        stored['callbacks'] = [...(stored['callbacks'] as string[]), 'https://grafana.spaceships.work/login'];
        return false;
      },
    });
    const { applied } = await applyAuth0(auth0ArtifactSet(auth0, clientId), client, { roundDelayMs: 5 });
    expect(applied).toHaveLength(1);
    expect(auth0.state.clients.get(clientId)!['callbacks']).toEqual([
      'http://localhost:3000/callback',
      OMNI,
      'https://grafana.spaceships.work/login',
    ]);
    // The read-back saw the person's URL; the next round read and merged again and found nothing left to write.
    expect(auth0.state.requests.filter((request) => request.method === 'PATCH')).toHaveLength(1);
    const reads = auth0.state.requests.filter(
      (request) => request.method === 'GET' && request.path.includes('/clients/'),
    );
    expect(reads).toHaveLength(3);
  });
});

describe('Auth0 writes and secrets', () => {
  it('never sends a PATCH again on its own when its answer is lost: the next round reads and finds it done', async () => {
    const { auth0, clientId, client } = await tenantWithApplication();
    let lost = 0;
    auth0.setFaults({ loseAnswer: (request) => request.method === 'PATCH' && lost++ === 0 });
    const { applied } = await applyAuth0(auth0ArtifactSet(auth0, clientId), client, { roundDelayMs: 5 });
    expect(applied).toHaveLength(1);
    expect(auth0.state.requests.filter((request) => request.method === 'PATCH')).toHaveLength(1);
    expect(client.http.stats.retries).toBe(0);
  });

  it('keeps the token out of a refused write, its message and its stored request', async () => {
    const { auth0, clientId } = await tenantWithApplication();
    const token = auth0.issueToken(['read:clients', 'read:users']);
    const client = auth0ClientFor(auth0, { kind: 'token', token });
    open.push(client);
    const error = await applyAuth0(auth0ArtifactSet(auth0, clientId), client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpPermissionError);
    expect((error as Error).message).toBe(
      `PATCH /api/v2/clients/${clientId} failed with HTTP 403: insufficient_scope: Insufficient scope, expected any of: update:clients`,
    );
    const stored = JSON.stringify({
      ...(error as object),
      message: (error as Error).message,
      stack: (error as Error).stack,
    });
    expect(stored).not.toContain(token);
    expect(stored).toContain('[REDACTED]');
  });
});
