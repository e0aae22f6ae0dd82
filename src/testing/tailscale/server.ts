import { createHash, randomBytes } from 'node:crypto';
import type { EmulatorReply, EmulatorRequest, FaultOptions } from '../https-emulator.js';
import { startHttpsEmulator } from '../https-emulator.js';
import type { RoundTripLog } from '../round-trips.js';
import { seededRandom } from '../seeded-random.js';
import type { TailnetMember } from './policy-rules.js';
import { checkPolicy, parseHuJson } from './policy-rules.js';
import type { EmulatedDevice, EmulatedKey, TailscaleEmulatorState } from './state.js';

/** How to start a {@link TailscaleEmulator}. */
export interface TailscaleEmulatorOptions {
  /** Accepted API access token (`tskey-api-…`), as Basic auth user name or Bearer token; off when absent. */
  readonly apiKey?: string;
  /** Accepted OAuth client for `POST /api/v2/oauth/token`; off when absent. */
  readonly oauthClient?: {
    /** Client id. */
    readonly id: string;
    /** Client secret (`tskey-client-…`). */
    readonly secret: string;
  };
  /** Lifetime of an OAuth access token in seconds. Defaults to 3600 (Tailscale's one hour). */
  readonly tokenLifetimeSeconds?: number;
  /** Tailnet name, what `-` stands for. Defaults to `example.com`. */
  readonly tailnet?: string;
  /** MagicDNS suffix. Defaults to `tail1234.ts.net`. */
  readonly magicDnsSuffix?: string;
  /** The policy file before anyone writes it. Defaults to Tailscale's allow-all default policy. */
  readonly policy?: string;
  /**
   * The tailnet's members, for the policy's `autogroup:member` and `autogroup:admin` when its `tests` run. Defaults
   * to one owner, `owner@example.com`.
   */
  readonly members?: readonly TailnetMember[];
  /** `Retry-After` seconds of a throttled request (see `state.throttle`). Defaults to 0. */
  readonly retryAfterSeconds?: number;
  /** Faults to inject. */
  readonly faults?: FaultOptions;
}

/** A node joining the tailnet, for {@link TailscaleEmulator.joinDevice}. */
export interface JoiningDevice {
  /** `TS_HOSTNAME`. */
  readonly hostname: string;
  /** The auth key it logs in with: a single-use key is spent, and the node takes the key's tags. */
  readonly authKey?: string;
  /** Tags, when joining without a key (e.g. a node a person added). */
  readonly tags?: readonly string[];
  /** Tailnet IPv4; one is allocated when absent. */
  readonly ipv4?: string;
  /** Connected now. Defaults to `true`. */
  readonly online?: boolean;
  /** Creation time. Defaults to now. */
  readonly created?: Date;
  /** `keyExpiryDisabled`; defaults to `true` for a node tagged when it joins, as Tailscale does, else `false`. */
  readonly keyExpiryDisabled?: boolean;
}

/** A running Tailscale API emulator. */
export interface TailscaleEmulator {
  /** Origin, `https://127.0.0.1:<port>`: the client's `TS_API_URL`. */
  readonly url: string;
  /** The self-signed certificate, PEM (subject `CN=api.tailscale.local, O=talos-sdk Tailscale API emulator`). */
  readonly caPem: string;
  /** SHA-256 fingerprint of the certificate. */
  readonly fingerprint256: string;
  /** The emulated tailnet; read it in assertions, seed it before a test. */
  readonly state: TailscaleEmulatorState;
  /** Every request served, faulted ones included. */
  readonly roundTrips: RoundTripLog;
  /**
   * A node joins the tailnet, as a sidecar does on its first start (`tailscale up --authkey`).
   *
   * @throws Error when the auth key is unknown or already spent, as the control plane refuses the login.
   */
  joinDevice(device: JoiningDevice): EmulatedDevice;
  /** Sets the policy file as a person editing it in the admin console would (a new ETag). */
  editPolicy(text: string): void;
  /** The current policy file's ETag, quotes included. */
  policyEtag(): string;
  /** Replaces the fault settings. */
  setFaults(faults: FaultOptions): void;
  /** Stops the server. */
  close(): Promise<void>;
}

