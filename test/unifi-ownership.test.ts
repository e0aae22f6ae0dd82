import { afterEach, describe, expect, it } from 'vitest';
import { applyUnifi } from '../src/clients/unifi/apply.js';
import { UnifiClient } from '../src/clients/unifi/client.js';
import { planUnifi } from '../src/clients/unifi/plan.js';
import type { UnifiEmulator } from '../src/testing/unifi/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import singleSite from '../examples/single-site/topology.js';
import { unifiArtifactSetFor } from './client-fixtures.js';

const API_KEY = 'emulated-unifi-api-key-0002';
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

async function lab(): Promise<{ unifi: UnifiEmulator; client: UnifiClient }> {
  const unifi = await startUnifiEmulator({ apiKey: API_KEY, sites: ['lab'] });
  const client = new UnifiClient({
    url: unifi.url,
    credentials: { kind: 'api-key', apiKey: API_KEY },
    tls: { ca: unifi.caPem },
  });
  open.push(unifi, client);
  return { unifi, client };
}

/** A second topology on the same console and site: the single-site lab under another name, and a third route. */
const secondLab = {
  ...singleSite,
  name: 'second-lab',
  routes: [...singleSite.routes, { name: 'printers', network: '10.41.0.0/24', nexthop: '10.20.0.3', distance: 1 }],
};
const routeNames = (unifi: UnifiEmulator): unknown[] => unifi.state.routes.map((route) => route['name']).sort();

describe('UniFi route ownership per topology', () => {
  it('lets two topologies share a console: each creates and prunes only its own routes', async () => {
    const { unifi, client } = await lab();
    await applyUnifi(unifiArtifactSetFor(singleSite), client);
    await applyUnifi(unifiArtifactSetFor(secondLab), client);
    expect(routeNames(unifi)).toEqual([
      'talos-sdk:second-lab:bench',
      'talos-sdk:second-lab:printers',
      'talos-sdk:single-site:bench',
    ]);

    // Each topology's next apply finds nothing to do: neither deletes the other's routes.
    for (const topology of [singleSite, secondLab]) {
      const plan = await planUnifi(unifiArtifactSetFor(topology), client);
      expect(plan.changes.filter((change) => change.action !== 'no-op')).toEqual([]);
    }

    // The second topology retires a route: only that one goes.
    const retired = await applyUnifi(unifiArtifactSetFor({ ...secondLab, routes: singleSite.routes }), client);
    expect(retired.applied.map((change) => `${change.action} ${change.id}`)).toEqual([
      'delete talos-sdk:second-lab:printers',
    ]);
    expect(routeNames(unifi)).toEqual(['talos-sdk:second-lab:bench', 'talos-sdk:single-site:bench']);
  });

  it('renames a route written with the bare talos-sdk: prefix in place on first apply, and shows it in the plan', async () => {
    const { unifi, client } = await lab();
    unifi.state.routes.push({
      _id: 'legacy-bench',
      site_id: 'site-lab',
      name: 'talos-sdk:bench',
      type: 'static-route',
      'static-route_type': 'nexthop-route',
      'static-route_network': '10.40.0.0/24',
      'static-route_nexthop': '10.20.0.2',
      'static-route_distance': 1,
      enabled: true,
      gateway_type: 'default',
    });
    const set = unifiArtifactSetFor(singleSite);
    const plan = await planUnifi(set, client);
    expect(plan.changes.find((change) => change.kind === 'static-route')).toEqual({
      target: 'unifi',
      kind: 'static-route',
      id: 'talos-sdk:single-site:bench',
      action: 'update',
      fields: [{ path: 'name', before: 'talos-sdk:bench', after: 'talos-sdk:single-site:bench' }],
      note: 'renamed from talos-sdk:bench, written before route names carried the topology',
    });
    await applyUnifi(set, client);
    expect(unifi.state.routes).toEqual([
      expect.objectContaining({ _id: 'legacy-bench', name: 'talos-sdk:single-site:bench' }),
    ]);
    expect(unifi.state.creations.filter((creation) => creation.startsWith('static-route/'))).toEqual([]);
  });
});
