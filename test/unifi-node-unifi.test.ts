import { X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import type { UnifiEmulator, UnifiEmulatorOptions } from '../src/testing/unifi/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';

/** The part of node-unifi's `Controller` this test drives (the package ships no types). */
interface NodeUnifiController {
  login(): Promise<boolean>;
  logout(): Promise<unknown>;
  getSites(): Promise<{ name: string; desc: string }[]>;
  getNetworkConf(): Promise<Record<string, unknown>[]>;
  getRouting(): Promise<Record<string, unknown>[]>;
  customApiRequest(path: string, method?: string | null, payload?: unknown): Promise<unknown>;
}

interface NodeUnifiOptions {
  host: string;
  port: number;
  username: string;
  password: string;
  sslverify: boolean;
}

const { Controller } = createRequire(import.meta.url)('node-unifi') as {
  Controller: new (options: NodeUnifiOptions) => NodeUnifiController;
};

const ADMIN = { username: 'sdk-admin', password: 'emulated-admin-password' };
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

async function emulator(options: UnifiEmulatorOptions = {}): Promise<UnifiEmulator> {
  const unifi = await startUnifiEmulator({ admin: ADMIN, ...options });
  open.push(unifi);
  return unifi;
}

function controllerFor(unifi: UnifiEmulator): NodeUnifiController {
  const url = new URL(unifi.url);
  // node-unifi verifies TLS against the system store only; the emulator's certificate is self-signed, like a console's.
  return new Controller({ host: url.hostname, port: Number(url.port), ...ADMIN, sslverify: false });
}

const ROUTE = {
  name: 'bench',
  type: 'static-route',
  'static-route_type': 'nexthop-route',
  'static-route_network': '10.40.0.0/24',
  'static-route_nexthop': '10.20.0.2',
  'static-route_distance': 1,
  enabled: true,
  gateway_type: 'default',
};

describe('node-unifi (a widely used third-party client) against the UniFi emulator', () => {
  it('detects UniFi OS, logs in, lists sites, networks and routes, writes routes and static DNS, and logs out', async () => {
    const unifi = await emulator();
    const controller = controllerFor(unifi);
    expect(await controller.login()).toBe(true);
    expect(unifi.state.requests[0]).toEqual({ method: 'GET', path: '/', auth: 'none' });
    expect(unifi.state.requests[1]).toMatchObject({ method: 'POST', path: '/api/auth/login' });

    expect((await controller.getSites()).map((site) => site.name)).toEqual(['default']);
    expect(await controller.getNetworkConf()).toEqual([
      expect.objectContaining({ name: 'Default', purpose: 'corporate', ip_subnet: '192.168.1.1/24' }),
    ]);
    expect(await controller.getRouting()).toEqual([]);

    // Several writes with the login's CSRF token: node-unifi follows only a rotated X-CSRF-Token.
    const [route] = (await controller.customApiRequest('/api/s/<SITE>/rest/routing', 'POST', ROUTE)) as {
      _id: string;
    }[];
    expect(await controller.getRouting()).toEqual([expect.objectContaining({ name: 'bench', _id: route!._id })]);
    const record = (await controller.customApiRequest('/v2/api/site/<SITE>/static-dns', 'POST', {
      key: 'omni.lab.example.net',
      record_type: 'A',
      value: '10.20.0.20',
    })) as { _id: string };
    await controller.customApiRequest(`/v2/api/site/<SITE>/static-dns/${record._id}`, 'PUT', {
      key: 'omni.lab.example.net',
      record_type: 'A',
      value: '10.20.0.21',
    });
    expect(await controller.customApiRequest('/v2/api/site/<SITE>/static-dns')).toEqual([
      expect.objectContaining({ key: 'omni.lab.example.net', value: '10.20.0.21', ttl: 0, enabled: true }),
    ]);
    await controller.customApiRequest(`/api/s/<SITE>/rest/routing/${route!._id}`, 'DELETE');
    expect(unifi.state.routes).toEqual([]);

    const sessions = (): boolean[] => [...unifi.state.sessions.values()].map((session) => session.valid);
    expect(sessions()).toEqual([true]);
    await controller.logout();
    expect(sessions()).toEqual([false]);
    // Every call checked the session first with GET /api/users/self, as node-unifi does.
    expect(unifi.state.requests.filter((request) => request.path === '/api/users/self').length).toBeGreaterThan(5);
    expect(unifi.state.requests.filter((request) => request.path === '/api/auth/login')).toHaveLength(1);
  });

  it('issues the session as a JWT carrying the CSRF token, from a certificate of its own', async () => {
    const unifi = await emulator();
    await controllerFor(unifi).login();
    const [token, session] = [...unifi.state.sessions][0]!;
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({ csrfToken: session.csrf, exp: expect.any(Number), iat: expect.any(Number) });
    expect(new X509Certificate(unifi.caPem).subject).toContain('UniFi OS emulator');
  });

  it('refuses the second write of a client that keeps the login token only when rotation is strict', async () => {
    const unifi = await emulator({ csrfRotation: 'latest' });
    const controller = controllerFor(unifi);
    await controller.login();
    await controller.customApiRequest('/api/s/<SITE>/rest/routing', 'POST', ROUTE);
    await expect(
      controller.customApiRequest('/api/s/<SITE>/rest/routing', 'POST', { ...ROUTE, name: 'second' }),
    ).rejects.toThrow(/403/);
  });
});
