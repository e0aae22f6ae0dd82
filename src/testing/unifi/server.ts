import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorReply, EmulatorRequest, FaultOptions } from '../https-emulator.js';
import { startHttpsEmulator } from '../https-emulator.js';
import type { RoundTripLog } from '../round-trips.js';
import type { UnifiEmulatorState } from './state.js';

/** How to start a {@link UnifiEmulator}. */
export interface UnifiEmulatorOptions {
  /** Accepted `X-API-KEY`; API-key auth is off when absent. */
  readonly apiKey?: string;
  /** Local admin for `POST /api/auth/login`; login is off when absent. */
  readonly admin?: {
    /** User name. */
    readonly username: string;
    /** Password. */
    readonly password: string;
  };
  /** Sites. Defaults to `default`. */
  readonly sites?: readonly string[];
  /**
   * The response header a write carries its rotated CSRF token in: `x-updated-csrf-token` (the default) or
   * `x-csrf-token`, as consoles differ.
   */
  readonly csrfRotationHeader?: 'x-updated-csrf-token' | 'x-csrf-token';
  /**
   * Which CSRF tokens a write may carry: `session` (the default) accepts every token issued in the session, the
   * login's included, which is what consoles do in practice (widely used clients such as node-unifi keep sending the
   * login's token and see no failures); `latest` accepts only the newest one.
   */
  readonly csrfRotation?: 'session' | 'latest';
  /**
   * `PUT …/static-dns/{id}`: `accepted` (the default), or `refused` with `405` as some Network application versions
   * do; clients then delete and create the record.
   */
  readonly staticDnsPut?: 'accepted' | 'refused';
  /** `Retry-After` seconds of a throttled login. Defaults to 1. */
  readonly loginRetryAfterSeconds?: number;
  /** Faults to inject. */
  readonly faults?: FaultOptions;
}

/** A running UniFi OS console emulator (Network application under `/proxy/network`). */
export interface UnifiEmulator {
  /** Origin, `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** The self-signed certificate, PEM (subject `CN=unifi.local, O=talos-sdk UniFi OS emulator`). */
  readonly caPem: string;
  /** SHA-256 fingerprint of the certificate. */
  readonly fingerprint256: string;
  /** The emulated console; read it in assertions, seed it before a test. */
  readonly state: UnifiEmulatorState;
  /** Every request served, faulted ones included. */
  readonly roundTrips: RoundTripLog;
  /** Ends every session, so the next session request gets 401. */
  expireSessions(): void;
  /** Replaces the fault settings. */
  setFaults(faults: FaultOptions): void;
  /** Stops the server. */
  close(): Promise<void>;
}

const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SRV', 'TXT'];
const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}$/;
const CIDR = /^[\d.]+\/\d{1,2}$|^[0-9a-fA-F:]+\/\d{1,3}$/;
const SESSION_SECONDS = 7200;
const NETWORK_API = '/proxy/network/api';
/** The page a UniFi OS console serves at `/`; clients (node-unifi, go-unifi) take its `200` for "UniFi OS". */
const CONSOLE_PAGE = '<!doctype html><html><head><title>UniFi OS</title></head><body></body></html>';

/**
 * Starts a UniFi OS console emulator: `GET /` answers 200 (UniFi OS, not a standalone controller), v1 envelopes on
 * `self/sites`, `rest/networkconf` and `rest/routing`, v2 bare JSON on `static-dns`, API keys, session logins (a
 * JWT `TOKEN` cookie carrying `csrfToken`, `GET /api/users/self`, `POST /api/auth/logout`) with CSRF rotation
 * (`X-Updated-CSRF-Token` or `X-CSRF-Token`), session expiry (401) and login throttling (429 with `Retry-After`).
 *
 * @param options - Credentials, sites, version quirks and faults.
 * @returns The running emulator.
 *
 * @example
 * ```ts
 * import { UnifiClient } from '@talos-sdk/topology/unifi';
 * import { startUnifiEmulator } from '@talos-sdk/topology/testing';
 *
 * const unifi = await startUnifiEmulator({ apiKey: 'test-only' });
 * const client = new UnifiClient({
 *   url: unifi.url,
 *   credentials: { kind: 'api-key', apiKey: 'test-only' },
 *   tls: { fingerprint256: unifi.fingerprint256 },
 * });
 * await client.close();
 * await unifi.close();
 * ```
 */
