// Destroy for UniFi over HTTPS against the emulator: apply then destroy leaves only a person's records and routes,
// a record the SDK cannot prove it wrote stays, and a second destroy finds nothing to delete.
import { afterEach, describe, expect, it } from 'vitest';
import { applyUnifi } from '../src/clients/unifi/apply.js';
import { UnifiClient } from '../src/clients/unifi/client.js';
import { destroyUnifi, planUnifiDestroy } from '../src/clients/unifi/destroy.js';
import type { UnifiEmulator } from '../src/testing/unifi/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import { exampleUnifiArtifactSet, labUnifiArtifactSet } from './client-fixtures.js';

const API_KEY = 'emulated-unifi-api-key-0002';
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

async function lab(): Promise<{ unifi: UnifiEmulator; client: UnifiClient }> {
  const unifi = await startUnifiEmulator({ apiKey: API_KEY, sites: ['default', 'lab'] });
  const client = new UnifiClient({
    url: unifi.url,
    credentials: { kind: 'api-key', apiKey: API_KEY },
    tls: { ca: unifi.caPem },
  });
  open.push(unifi, client);
  return { unifi, client };
}

const record = (site: string, key: string, value: string): Record<string, unknown> => ({
  _id: `person-${key}`,
  site_id: `site-${site}`,
  key,
  record_type: 'A',
  value,
  ttl: 0,
  enabled: true,
});

const names = (items: readonly Record<string, unknown>[], field: string): unknown[] =>
  items.map((item) => item[field]).sort();

describe('UniFi destroy', () => {
  it('deletes the owned route and the record of a pruned zone; a person’s record and route stay; again: nothing', async () => {
    const { unifi, client } = await lab();
    unifi.state.dnsRecords.push(record('lab', 'printer.elsewhere.net', '10.20.0.9'));
    unifi.state.routes.push({ _id: 'person-route', site_id: 'site-lab', name: 'to-office', type: 'static-route' });
    const set = labUnifiArtifactSet();
    await applyUnifi(set, client);
    expect(names(unifi.state.routes, 'name')).toEqual(['talos-sdk:single-site:bench', 'to-office']);

    const plan = await planUnifiDestroy(set, client);
    expect(plan.changes.map((change) => `${change.action} ${change.kind} ${change.id}`)).toEqual([
      'delete static-dns omni.lab.example.net A',
      'delete static-route talos-sdk:single-site:bench',
    ]);
    expect(plan.unmanaged.map((item) => item.id).sort()).toEqual(['printer.elsewhere.net A', 'to-office']);

    const { applied } = await destroyUnifi(set, client);
    expect(applied).toHaveLength(2);
    expect(names(unifi.state.dnsRecords, 'key')).toEqual(['printer.elsewhere.net']);
    expect(names(unifi.state.routes, 'name')).toEqual(['to-office']);

    const again = await destroyUnifi(set, client);
    expect(again.applied).toEqual([]);
    expect(again.plan.changes).toEqual([]);
  });

  it('deletes a declared record holding exactly the declared values, and keeps one that differs outside a pruned zone', async () => {
    const { unifi, client } = await lab();
    // The example's DNS artifact does not prune: ownership is proven by the values the SDK writes.
    const set = exampleUnifiArtifactSet();
    await applyUnifi(set, client);
    const plan = await planUnifiDestroy(set, client);
    expect(plan.changes).toEqual([
      expect.objectContaining({ kind: 'static-dns', id: 'omni.spaceships.work A', action: 'delete' }),
    ]);
    await destroyUnifi(set, client);
    expect(unifi.state.dnsRecords).toEqual([]);

    // A person's record under the declared name, with another address: apply holds it (adopt) and destroy keeps it.
    unifi.state.dnsRecords.push(record('default', 'omni.spaceships.work', '192.168.10.99'));
    const held = await destroyUnifi(set, client);
    expect(held.applied).toEqual([]);
    expect(held.plan.unmanaged).toEqual([
      expect.objectContaining({ id: 'omni.spaceships.work A', reason: expect.stringContaining('cannot prove') }),
    ]);
    expect(unifi.state.dnsRecords).toHaveLength(1);
  });
});
