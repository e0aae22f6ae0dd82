import { afterEach, describe, expect, it } from 'vitest';
import { HttpAuthenticationError } from '../src/clients/http/errors.js';
import { applyUnifi } from '../src/clients/unifi/apply.js';
import { UnifiClient } from '../src/clients/unifi/client.js';
import type { UnifiCredentials } from '../src/clients/unifi/credentials.js';
import { planUnifi } from '../src/clients/unifi/plan.js';
import { formatPlan } from '../src/plan/format.js';
import { startHttpsEmulator } from '../src/testing/https-emulator.js';
import type { UnifiEmulator, UnifiEmulatorOptions } from '../src/testing/unifi/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import { EXAMPLE_DNS_RECORDS, exampleUnifiArtifactSet, labUnifiArtifactSet } from './client-fixtures.js';

const API_KEY = 'emulated-unifi-api-key-0001';
const ADMIN = { username: 'sdk-admin', password: 'emulated-admin-password' };
const open: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

async function emulator(options: UnifiEmulatorOptions = {}): Promise<UnifiEmulator> {
  const unifi = await startUnifiEmulator({ apiKey: API_KEY, admin: ADMIN, ...options });
  open.push(unifi);
  return unifi;
}

function client(unifi: UnifiEmulator, credentials: UnifiCredentials): UnifiClient {
  const unifiClient = new UnifiClient({
    url: unifi.url,
    credentials,
    tls: { fingerprint256: unifi.fingerprint256 },
    retry: { baseDelayMs: 5 },
  });
  open.push(unifiClient);
  return unifiClient;
}

const byKey: UnifiCredentials = { kind: 'api-key', apiKey: API_KEY };
const byLogin: UnifiCredentials = { kind: 'login', ...ADMIN };

function seed(unifi: UnifiEmulator): void {
  unifi.state.dnsRecords.push(
    {
      _id: 'r1',
      site_id: 'site-default',
      key: 'stale.spaceships.work',
      record_type: 'A',
      value: '192.168.10.99',
      ttl: 0,
      enabled: true,
    },
    {
      _id: 'r2',
      site_id: 'site-default',
      key: 'gateway.spaceships.work',
      record_type: 'A',
      value: '192.168.10.1',
      ttl: 0,
      enabled: true,
      attr_no_delete: true,
    },
    {
      _id: 'r3',
      site_id: 'site-default',
      key: 'dhcp-host.spaceships.work',
      record_type: 'A',
      value: '192.168.10.50',
      ttl: 0,
      enabled: true,
      attr_hidden: true,
    },
    {
      _id: 'r4',
      site_id: 'site-default',
      key: 'spaceships.work',
      record_type: 'MX',
      value: 'mail.spaceships.work',
      ttl: 0,
      enabled: true,
    },
    {
      _id: 'r5',
      site_id: 'site-default',
      key: 'nas.home.arpa',
      record_type: 'A',
      value: '192.168.1.5',
      ttl: 0,
      enabled: true,
    },
    {
      _id: 'r6',
      site_id: 'site-default',
      key: 'old.spaceships.work',
      record_type: 'CNAME',
      value: 'stale.spaceships.work',
      ttl: 0,
      enabled: true,
    },
  );
  unifi.state.routes.push(
    route('x1', 'isp-backup', { 'static-route_type': 'blackhole', 'static-route_network': '10.99.0.0/16' }),
    route('x2', 'talos-sdk:spaceships:retired', { 'static-route_network': '192.168.7.0/24' }),
    route('x3', 'talos-sdk:retired', { 'static-route_network': '192.168.8.0/24' }),
    route('x4', 'talos-sdk:other-lab:retired', { 'static-route_network': '192.168.9.0/24' }),
  );
}

function route(id: string, name: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    _id: id,
    site_id: 'site-default',
    name,
    type: 'static-route',
    'static-route_type': 'nexthop-route',
    'static-route_nexthop': '192.168.3.1',
    enabled: true,
    ...fields,
  };
}