export async function startUnifiEmulator(options: UnifiEmulatorOptions = {}): Promise<UnifiEmulator> {
  const sites = [...(options.sites ?? ['default'])];
  const siteId = (site: string): string => `site-${site}`;
  const newId = (): string => randomBytes(12).toString('hex');
  const state: UnifiEmulatorState = {
    sites,
    networks: sites.map((site) => defaultNetwork(newId(), siteId(site))),
    dnsRecords: [],
    routes: [],
    sessions: new Map(),
    throttleLogins: 0,
    requests: [],
    creations: [],
  };
  const jwtSecret = randomBytes(32);
  const userId = newId();

  function handle(request: EmulatorRequest): EmulatorReply {
    const { method, path } = request;
    if (method === 'GET' && path === '/') {
      state.requests.push({ method, path, auth: 'none' });
      return { status: 200, body: CONSOLE_PAGE, contentType: 'text/html; charset=utf-8' };
    }
    if (method === 'POST' && path === '/api/auth/login') {
      state.requests.push({ method, path, auth: 'none' });
      return login(request.body as { username?: string; password?: string });
    }
    const v1 = /^\/proxy\/network\/api\/s\/([^/]+)\/rest\/(routing|networkconf)(?:\/([^/]*))?\/?$/.exec(path);
    const v2 = /^\/proxy\/network\/v2\/api\/site\/([^/]+)\/static-dns(?:\/([^/]*))?\/?$/.exec(path);
    const auth = authenticate(request);
    state.requests.push({ method, path, auth: typeof auth === 'string' ? auth : 'none' });
    const envelope = path.startsWith(`${NETWORK_API}/`);
    if (typeof auth !== 'string') {
      const msg = auth.status === 403 ? 'api.err.InvalidCSRF' : 'api.err.LoginRequired';
      return envelope ? { ...auth, body: { meta: { rc: 'error', msg }, data: [] } } : auth;
    }
    const rotated: Record<string, string> = {};
    if (auth === 'session' && method !== 'GET') {
      const session = state.sessions.get(sessionToken(request)!)!;
      session.csrf = randomBytes(16).toString('hex');
      session.issued.push(session.csrf);
      rotated[options.csrfRotationHeader ?? 'x-updated-csrf-token'] = session.csrf;
    }
    let reply: EmulatorReply;
    if (method === 'GET' && path === '/api/users/self') reply = self(auth);
    else if (method === 'POST' && path === '/api/auth/logout') reply = logout(request);
    else if (method === 'GET' && path === `${NETWORK_API}/self/sites`) reply = v1Reply(200, sites.map(siteEntry));
    else if (v1?.[2] === 'routing') reply = routing(request, decodeURIComponent(v1[1]!), segment(v1[3]));
    else if (v1) reply = networkconf(request, decodeURIComponent(v1[1]!), segment(v1[3]));
    else if (v2) reply = staticDns(request, decodeURIComponent(v2[1]!), segment(v2[2]));
    else if (envelope) reply = v1Reply(404, [], 'api.err.NotFound');
    else reply = { status: 404, body: { code: 'api.err.NotFound', message: 'not found', errorCode: 404 } };
    return { ...reply, headers: { ...reply.headers, ...rotated } };
  }

  function sessionToken(request: EmulatorRequest): string | undefined {
    return /(?:^|;\s*)TOKEN=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
  }

  function authenticate(request: EmulatorRequest): 'api-key' | 'session' | EmulatorReply {
    const key = request.headers['x-api-key'];
    if (key !== undefined) {
      return options.apiKey !== undefined && key === options.apiKey
        ? 'api-key'
        : { status: 401, body: { code: 'api.err.Invalid', message: 'invalid API key', errorCode: 401 } };
    }
    const token = sessionToken(request);
    const session = token ? state.sessions.get(token) : undefined;
    if (!session?.valid)
      return { status: 401, body: { code: 'api.err.LoginRequired', message: 'login required', errorCode: 401 } };
    const csrf = request.headers['x-csrf-token'];
    const accepted =
      (options.csrfRotation ?? 'session') === 'session'
        ? typeof csrf === 'string' && session.issued.includes(csrf)
        : csrf === session.csrf;
    if (request.method !== 'GET' && !accepted) {
      return { status: 403, body: { code: 'api.err.InvalidCSRF', message: 'invalid CSRF token', errorCode: 403 } };
    }
    return 'session';
  }

  function login(body: { username?: string; password?: string }): EmulatorReply {
    if (state.throttleLogins > 0) {
      state.throttleLogins--;
      return {
        status: 429,
        headers: { 'retry-after': String(options.loginRetryAfterSeconds ?? 1) },
        body: { code: 'AUTHENTICATION_FAILED_LIMIT_REACHED', message: 'too many login attempts' },
      };
    }
    if (!options.admin || body.username !== options.admin.username || body.password !== options.admin.password) {
      return {
        status: 401,
        body: { code: 'AUTHENTICATION_FAILED_INVALID_CREDENTIALS', message: 'invalid username or password' },
      };
    }
    const csrf = randomBytes(16).toString('hex');
    const now = Math.floor(Date.now() / 1000);
    // UniFi OS issues the session as a JWT whose payload carries the CSRF token, which some clients read from it.
    const token = signedJwt(jwtSecret, {
      userId,
      passwordRevision: 1,
      isRemembered: false,
      csrfToken: csrf,
      iat: now,
      exp: now + SESSION_SECONDS,
      jti: randomUUID(),
    });
    state.sessions.set(token, { csrf, issued: [csrf], valid: true });
    return {
      status: 200,
      headers: {
        'set-cookie': [`TOKEN=${token}; path=/; samesite=none; secure; httponly`],
        'x-csrf-token': csrf,
      },
      body: selfBody(body.username ?? ''),
    };
  }

  function selfBody(username: string): Record<string, unknown> {
    return { unique_id: userId, username, first_name: '', last_name: '', isOwner: false, local_account_exist: true };
  }

  function self(auth: 'api-key' | 'session'): EmulatorReply {
    if (auth !== 'session') return v2Error(401, 'api.err.LoginRequired', 'login required');
    return { status: 200, body: selfBody(options.admin?.username ?? '') };
  }

  function logout(request: EmulatorRequest): EmulatorReply {
    const session = state.sessions.get(sessionToken(request) ?? '');
    if (session) session.valid = false;
    return {
      status: 200,
      headers: { 'set-cookie': ['TOKEN=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; secure; httponly'] },
      body: {},
    };
  }

  function siteEntry(site: string): Record<string, unknown> {
    return { _id: siteId(site), name: site, desc: site === 'default' ? 'Default' : site, role: 'admin' };
  }

  function v2Error(status: number, code: string, message: string): EmulatorReply {
    return { status, body: { code, message, errorCode: status } };
  }

  function staticDns(request: EmulatorRequest, site: string, id: string | undefined): EmulatorReply {
    if (!state.sites.includes(site)) return v2Error(404, 'api.err.SiteNotFound', `site ${site} not found`);
    const index =
      id === undefined
        ? -1
        : state.dnsRecords.findIndex((record) => record['_id'] === id && record['site_id'] === siteId(site));
    if (request.method === 'PUT' && id !== undefined && options.staticDnsPut === 'refused')
      return v2Error(405, 'api.err.MethodNotAllowed', "Request method 'PUT' is not supported");
    if (id !== undefined && index < 0) return v2Error(404, 'api.err.NotFound', `static-dns ${id} not found`);
    if (request.method === 'GET' && id === undefined)
      return { status: 200, body: state.dnsRecords.filter((record) => record['site_id'] === siteId(site)) };
    if (request.method === 'DELETE' && id !== undefined) {
      if (state.dnsRecords[index]!['attr_no_delete'])
        return v2Error(400, 'api.err.RecordNotDeletable', 'record cannot be deleted');
      state.dnsRecords.splice(index, 1);
      return { status: 200, body: {} };
    }
    if (request.method === 'POST' || request.method === 'PUT') {
      const body = request.body as Record<string, unknown>;
      const invalid = checkDnsRecord(body);
      if (invalid) return v2Error(400, 'api.err.InvalidPayload', invalid);
      if (request.method === 'POST' && id === undefined) {
        const record = { enabled: true, ttl: 0, ...body, _id: newId(), site_id: siteId(site) };
        state.dnsRecords.push(record);
        state.creations.push(`static-dns/${String(body['key'])} ${String(body['record_type'])}`);
        return { status: 200, body: record };
      }
      if (request.method === 'PUT' && id !== undefined) {
        if (state.dnsRecords[index]!['attr_no_edit'])
          return v2Error(400, 'api.err.RecordNotEditable', 'record cannot be edited');
        const record = { ...state.dnsRecords[index], ...body, _id: id, site_id: siteId(site) };
        state.dnsRecords[index] = record;
        return { status: 200, body: record };
      }
    }
    return v2Error(405, 'api.err.MethodNotAllowed', `${request.method} not allowed`);
  }

  function networkconf(request: EmulatorRequest, site: string, id: string | undefined): EmulatorReply {
    if (!state.sites.includes(site)) return v1Reply(400, [], 'api.err.NoSiteContext');
    if (request.method !== 'GET') return v1Reply(400, [], 'api.err.InvalidRequest');
    const networks = state.networks.filter((network) => network['site_id'] === siteId(site));
    if (id === undefined) return v1Reply(200, networks);
    const network = networks.find((candidate) => candidate['_id'] === id);
    return network ? v1Reply(200, [network]) : v1Reply(400, [], 'api.err.IdInvalid');
  }

  function routing(request: EmulatorRequest, site: string, id: string | undefined): EmulatorReply {
    if (!state.sites.includes(site)) return v1Reply(400, [], 'api.err.NoSiteContext');
    const index =
      id === undefined
        ? -1
        : state.routes.findIndex((route) => route['_id'] === id && route['site_id'] === siteId(site));
    if (id !== undefined && index < 0) return v1Reply(400, [], 'api.err.IdInvalid');
    if (request.method === 'GET')
      return v1Reply(
        200,
        id === undefined ? state.routes.filter((route) => route['site_id'] === siteId(site)) : [state.routes[index]],
      );
    if (request.method === 'DELETE' && id !== undefined) {
      state.routes.splice(index, 1);
      return v1Reply(200, []);
    }
    if (request.method === 'POST' || request.method === 'PUT') {
      const body = request.body as Record<string, unknown>;
      const merged = request.method === 'PUT' ? { ...state.routes[index], ...body } : body;
      const invalid = checkRoute(merged);
      if (invalid) return v1Reply(400, [], `api.err.InvalidPayload: ${invalid}`);
      if (request.method === 'POST' && id === undefined) {
        const route = { 'static-route_interface': '', ...body, _id: newId(), site_id: siteId(site) };
        state.routes.push(route);
        state.creations.push(`static-route/${String(body['name'])}`);
        return v1Reply(200, [route]);
      }
      if (request.method === 'PUT' && id !== undefined) {
        const route = { ...merged, _id: id, site_id: siteId(site) };
        state.routes[index] = route;
        return v1Reply(200, [route]);
      }
    }
    return v1Reply(400, [], 'api.err.InvalidRequest');
  }

  const server = await startHttpsEmulator(handle, options.faults, {
    subject: { commonName: 'unifi.local', organizationName: 'talos-sdk UniFi OS emulator' },
  });
  return {
    url: server.url,
    caPem: server.caPem,
    fingerprint256: server.fingerprint256,
    state,
    roundTrips: server.roundTrips,
    expireSessions(): void {
      for (const session of state.sessions.values()) session.valid = false;
    },
    setFaults: server.setFaults,
    close: server.close,
  };
}

