import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyUnifi } from '../src/clients/unifi/apply.js';
import { UnifiClient } from '../src/clients/unifi/client.js';
import { planUnifi } from '../src/clients/unifi/plan.js';
import type { FaultOptions } from '../src/testing/https-emulator.js';
import { seededRandom } from '../src/testing/seeded-random.js';
import type { UnifiEmulator } from '../src/testing/unifi/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import singleSite from '../examples/single-site/topology.js';
import { unifiArtifactSetFor } from './client-fixtures.js';

const ADMIN = { username: 'sdk-admin', password: 'emulated-admin-pw' };
const SEEDS = Array.from({ length: 50 }, (_, index) => index + 1);

/** The lab with a second route: one apply creates a record and a route, repairs a route and deletes a retired one. */
const topology = {
  ...singleSite,
  routes: [...singleSite.routes, { name: 'printers', network: '10.41.0.0/24', nexthop: '10.20.0.3', distance: 1 }],
};
const set = unifiArtifactSetFor(topology);

/**
 * Faults at `rate` in all, in equal parts: 5xx before the request is processed, 5xx after it took effect (the
 * answer says it failed), connection reset before, and connection reset after (the answer is lost).
 */
function faults(rate: number, seed: number): FaultOptions {
  return { serverErrorRate: rate / 4, serverErrorAfterRate: rate / 4, resetRate: rate / 2, latencyMs: 1, seed };
}

let unifi: UnifiEmulator;
beforeAll(async () => {
  unifi = await startUnifiEmulator({ admin: ADMIN, sites: ['lab'] });
});
afterAll(async () => {
  await unifi.close();
});

function seedConsole(): void {
  unifi.setFaults({});
  unifi.state.dnsRecords.length = 0;
  unifi.state.routes.length = 0;
  unifi.state.creations.length = 0;
  unifi.state.requests.length = 0;
  const route = (name: string, network: string, nexthop: string): Record<string, unknown> => ({
    _id: `seeded-${name}`,
    site_id: 'site-lab',
    name,
    type: 'static-route',
    'static-route_type': 'nexthop-route',
    'static-route_network': network,
    'static-route_nexthop': nexthop,
    'static-route_distance': 1,
    enabled: true,
    gateway_type: 'default',
  });
  unifi.state.routes.push(
    route('talos-sdk:single-site:bench', '10.40.0.0/24', '10.20.0.254'),
    route('talos-sdk:single-site:retired', '10.42.0.0/24', '10.20.0.2'),
  );
}

function loginClient(seed: number): UnifiClient {
  return new UnifiClient({
    url: unifi.url,
    credentials: { kind: 'login', ...ADMIN },
    tls: { ca: unifi.caPem },
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    random: seededRandom(seed),
  });
}

/** One apply at a fault rate; `true` when it finished and a fault-free plan then finds nothing to do. */
async function oneApply(rate: number, seed: number): Promise<boolean> {
  seedConsole();
  const client = loginClient(seed);
  try {
    unifi.setFaults(faults(rate, seed));
    const finished = await applyUnifi(set, client, { roundDelayMs: 1 }).then(
      () => true,
      () => false,
    );
    unifi.setFaults({});
    const settled = (await planUnifi(set, client)).changes.every((change) => change.action === 'no-op');
    // Whatever happened, nothing exists twice and nothing was created twice.
    const names = unifi.state.routes.map((route) => String(route['name']));
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(unifi.state.creations).size).toBe(unifi.state.creations.length);
    expect(unifi.state.dnsRecords).toHaveLength(finished ? 1 : unifi.state.dnsRecords.length);
    return finished && settled;
  } finally {
    await client.close();
  }
}

describe('UniFi apply under injected faults (before and after the write takes effect)', () => {
  it('reads back a route create whose answer was lost, counts it applied and never sends it twice', async () => {
    seedConsole();
    const routeWrites = (method: string): string[] =>
      unifi.state.requests
        .filter((request) => request.method === method && request.path.includes('/rest/routing'))
        .map((request) => request.path);
    let postAnswers = 0;
    unifi.setFaults({
      loseAnswer: (request) =>
        request.method === 'POST' && request.path.endsWith('/rest/routing') && postAnswers++ === 0,
    });
    const client = loginClient(1);
    try {
      const result = await applyUnifi(set, client, { roundDelayMs: 1 });
      expect(result.applied.map((change) => `${change.action} ${change.id}`)).toContain(
        'create talos-sdk:single-site:printers',
      );
      expect(routeWrites('POST')).toHaveLength(1);
      expect(unifi.state.creations).toContain('static-route/talos-sdk:single-site:printers');
    } finally {
      await client.close();
    }
  });

  it('converges in one apply for at least 95 % of 50 seeds at 20 % faults, never creating anything twice', async () => {
    let converged = 0;
    for (const seed of SEEDS) if (await oneApply(0.2, seed)) converged++;
    expect(converged / SEEDS.length).toBeGreaterThanOrEqual(0.95);
    expect(unifi.state.creations.filter((creation) => creation.startsWith('static-route/'))).toHaveLength(1);
  }, 120_000);

  it('still converges in most single applies at 50 % faults', async () => {
    let converged = 0;
    for (const seed of SEEDS) if (await oneApply(0.5, seed)) converged++;
    expect(converged / SEEDS.length).toBeGreaterThanOrEqual(0.5);
  }, 120_000);
});