/** The policy file of a new tailnet: allow all (Tailscale's default policy). */
const DEFAULT_POLICY = `// Example/default ACLs for unrestricted connections.
{
  // Define access control lists for users, groups, autogroups, tags,
  // Tailscale IP addresses, and subnet ranges.
  "acls": [
    // Allow all connections.
    { "action": "accept", "src": ["*"], "dst": ["*:*"] },
  ],
}
`;

/** The longest key lifetime the API accepts: 90 days. */
const MAX_KEY_SECONDS = 90 * 24 * 3600;
const API = '/api/v2';

/**
 * Starts an emulator of the Tailscale API v2 subset the SDK uses, following the upstream contract as the official Go
 * client (tailscale/tailscale-client-go-v2) and the API reference describe it:
 *
 * - auth: an API access token as Basic auth user name or Bearer token, or an OAuth client exchanging
 *   `client_credentials` at `POST /api/v2/oauth/token` for a Bearer token with a lifetime (`expires_in`);
 * - `GET /tailnet/{tailnet}/devices` (`{devices: [...]}`; `hostname` is what the node reported, `name` its MagicDNS
 *   FQDN, which gets a `-1` suffix when the name is taken), `GET /device/{id}` (id or nodeId);
 * - `POST /device/{id}/tags` (tags must be defined in the policy's `tagOwners`, else 400 "requested tags … are invalid
 *   or not permitted"), `POST /device/{id}/key` (`keyExpiryDisabled`), `POST /device/{id}/ip` (`ipv4` inside
 *   100.64.0.0/10, not 100.100.100.100 and not held by another device, else 400);
 * - `POST/GET /tailnet/{tailnet}/keys`, `GET/DELETE /tailnet/{tailnet}/keys/{id}` (auth keys: the secret only in the
 *   create answer; a single-use key is spent, `invalid: true`, once a node joined with it; the list shows keys still
 *   usable);
 * - `GET /tailnet/{tailnet}/acl` (the HuJSON text as stored with `Accept: application/hujson`, JSON otherwise, and an
 *   `ETag`), `POST …/acl` (`If-Match` must be the current ETag, or `"ts-default"` while the policy was never written,
 *   else 412 "precondition failed, invalid old hash"), `POST …/acl/validate` (400 for a policy that cannot be used,
 *   200 with `{message, data}` when its `tests` fail, `{}` when valid).
 *
 * Errors are `{"message": …}` bodies. The tailnet is `-` or its name.
 *
 * @param options - Credentials, tailnet, initial policy and faults.
 * @returns The running emulator.
 *
 * @example
 * ```ts
 * import { startTailscaleEmulator } from '@talos-sdk/topology/testing';
 * import { TailscaleClient } from '@talos-sdk/topology/tailscale';
 *
 * const tailnet = await startTailscaleEmulator({ apiKey: 'tskey-api-test' });
 * tailnet.joinDevice({ hostname: 'omni', tags: ['tag:omni'] });
 * const client = new TailscaleClient({
 *   url: tailnet.url,
 *   credentials: { kind: 'api-key', apiKey: 'tskey-api-test' },
 *   tls: { fingerprint256: tailnet.fingerprint256 },
 * });
 * await client.close();
 * await tailnet.close();
 * ```
 */
