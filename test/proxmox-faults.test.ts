import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import { HttpConnectionError } from '../src/clients/http/errors.js';
import { applyProxmox } from '../src/clients/proxmox/apply.js';
import { ProxmoxClient } from '../src/clients/proxmox/client.js';
import { planProxmox } from '../src/clients/proxmox/plan.js';
import type { EmulatorRequest, FaultOptions } from '../src/testing/https-emulator.js';
import { seededRandom } from '../src/testing/seeded-random.js';
import type { ProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { EXAMPLE_PROVIDER_ACCESS, exampleProxmoxArtifactSet } from './client-fixtures.js';

const TOKEN_ID = 'omni-provider@pve!omni';

/** Starts an emulator and a client, both closed when the test ends (`onTestFinished` of the test's own context). */
async function setUp(
  { onTestFinished }: TestContext,
  faults: FaultOptions,
  seed = 1,
): Promise<{ pve: ProxmoxEmulator; client: ProxmoxClient; tokenSecret: { envFile: string } }> {
  const pve = await startProxmoxEmulator({ rootPassword: 'emulated-root-pw', taskDurationMs: 5, faults });
  onTestFinished(() => pve.close());
  const client = new ProxmoxClient({
    url: pve.url,
    credentials: { kind: 'password', username: 'root@pam', password: 'emulated-root-pw' },
    tls: { fingerprint256: pve.fingerprint256 },
    taskPollMs: 5,
    retry: { retries: 4, baseDelayMs: 1, maxDelayMs: 5 },
    random: seededRandom(seed),
  });
  onTestFinished(() => client.close());
  const tokenSecret = { envFile: join(await mkdtemp(join(tmpdir(), 'pve-')), 'provider.env') };
  return { pve, client, tokenSecret };
}

function isTokenCreate(request: EmulatorRequest): boolean {
  return request.method === 'POST' && request.path.endsWith('/token/omni');
}

async function expectConverged(pve: ProxmoxEmulator, client: ProxmoxClient, envFile: string): Promise<void> {
  pve.setFaults({});
  const plan = await planProxmox(exampleProxmoxArtifactSet(), client, { cluster: 'matrix', tokenSecret: { envFile } });
  expect(plan.changes.filter((change) => change.action !== 'no-op')).toEqual([]);
  expect(await readFile(envFile, 'utf8')).toBe(`PROXMOX_TOKEN_SECRET='${pve.state.tokens.get(TOKEN_ID)!.secret}'\n`);
  expect(pve.state.acl).toHaveLength(EXAMPLE_PROVIDER_ACCESS.acl.length);
}

/** Faults at `rate`: 5xx before and after the write takes effect, connection resets before and after, each `rate`. */
function faultsAt(rate: number, seed: number): FaultOptions {
  return { serverErrorRate: rate / 2, serverErrorAfterRate: rate / 2, resetRate: rate, latencyMs: 1, seed };
}

/** One apply under faults: whether it converged, with no object created twice and the secret at its destination. */
async function singleApply(context: TestContext, rate: number, seed: number): Promise<boolean> {
  const { pve, client, tokenSecret } = await setUp(context, faultsAt(rate, seed), seed);
  const options = { cluster: 'matrix', tokenSecret, roundDelayMs: 2 };
  const converged = await applyProxmox(exampleProxmoxArtifactSet(), client, options).then(
    () => true,
    () => false,
  );
  const creations = pve.state.creations.filter((item) => !item.startsWith('token/'));
  expect(new Set(creations).size).toBe(creations.length);
  // A token whose create answer was lost is deleted before it is created again: never two live, never one orphaned.
  const tokenCreations = pve.state.creations.filter((item) => item.startsWith('token/')).length;
  expect(tokenCreations - pve.state.deletions.length).toBe(pve.state.tokens.has(TOKEN_ID) ? 1 : 0);
  if (converged) await expectConverged(pve, client, tokenSecret.envFile);
  return converged;
}

describe('one Proxmox apply under injected faults', () => {
  it('converges in at least 95 percent of 50 seeds at 20 percent faults, creating nothing twice', async (context) => {
    const seeds = Array.from({ length: 50 }, (_, index) => index + 1);
    const results = await Promise.all(seeds.map((seed) => singleApply(context, 0.2, seed)));
    expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(48);
  });
});

describe('Proxmox apply under injected faults', () => {
  it.concurrent.for([3, 7, 10, 11, 13, 19, 23, 24, 29, 35, 40, 42])(
    'seed %i: converges with 5xx answers and connection resets at 20 percent each, creating only a token twice',
    async (seed, context) => {
      const { pve, client, tokenSecret } = await setUp(
        context,
        { serverErrorRate: 0.2, resetRate: 0.2, latencyMs: 1, seed },
        seed,
      );
      const set = exampleProxmoxArtifactSet();
      let attempts = 0;
      for (let done = false; !done && attempts < 30; attempts++) {
        done = await applyProxmox(set, client, { cluster: 'matrix', tokenSecret }).then(
          () => true,
          () => false,
        );
      }
      expect(attempts).toBeLessThan(30);
      await expectConverged(pve, client, tokenSecret.envFile);
      // A token whose create answer was lost is deleted and created again (its first secret is unrecoverable).
      const tokenCreations = pve.state.creations.filter((item) => item === `token/${TOKEN_ID}`);
      expect(tokenCreations).toHaveLength(pve.state.deletions.length + 1);
      expect(pve.state.creations.filter((item) => !item.startsWith('token/')).sort()).toEqual([
        'lxc/200',
        'role/OmniInfraProvider',
        'user/omni-provider@pve',
      ]);
    },
  );

  it('deletes and re-creates a token whose create answers were lost, and writes the live secret', async (context) => {
    let lost = 0;
    const { pve, client, tokenSecret } = await setUp(context, {
      loseAnswer: (request) => isTokenCreate(request) && lost++ < 2,
    });
    await applyProxmox(exampleProxmoxArtifactSet(), client, { cluster: 'matrix', tokenSecret });
    expect(pve.state.deletions).toEqual([`token/${TOKEN_ID}`, `token/${TOKEN_ID}`]);
    await expectConverged(pve, client, tokenSecret.envFile);
  });

  it('gives up after a bounded number of lost answers, leaving no stale secret, and a later apply regenerates on request', async (context) => {
    const { pve, client, tokenSecret } = await setUp(context, { loseAnswer: isTokenCreate });
    const set = exampleProxmoxArtifactSet();
    const error = await applyProxmox(set, client, { cluster: 'matrix', tokenSecret, rounds: 1 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(HttpConnectionError);
    const creates = pve.state.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/omni'));
    expect(creates).toHaveLength(5);
    expect(pve.state.tokens.has(TOKEN_ID)).toBe(true);
    await expect(readFile(tokenSecret.envFile, 'utf8')).rejects.toThrow(/ENOENT/);

    pve.setFaults({});
    const kept = await planProxmox(set, client, { cluster: 'matrix', tokenSecret });
    expect(kept.changes.find((change) => change.kind === 'token')).toMatchObject({ action: 'no-op' });
    expect(kept.changes.find((change) => change.kind === 'token-secret')).toMatchObject({
      action: 'create',
      note: expect.stringContaining(`secret not at ${tokenSecret.envFile} (PROXMOX_TOKEN_SECRET): Proxmox shows`),
    });
    const options = { cluster: 'matrix', tokenSecret, regenerateToken: true };
    const plan = await planProxmox(set, client, options);
    expect(plan.changes.find((change) => change.kind === 'token')).toMatchObject({
      action: 'update',
      note: `secret not at ${tokenSecret.envFile} (PROXMOX_TOKEN_SECRET); apply regenerates the token (the old secret stops working)`,
    });
    await applyProxmox(set, client, options);
    await expectConverged(pve, client, tokenSecret.envFile);
  });
});
