import { afterEach, describe, expect, it } from 'vitest';
import { applyUnifi } from '../src/clients/unifi/apply.js';
import { UnifiClient } from '../src/clients/unifi/client.js';
import { planUnifi } from '../src/clients/unifi/plan.js';
import { seededRandom } from '../src/testing/seeded-random.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import { labUnifiArtifactSet } from './client-fixtures.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

describe('UniFi apply under injected faults', () => {
  it.each([5, 17, 99])(
    'seed %i: converges with 5xx answers and connection resets at 20 percent each, creating nothing twice',
    async (seed) => {
      const admin = { username: 'sdk-admin', password: 'emulated-admin-pw' };
      const unifi = await startUnifiEmulator({
        admin,
        sites: ['lab'],
        faults: { serverErrorRate: 0.2, resetRate: 0.2, latencyMs: 1, seed },
      });
      open.push(unifi);
      const client = new UnifiClient({
        url: unifi.url,
        credentials: { kind: 'login', ...admin },
        tls: { ca: unifi.caPem },
        retry: { retries: 4, baseDelayMs: 1, maxDelayMs: 5 },
        random: seededRandom(seed),
      });
      open.push(client);
      const set = labUnifiArtifactSet();
      let attempts = 0;
      for (let done = false; !done && attempts < 30; attempts++) {
        done = await applyUnifi(set, client).then(
          () => true,
          () => false,
        );
      }
      expect(attempts).toBeLessThan(30);
      unifi.setFaults({});
      const plan = await planUnifi(set, client);
      expect(plan.changes.filter((change) => change.action !== 'no-op')).toEqual([]);
      expect(unifi.state.dnsRecords.map((record) => record['key'])).toEqual(['omni.lab.example.net']);
      expect(unifi.state.routes.map((route) => route['name'])).toEqual(['talos-sdk:bench']);
    },
  );
});