export async function startTailscaleEmulator(options: TailscaleEmulatorOptions = {}): Promise<TailscaleEmulator> {
  const state: TailscaleEmulatorState = {
    tailnet: options.tailnet ?? 'example.com',
    magicDnsSuffix: options.magicDnsSuffix ?? 'tail1234.ts.net',
    devices: [],
    keys: [],
    policy: options.policy ?? DEFAULT_POLICY,
    members: [...(options.members ?? [{ loginName: 'owner@example.com', role: 'owner' }])],
    policyIsDefault: true,
    tokens: new Map(),
    requests: [],
    throttle: 0,
  };
  const addresses = seededRandom(7);
  let serial = 0;
  const nextId = (prefix: string): string => `${prefix}${(++serial).toString(36).padStart(5, '0')}CNTRL`;

  function handle(request: EmulatorRequest): EmulatorReply {
    const { method, path } = request;
    if (method === 'POST' && path === `${API}/oauth/token`) {
      state.requests.push({ method, path, auth: 'none' });
      return token(request);
    }
    const auth = authenticate(request);
    state.requests.push({ method, path, auth: auth ?? 'none' });
    if (!auth) return error(401, 'API token invalid');
    if (state.throttle > 0) {
      state.throttle--;
      return {
        ...error(429, 'rate limit exceeded'),
        headers: { 'retry-after': String(options.retryAfterSeconds ?? 0) },
      };
    }
    const tailnetPath = /^\/api\/v2\/tailnet\/([^/]+)\/(devices|keys|acl)(?:\/([^/]+))?$/.exec(path);
    if (tailnetPath) {
      const [, tailnet, collection, item] = tailnetPath;
      if (decodeURIComponent(tailnet!) !== '-' && decodeURIComponent(tailnet!) !== state.tailnet)
        return error(404, 'tailnet not found');
      const id = item === undefined ? undefined : decodeURIComponent(item);
      if (collection === 'devices' && id === undefined && method === 'GET')
        return { status: 200, body: { devices: state.devices.map(deviceBody) } };
      if (collection === 'keys') return keys(request, id);
      if (collection === 'acl') return acl(request, id);
      return error(405, 'method not allowed');
    }
    const devicePath = /^\/api\/v2\/device\/([^/]+)(?:\/(tags|key|ip))?$/.exec(path);
    if (devicePath) {
      const id = decodeURIComponent(devicePath[1]!);
      const device = state.devices.find((candidate) => candidate.id === id || candidate.nodeId === id);
      if (!device) return error(404, 'device not found');
      if (devicePath[2] === undefined && method === 'GET') return { status: 200, body: deviceBody(device) };
      if (method === 'POST' && devicePath[2] !== undefined) return deviceUpdate(device, devicePath[2], request.body);
      return error(405, 'method not allowed');
    }
    return error(404, 'not found');
  }

  function authenticate(request: EmulatorRequest): 'api-key' | 'oauth-token' | undefined {
    const header = request.headers.authorization ?? '';
    const bearer = /^Bearer (.+)$/.exec(header)?.[1];
    const basic = /^Basic (.+)$/.exec(header)?.[1];
    const user = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':')[0] : undefined;
    const presented = bearer ?? user;
    if (presented === undefined) return undefined;
    if (options.apiKey !== undefined && presented === options.apiKey) return 'api-key';
    const expires = state.tokens.get(presented);
    if (expires !== undefined && expires > Date.now()) return 'oauth-token';
    return undefined;
  }

  function token(request: EmulatorRequest): EmulatorReply {
    const form = request.body as Record<string, string | undefined>;
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
    const id = form['client_id'] ?? (basicId ? decodeURIComponent(basicId) : undefined);
    const secret = form['client_secret'] ?? (basicSecret ? decodeURIComponent(basicSecret) : undefined);
    if (form['grant_type'] !== 'client_credentials') return error(400, 'unsupported grant_type');
    if (!options.oauthClient || id !== options.oauthClient.id || secret !== options.oauthClient.secret)
      return error(401, 'invalid client credentials');
    const lifetime = options.tokenLifetimeSeconds ?? 3600;
    const value = `tskey-access-${randomBytes(12).toString('hex')}`;
    state.tokens.set(value, Date.now() + lifetime * 1000);
    return { status: 200, body: { access_token: value, token_type: 'Bearer', expires_in: lifetime, scope: 'all' } };
  }

  function ownedTags(): Set<string> {
    const parsed = parseHuJson(state.policy);
    const owners = 'value' in parsed ? (parsed.value as { tagOwners?: Record<string, unknown> }).tagOwners : undefined;
    return new Set(Object.keys(owners ?? {}));
  }

  function refusedTags(tags: readonly unknown[]): string | undefined {
    const owned = ownedTags();
    const refused = tags.filter((tag) => typeof tag !== 'string' || !tag.startsWith('tag:') || !owned.has(tag));
    return refused.length ? `requested tags [${refused.join(' ')}] are invalid or not permitted` : undefined;
  }

  function deviceUpdate(device: EmulatedDevice, field: string, body: unknown): EmulatorReply {
    const fields = (body ?? {}) as Record<string, unknown>;
    if (field === 'tags') {
      if (!Array.isArray(fields['tags'])) return error(400, 'tags must be a list');
      const refused = refusedTags(fields['tags']);
      if (refused) return error(400, refused);
      device.tags = [...new Set(fields['tags'] as string[])].sort();
      return { status: 200, body: {} };
    }
    if (field === 'key') {
      if (typeof fields['keyExpiryDisabled'] !== 'boolean') return error(400, 'keyExpiryDisabled must be a boolean');
      device.keyExpiryDisabled = fields['keyExpiryDisabled'];
      return { status: 200, body: {} };
    }
    const ipv4 = fields['ipv4'];
    if (typeof ipv4 !== 'string' || !inCgnat(ipv4) || ipv4 === '100.100.100.100')
      return error(400, `invalid IPv4 address ${String(ipv4)}: must be in 100.64.0.0/10 (not 100.100.100.100)`);
    const holder = state.devices.find((other) => other !== device && other.addresses.includes(ipv4));
    if (holder) return error(400, `address ${ipv4} is already in use by another device`);
    device.addresses = [ipv4, ...device.addresses.filter((address) => address.includes(':'))];
    return { status: 200, body: {} };
  }

  function keyBody(key: EmulatedKey, withSecret: boolean): Record<string, unknown> {
    return {
      id: key.id,
      keyType: 'auth',
      ...(withSecret ? { key: key.key } : {}),
      description: key.description,
      created: key.created,
      expires: key.expires,
      invalid: key.invalid,
      capabilities: { devices: { create: { ...key.create, tags: [...key.create.tags] } } },
    };
  }

  function keys(request: EmulatorRequest, id: string | undefined): EmulatorReply {
    if (id === undefined && request.method === 'GET')
      return {
        status: 200,
        body: { keys: state.keys.filter((key) => !key.invalid).map((key) => keyBody(key, false)) },
      };
    if (id === undefined && request.method === 'POST') return createKey(request.body as Record<string, unknown>);
    const index = state.keys.findIndex((key) => key.id === id);
    if (index < 0) return error(404, 'key not found');
    if (request.method === 'GET') return { status: 200, body: keyBody(state.keys[index]!, false) };
    if (request.method === 'DELETE') {
      state.keys.splice(index, 1);
      return { status: 200, body: undefined };
    }
    return error(405, 'method not allowed');
  }

  function createKey(body: Record<string, unknown>): EmulatorReply {
    const create = ((body['capabilities'] as { devices?: { create?: Record<string, unknown> } } | undefined)?.devices
      ?.create ?? {}) as Record<string, unknown>;
    const tags = Array.isArray(create['tags']) ? (create['tags'] as unknown[]) : [];
    const refused = refusedTags(tags);
    if (refused) return error(400, refused);
    const description = body['description'] ?? '';
    // API reference: "a maximum of 50 alphanumeric characters; hyphens and spaces are also allowed".
    if (typeof description !== 'string' || description.length > 50 || !/^[A-Za-z0-9 -]*$/.test(description))
      return error(400, 'description must be at most 50 alphanumeric characters, hyphens and spaces');
    const seconds = body['expirySeconds'] === undefined ? MAX_KEY_SECONDS : Number(body['expirySeconds']);
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_KEY_SECONDS)
      return error(400, 'expirySeconds must be at most 90 days');
    const id = nextId('k');
    const now = Date.now();
    const key: EmulatedKey = {
      id,
      key: `tskey-auth-${id}-${randomBytes(16).toString('hex')}`,
      description,
      created: new Date(now).toISOString(),
      expires: new Date(now + seconds * 1000).toISOString(),
      invalid: false,
      create: {
        reusable: create['reusable'] === true,
        ephemeral: create['ephemeral'] === true,
        preauthorized: create['preauthorized'] === true,
        tags: tags as string[],
      },
    };
    state.keys.push(key);
    return { status: 200, body: keyBody(key, true) };
  }

  function etag(): string {
    return `"${createHash('sha256').update(state.policy).digest('hex').slice(0, 16)}"`;
  }

  function acl(request: EmulatorRequest, sub: string | undefined): EmulatorReply {
    if (sub === 'validate' && request.method === 'POST') {
      const refusal = checkPolicy(request.rawBody, state.members);
      return refusal ? { status: refusal.status, body: refusal.refusal } : { status: 200, body: {} };
    }
    if (sub !== undefined) return error(404, 'not found');
    if (request.method === 'GET') return policyReply(request.headers.accept ?? '');
    if (request.method !== 'POST') return error(405, 'method not allowed');
    const ifMatch = request.headers['if-match'];
    if (ifMatch !== undefined) {
      const wanted = unquote(ifMatch);
      const matches = wanted === unquote(etag()) || (wanted === 'ts-default' && state.policyIsDefault);
      if (!matches) return error(412, 'precondition failed, invalid old hash');
    }
    const refusal = checkPolicy(request.rawBody, state.members);
    if (refusal) return { status: 400, body: refusal.refusal };
    state.policy = request.rawBody;
    state.policyIsDefault = false;
    return policyReply(request.headers['content-type'] ?? '');
  }

  function policyReply(accept: string): EmulatorReply {
    if (accept.includes('application/hujson'))
      return { status: 200, body: state.policy, contentType: 'application/hujson', headers: { etag: etag() } };
    const parsed = parseHuJson(state.policy);
    return { status: 200, body: 'value' in parsed ? parsed.value : {}, headers: { etag: etag() } };
  }

  function allocateIpv4(): string {
    for (;;) {
      const n = Math.floor(addresses() * (1 << 22));
      const address = `100.${64 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
      if (address !== '100.100.100.100' && !state.devices.some((device) => device.addresses.includes(address)))
        return address;
    }
  }

  function joinDevice(joining: JoiningDevice): EmulatedDevice {
    let tags = [...(joining.tags ?? [])];
    if (joining.authKey !== undefined) {
      const key = state.keys.find((candidate) => candidate.key === joining.authKey);
      if (!key || key.invalid) throw new Error('invalid key: unable to validate API key');
      if (!key.create.reusable) key.invalid = true;
      tags = [...key.create.tags];
    }
    const taken = new Set(state.devices.map((device) => device.name.split('.')[0]));
    let label = joining.hostname;
    for (let n = 1; taken.has(label); n++) label = `${joining.hostname}-${n}`;
    const id = String(100000 + ++serial);
    const created = (joining.created ?? new Date()).toISOString();
    const device: EmulatedDevice = {
      id,
      nodeId: `n${id}CNTRL`,
      hostname: joining.hostname,
      name: `${label}.${state.magicDnsSuffix}`,
      addresses: [joining.ipv4 ?? allocateIpv4(), `fd7a:115c:a1e0::${(+id).toString(16)}`],
      tags: tags.sort(),
      keyExpiryDisabled: joining.keyExpiryDisabled ?? tags.length > 0,
      connectedToControl: joining.online ?? true,
      created,
      lastSeen: created,
      authorized: true,
      isEphemeral: false,
      user: 'admin@example.com',
      os: 'linux',
    };
    state.devices.push(device);
    return device;
  }

  const server = await startHttpsEmulator(handle, options.faults, {
    subject: { commonName: 'api.tailscale.local', organizationName: 'talos-sdk Tailscale API emulator' },
  });
  return {
    url: server.url,
    caPem: server.caPem,
    fingerprint256: server.fingerprint256,
    state,
    roundTrips: server.roundTrips,
    joinDevice,
    editPolicy(text: string): void {
      state.policy = text;
      state.policyIsDefault = false;
    },
    policyEtag: etag,
    setFaults: server.setFaults,
    close: server.close,
  };
}

function deviceBody(device: EmulatedDevice): Record<string, unknown> {
  return {
    ...device,
    addresses: [...device.addresses],
    tags: [...device.tags],
    expires: device.keyExpiryDisabled ? '0001-01-01T00:00:00Z' : '2099-01-01T00:00:00Z',
  };
}

function error(status: number, message: string): EmulatorReply {
  return { status, body: { message } };
}

function unquote(value: string): string {
  return value.replace(/^W\//, '').replace(/^"|"$/g, '');
}

function inCgnat(address: string): boolean {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) return false;
  return parts[0] === 100 && parts[1]! >= 64 && parts[1]! <= 127;
}