/** An object id from a path segment; an empty segment (a trailing slash) names the collection. */
function segment(value: string | undefined): string | undefined {
  return value ? decodeURIComponent(value) : undefined;
}

function v1Reply(status: number, data: unknown[], msg?: string): EmulatorReply {
  return { status, body: { meta: msg ? { rc: 'error', msg } : { rc: 'ok' }, data } };
}

/** The network every site starts with: the gateway's default LAN, which the console will not delete. */
function defaultNetwork(id: string, siteId: string): Record<string, unknown> {
  return {
    _id: id,
    site_id: siteId,
    name: 'Default',
    purpose: 'corporate',
    networkgroup: 'LAN',
    ip_subnet: '192.168.1.1/24',
    vlan_enabled: false,
    dhcpd_enabled: true,
    dhcpd_start: '192.168.1.6',
    dhcpd_stop: '192.168.1.254',
    enabled: true,
    attr_hidden_id: 'LAN',
    attr_no_delete: true,
  };
}

function signedJwt(secret: Buffer, claims: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

function checkDnsRecord(body: Record<string, unknown>): string | undefined {
  const key = body['key'];
  const value = body['value'];
  const ttl = body['ttl'];
  if (typeof key !== 'string' || key.length < 1 || key.length > 128) return 'key must be 1-128 characters';
  if (typeof body['record_type'] !== 'string' || !RECORD_TYPES.includes(body['record_type']))
    return `record_type must be one of ${RECORD_TYPES.join(', ')}`;
  if (typeof value !== 'string' || value.length < 1 || value.length > 256) return 'value must be 1-256 characters';
  if (body['record_type'] === 'A' && !IPV4.test(value)) return 'value of an A record must be an IPv4 address';
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > 65535))
    return 'ttl must be an integer 0-65535';
  if (body['enabled'] !== undefined && typeof body['enabled'] !== 'boolean') return 'enabled must be a boolean';
  return undefined;
}