describe('UniFi plan and apply against the emulator', () => {
  it("with no route declared, creates the record, deletes only this topology's routes, and a second plan is all no-op", async () => {
    const unifi = await emulator();
    seed(unifi);
    const unifiClient = client(unifi, byKey);
    const set = exampleUnifiArtifactSet();
    const result = await applyUnifi(set, unifiClient);
    expect(result.applied.map((change) => `${change.action} ${change.kind} ${change.id}`)).toEqual([
      'create static-dns omni.spaceships.work A',
      'delete static-route talos-sdk:spaceships:retired',
    ]);
    expect(unifi.state.routes.map((route) => route['name'])).toEqual([
      'isp-backup',
      'talos-sdk:retired',
      'talos-sdk:other-lab:retired',
    ]);
    expect(unifi.state.dnsRecords).toHaveLength(7);

    const second = await planUnifi(set, unifiClient);
    expect(second.changes.every((change) => change.action === 'no-op')).toBe(true);
    expect(second.unmanaged.filter((item) => item.kind === 'static-route')).toEqual([
      { kind: 'static-route', id: 'isp-backup', reason: 'name does not start with talos-sdk:spaceships:' },
      {
        kind: 'static-route',
        id: 'talos-sdk:other-lab:retired',
        reason: 'name does not start with talos-sdk:spaceships:',
      },
      {
        kind: 'static-route',
        id: 'talos-sdk:retired',
        reason:
          'written before route names carried the topology and not declared here (another topology may own it); rename or delete it by hand',
      },
    ]);
    expect(second.unmanaged).toContainEqual({
      kind: 'static-dns',
      id: 'stale.spaceships.work A',
      reason: 'not declared; the prune option is off',
      // Inside the zone: drift reports it as an object in the SDK's namespace.
      inSdkNamespace: true,
    });
    expect(second.unmanaged).toContainEqual({
      kind: 'static-dns',
      id: 'nas.home.arpa A',
      reason: 'outside zone spaceships.work',
    });
    expect(unifi.state.requests.every((request) => request.auth === 'api-key')).toBe(true);
  });

  it("creates the lab's route to the subnet behind its second router, repairs a drifted next hop, then plans nothing", async () => {
    const unifi = await emulator({ sites: ['lab'] });
    const unifiClient = client(unifi, byKey);
    const set = labUnifiArtifactSet();
    const result = await applyUnifi(set, unifiClient);
    expect(result.applied.map((change) => `${change.action} ${change.kind} ${change.id}`)).toEqual([
      'create static-dns omni.lab.example.net A',
      'create static-route talos-sdk:single-site:bench',
    ]);
    expect(unifi.state.routes).toEqual([
      expect.objectContaining({
        site_id: 'site-lab',
        'static-route_type': 'nexthop-route',
        'static-route_network': '10.40.0.0/24',
        'static-route_nexthop': '10.20.0.2',
      }),
    ]);
    unifi.state.routes[0]!['static-route_nexthop'] = '10.20.0.254';
    const drift = await planUnifi(set, unifiClient);
    expect(drift.changes.find((change) => change.kind === 'static-route')).toMatchObject({
      action: 'update',
      fields: [{ path: 'static-route_nexthop', before: '10.20.0.254', after: '10.20.0.2' }],
    });
    await applyUnifi(set, unifiClient);
    expect((await planUnifi(set, unifiClient)).changes.every((change) => change.action === 'no-op')).toBe(true);
  });

  it('plans a differing record it cannot prove it wrote as adopt, and rewrites it only with adopt', async () => {
    const unifi = await emulator();
    unifi.state.dnsRecords.push({
      _id: 'hand-made',
      site_id: 'site-default',
      key: 'omni.spaceships.work',
      record_type: 'A',
      value: '192.168.10.21',
      ttl: 0,
      enabled: true,
    });
    const unifiClient = client(unifi, byKey);
    const set = exampleUnifiArtifactSet();
    const plan = await planUnifi(set, unifiClient);
    expect(plan.changes.find((change) => change.kind === 'static-dns')).toMatchObject({
      action: 'adopt',
      fields: [{ path: 'value', before: '192.168.10.21', after: '192.168.10.20' }],
    });
    expect(formatPlan(plan)).toContain('    > omni.spaceships.work A');
    expect(formatPlan(plan)).toContain('1 to adopt');

    const refused = await applyUnifi(set, unifiClient);
    expect(refused.applied).toEqual([]);
    expect(refused.skipped.map((change) => `${change.action} ${change.id}`)).toEqual(['adopt omni.spaceships.work A']);
    expect(unifi.state.dnsRecords[0]).toMatchObject({ _id: 'hand-made', value: '192.168.10.21' });

    const adopted = await applyUnifi(set, unifiClient, { adopt: true });
    expect(adopted.applied.map((change) => `${change.action} ${change.id}`)).toEqual(['adopt omni.spaceships.work A']);
    expect(unifi.state.dnsRecords).toEqual([
      expect.objectContaining({ _id: 'hand-made', value: '192.168.10.20', site_id: 'site-default' }),
    ]);
    expect((await planUnifi(set, unifiClient)).changes.every((change) => change.action === 'no-op')).toBe(true);
  });

  it('updates a differing record inside the zone it prunes without asking: prune claims the zone', async () => {
    const unifi = await emulator();
    const unifiClient = client(unifi, byKey);
    const pruning = exampleUnifiArtifactSet({ ...EXAMPLE_DNS_RECORDS, prune: true });
    await applyUnifi(pruning, unifiClient);
    unifi.state.dnsRecords[0]!['value'] = '192.168.10.21';
    const result = await applyUnifi(pruning, unifiClient);
    expect(result.applied.map((change) => `${change.action} ${change.id}`)).toEqual(['update omni.spaceships.work A']);
    expect(unifi.state.dnsRecords).toEqual([expect.objectContaining({ value: '192.168.10.20' })]);
  });

  it('falls back to delete + create when the console refuses PUT on static-dns, and plans so from then on', async () => {
    const unifi = await emulator({ staticDnsPut: 'refused' });
    const unifiClient = client(unifi, byKey);
    const pruning = exampleUnifiArtifactSet({ ...EXAMPLE_DNS_RECORDS, prune: true });
    await applyUnifi(pruning, unifiClient);
    unifi.state.dnsRecords[0]!['value'] = '192.168.10.21';
    const result = await applyUnifi(pruning, unifiClient);
    expect(result.applied.map((change) => `${change.action} ${change.id}`)).toEqual(['update omni.spaceships.work A']);
    expect(unifi.state.dnsRecords).toEqual([
      expect.objectContaining({ value: '192.168.10.20', ttl: 0, enabled: true }),
    ]);

    unifi.state.dnsRecords[0]!['value'] = '192.168.10.22';
    const plan = await planUnifi(pruning, unifiClient);
    expect(plan.changes.find((change) => change.kind === 'static-dns')?.note).toContain(
      'delete + create: this console refuses PUT on static-dns',
    );
    await applyUnifi(pruning, unifiClient);
    expect(unifi.state.dnsRecords).toEqual([expect.objectContaining({ value: '192.168.10.20' })]);
    const writes = unifi.state.requests
      .filter((request) => request.method !== 'GET' && request.path.includes('static-dns'))
      .map((request) => request.method);
    expect(writes).toEqual(['POST', 'PUT', 'DELETE', 'POST', 'DELETE', 'POST']);
  });

  it('prunes only undeclared A/AAAA/CNAME records inside the zone that the console does not protect', async () => {
    const unifi = await emulator();
    seed(unifi);
    const unifiClient = client(unifi, byKey);
    const pruning = exampleUnifiArtifactSet({ ...EXAMPLE_DNS_RECORDS, prune: true });

    const plan = await planUnifi(pruning, unifiClient);
    expect(
      plan.changes
        .filter((change) => change.action === 'delete' && change.kind === 'static-dns')
        .map((change) => change.id),
    ).toEqual(['old.spaceships.work CNAME', 'stale.spaceships.work A']);
    expect(plan.unmanaged.filter((item) => item.kind === 'static-dns')).toEqual([
      {
        kind: 'static-dns',
        id: 'dhcp-host.spaceships.work A',
        reason: 'protected by the console (attr_no_delete/attr_hidden)',
      },
      {
        kind: 'static-dns',
        id: 'gateway.spaceships.work A',
        reason: 'protected by the console (attr_no_delete/attr_hidden)',
      },
      { kind: 'static-dns', id: 'nas.home.arpa A', reason: 'outside zone spaceships.work' },
      { kind: 'static-dns', id: 'spaceships.work MX', reason: 'MX records are never pruned' },
    ]);
    await applyUnifi(pruning, unifiClient);
    expect(unifi.state.dnsRecords.map((record) => record['_id']).sort()).toEqual(
      ['r2', 'r3', 'r4', 'r5', expect.any(String)].sort(),
    );

    const unifi2 = await emulator();
    seed(unifi2);
    const noPrune = await applyUnifi(exampleUnifiArtifactSet(), client(unifi2, byKey));
    expect(noPrune.applied.some((change) => change.kind === 'static-dns' && change.action === 'delete')).toBe(false);
    expect(unifi2.state.dnsRecords.filter((record) => ['r1', 'r6'].includes(String(record['_id'])))).toHaveLength(2);

    const withoutZone = { site: 'default', prune: true, records: EXAMPLE_DNS_RECORDS.records };
    const zoneless = await planUnifi(exampleUnifiArtifactSet(withoutZone), client(unifi2, byKey));
    expect(zoneless.changes.some((change) => change.action === 'delete' && change.kind === 'static-dns')).toBe(false);
  });
});

