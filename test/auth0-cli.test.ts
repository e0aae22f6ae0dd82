import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeArtifacts } from '../src/generators/output-folder.js';
import type { Auth0Emulator } from '../src/testing/auth0/index.js';
import { startAuth0Emulator } from '../src/testing/auth0/index.js';
import { AUTH0_SCOPES, auth0ArtifactSet } from './auth0-fixtures.js';
import { runCliWith } from './run-cli.js';

let dir: string;
let auth0: Auth0Emulator;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talos-topology-auth0-'));
  auth0 = await startAuth0Emulator();
});
afterEach(async () => {
  await auth0.close();
  await rm(dir, { recursive: true, force: true });
});

/** The example's application in the emulated tenant, its artifacts in `<dir>/out`, and client credentials. */
async function setUp(scopes: readonly string[] = AUTH0_SCOPES) {
  const clientId = auth0.addApplication({ name: 'Omni', callbacks: ['http://localhost:3000/cb'] })[
    'client_id'
  ] as string;
  const m2m = auth0.addM2mApplication(scopes);
  const out = join(dir, 'out');
  await writeArtifacts(auth0ArtifactSet(auth0, clientId), out);
  const env = {
    AUTH0_DOMAIN: auth0.domain,
    AUTH0_CLIENT_ID: m2m.clientId,
    AUTH0_CLIENT_SECRET: m2m.clientSecret,
    AUTH0_FINGERPRINT: auth0.fingerprint256,
  };
  return { clientId, out, env, secret: m2m.clientSecret };
}

/** Every secret the run could have printed: the client secret and each token the tenant issued. */
function secretsOf(secret: string): string[] {
  return [secret, ...auth0.state.tokens.keys()];
}

describe('talos-topology plan and apply --target auth0', () => {
  it('plans (exit 2), applies, then plans nothing (exit 0), printing neither the secret nor a token', async () => {
    const { out, env, secret } = await setUp();
    const plan = await runCliWith(env, 'plan', '--detailed-exitcode', '--target', 'auth0', '--out', out, '--no-color');
    expect(plan.code, plan.err).toBe(2);
    expect(plan.out).toContain('app_type: (absent) -> "spa"');
    expect(plan.out).toContain('not managed, left alone: callback-url http://localhost:3000/cb');
    // The example's initial user has no account in the tenant yet: the first admin would be locked out.
    expect(plan.err).toContain('initial user admin@spaceships.work has no account');
    const apply = await runCliWith(env, 'apply', '--yes', '--target', 'auth0', '--out', out);
    expect(apply).toMatchObject({ code: 0, out: expect.stringContaining('applied 1 change') });
    const again = await runCliWith(env, 'plan', '--target', 'auth0', '--out', out, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out).summary).toEqual({ create: 0, update: 0, delete: 0, 'no-op': 1 });
    const printed = [plan, apply, again].map((result) => `${result.out}${result.err}`).join('');
    for (const value of secretsOf(secret)) expect(printed).not.toContain(value);
  });

  it('fails with a clear message and no secret, as text and as --json, when the secret is wrong', async () => {
    const { out, env, secret } = await setUp();
    const wrong = { ...env, AUTH0_CLIENT_SECRET: `${secret}-old` };
    const text = await runCliWith(wrong, 'plan', '--target', 'auth0', '--out', out);
    expect(text.code).not.toBe(0);
    expect(text.err).toContain('POST /oauth/token failed with HTTP 401: access_denied: Unauthorized');
    const json = await runCliWith(wrong, 'plan', '--target', 'auth0', '--out', out, '--json');
    expect(json.code).not.toBe(0);
    expect(json.out).toContain('access_denied');
    for (const result of [text, json]) expect(`${result.out}${result.err}`).not.toContain(secret);
  });

  it('warns that the initial users check was skipped without read:users, and still plans', async () => {
    const { out, env } = await setUp(['read:clients', 'update:clients']);
    const plan = await runCliWith(env, 'plan', '--detailed-exitcode', '--target', 'auth0', '--out', out);
    expect(plan.code).toBe(2);
    expect(plan.err).toContain('lacks the read:users scope');
  });

  it('names the missing variables', async () => {
    const { out } = await setUp();
    const result = await runCliWith({ AUTH0_DOMAIN: auth0.domain }, 'plan', '--target', 'auth0', '--out', out);
    expect(result.code).not.toBe(0);
    expect(result.err).toContain('no Auth0 credentials: set AUTH0_MANAGEMENT_TOKEN');
  });
});