function checkRoute(body: Record<string, unknown>): string | undefined {
  const name = body['name'];
  if (typeof name !== 'string' || name.length < 1 || name.length > 128) return 'name must be 1-128 characters';
  if (body['type'] !== 'static-route') return 'type must be static-route';
  if (!['nexthop-route', 'interface-route', 'blackhole'].includes(String(body['static-route_type'])))
    return 'static-route_type is invalid';
  if (typeof body['static-route_network'] !== 'string' || !CIDR.test(body['static-route_network']))
    return 'static-route_network must be a CIDR';
  const distance = body['static-route_distance'];
  if (distance !== undefined && (typeof distance !== 'number' || distance < 1 || distance > 255))
    return 'static-route_distance must be 1-255';
  if (
    body['static-route_type'] === 'nexthop-route' &&
    (typeof body['static-route_nexthop'] !== 'string' || !IPV4.test(body['static-route_nexthop']))
  ) {
    return 'static-route_nexthop must be an IPv4 address';
  }
  if (body['gateway_type'] !== undefined && !['default', 'switch'].includes(String(body['gateway_type'])))
    return 'gateway_type must be default or switch';
  if (body['enabled'] !== undefined && typeof body['enabled'] !== 'boolean') return 'enabled must be a boolean';
  return undefined;
}