describe('UniFi session login', () => {
  it('follows CSRF rotation, logs in again once after the session expires, and waits out a throttled login', async () => {
    const unifi = await emulator({ csrfRotation: 'latest' });
    const unifiClient = client(unifi, byLogin);
    unifi.state.throttleLogins = 1;
    const set = exampleUnifiArtifactSet();
    await applyUnifi(set, unifiClient);
    const logins = (): number => unifi.state.requests.filter((request) => request.path === '/api/auth/login').length;
    expect(logins()).toBe(2);

    unifi.expireSessions();
    unifi.state.dnsRecords[0]!['ttl'] = 300;
    const result = await applyUnifi(set, unifiClient, { adopt: true });
    expect(result.applied.map((change) => change.id)).toEqual(['omni.spaceships.work A']);
    expect(logins()).toBe(3);
    expect((await planUnifi(set, unifiClient)).changes.every((change) => change.action === 'no-op')).toBe(true);
  });

  it.each(['x-updated-csrf-token', 'x-csrf-token'] as const)(
    'follows a CSRF token rotated in %s without logging in again',
    async (csrfRotationHeader) => {
      const unifi = await emulator({ csrfRotationHeader, csrfRotation: 'latest', sites: ['lab'] });
      const unifiClient = client(unifi, byLogin);
      const result = await applyUnifi(labUnifiArtifactSet(), unifiClient);
      expect(result.applied.length).toBeGreaterThan(1);
      expect(unifi.state.requests.filter((request) => request.path === '/api/auth/login')).toHaveLength(1);
    },
  );

  it('takes the rotated CSRF token from X-Updated-CSRF-Token when a response carries both headers', async () => {
    const received: unknown[] = [];
    let rotation = 0;
    const console = await startHttpsEmulator((request) => {
      if (request.path === '/api/auth/login') {
        return {
          status: 200,
          headers: { 'set-cookie': ['TOKEN=session; path=/'], 'x-csrf-token': 'csrf-0' },
          body: {},
        };
      }
      received.push(request.headers['x-csrf-token']);
      rotation++;
      return {
        status: 200,
        headers: { 'x-updated-csrf-token': `csrf-${rotation}`, 'x-csrf-token': `other-${rotation}` },
        body: {},
      };
    });
    open.push(console);
    const unifiClient = new UnifiClient({ url: console.url, credentials: byLogin, tls: { ca: console.caPem } });
    open.push(unifiClient);
    for (let write = 0; write < 3; write++) await unifiClient.request('POST', '/proxy/network/v2/api/x', { json: {} });
    expect(received).toEqual(['csrf-0', 'csrf-1', 'csrf-2']);
  });

  it('reports a wrong API key as an authentication error without the key in it', async () => {
    const unifi = await emulator();
    const wrong = 'wrong-key-should-not-leak';
    const error = await planUnifi(exampleUnifiArtifactSet(), client(unifi, { kind: 'api-key', apiKey: wrong })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(HttpAuthenticationError);
    expect((error as HttpAuthenticationError).request.headers['x-api-key']).toBe('[REDACTED]');
    expect(JSON.stringify(error) + String(error)).not.toContain(wrong);
  });
});
