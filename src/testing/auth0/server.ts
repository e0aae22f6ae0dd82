import { randomBytes } from 'node:crypto';
import type { EmulatorReply, EmulatorRequest, FaultOptions } from '../https-emulator.js';
import { startHttpsEmulator } from '../https-emulator.js';
import type { RoundTripLog } from '../round-trips.js';
import type { Auth0EmulatorState, EmulatedM2mApplication } from './state.js';

/** How to start an {@link Auth0Emulator}. */
export interface Auth0EmulatorOptions {
  /**
   * Machine-to-Machine applications for `POST /oauth/token` with their Management API scopes. Defaults to none;
   * add one with {@link Auth0Emulator.addM2mApplication}.
   */
  readonly m2m?: readonly EmulatedM2mApplication[];
  /** Lifetime of issued tokens in seconds (`expires_in`). Defaults to 86 400, Auth0's default. */
  readonly tokenLifetimeSeconds?: number;
  /** `X-RateLimit-Limit` of every answer. Defaults to 50. */
  readonly rateLimit?: number;
  /** Seconds from now to the `X-RateLimit-Reset` of a throttled answer. Defaults to 1. */
  readonly rateLimitResetSeconds?: number;
  /** Sends `Retry-After` with a throttled answer as well. Defaults to `false` (Auth0 sends `X-RateLimit-*` only). */
  readonly retryAfterHeader?: boolean;
  /** Faults to inject. */
  readonly faults?: FaultOptions;
}

/** A running Auth0 tenant emulator (Management API v2 subset and the token endpoint). */
export interface Auth0Emulator {
  /** Origin, `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** The tenant domain clients use (`AUTH0_DOMAIN`), `127.0.0.1:<port>`; the audience is `https://<domain>/api/v2/`. */
  readonly domain: string;
  /** The self-signed certificate, PEM (subject `CN=127.0.0.1, O=talos-sdk Auth0 emulator`). */
  readonly caPem: string;
  /** SHA-256 fingerprint of the certificate. */
  readonly fingerprint256: string;
  /** The emulated tenant; read it in assertions, seed it before a test. */
  readonly state: Auth0EmulatorState;
  /** Every request served, faulted ones included. */
  readonly roundTrips: RoundTripLog;
  /**
   * Creates an application as `POST /api/v2/clients` would, with Auth0's defaults for the fields not given.
   *
   * @param fields - Client fields, e.g. `{ name, app_type: 'spa', callbacks }`.
   * @returns The stored client, `client_id` and `client_secret` included.
   */
  addApplication(fields: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /**
   * Adds a Machine-to-Machine application with a client grant for the Management API.
   *
   * @param scopes - The grant's scopes.
   * @returns Its client ID and secret.
   */
  addM2mApplication(scopes: readonly string[]): Pick<EmulatedM2mApplication, 'clientId' | 'clientSecret'>;
  /**
   * Issues a Management API token directly (as the dashboard's API Explorer does).
   *
   * @param scopes - Its scopes.
   * @returns The token.
   */
  issueToken(scopes: readonly string[]): string;
  /**
   * Adds a user.
   *
   * @param user - The user; `user_id` defaults to `auth0|<random>`.
   */
  addUser(user: { readonly email: string; readonly user_id?: string; readonly [field: string]: unknown }): void;
  /** Replaces the fault settings. */
  setFaults(faults: FaultOptions): void;
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * The fields `PATCH /api/v2/clients/{id}` accepts; any other is refused with `400 invalid_body` ("Payload validation
 * error: 'Additional properties not allowed: …'"), as the Management API's schema has `additionalProperties: false`.
 * Source: node-auth0 v7 `UpdateClientRequestContent` (generated from the Management API's OpenAPI document).
 */
const PATCHABLE = new Set(
  (
    'name description client_secret logo_uri callbacks oidc_logout oidc_backchannel_logout session_transfer ' +
    'allowed_origins web_origins grant_types client_aliases allowed_clients allowed_logout_urls jwt_configuration ' +
    'encryption_key sso cross_origin_authentication cross_origin_loc sso_disabled custom_login_page_on ' +
    'token_endpoint_auth_method is_token_endpoint_ip_header_trusted app_type is_first_party oidc_conformant ' +
    'custom_login_page custom_login_page_preview token_quota form_template addons client_metadata mobile ' +
    'initiate_login_uri native_social_login refresh_token default_organization organization_usage ' +
    'organization_require_behavior client_authentication_methods require_pushed_authorization_requests ' +
    'require_proof_of_possession signed_request_object compliance_level par_request_expiry'
  ).split(' '),
);
const URL_ARRAYS = ['callbacks', 'allowed_origins', 'web_origins', 'allowed_logout_urls', 'client_aliases'];
const APP_TYPES = new Set(['native', 'spa', 'regular_web', 'non_interactive', 'resource_server', 'sso_integration']);
/** `client_metadata`: at most 10 keys, names and string values of at most 255 characters (Auth0 docs). */
const METADATA_MAX_KEYS = 10;
const METADATA_MAX_LENGTH = 255;
const METADATA_KEY = /^[A-Za-z0-9:,\-+=_*?"/()<>@\t ]+$/;

/**
 * Starts an Auth0 tenant emulator over HTTPS: `POST /oauth/token` (client credentials, form or JSON, audience
 * checked, expiring tokens with scopes), `GET`/`PATCH /api/v2/clients/{id}` (fields filter, client secret only with
 * `read:client_keys`, unknown PATCH fields refused, `client_metadata` merged one level deep with `null` deleting a
 * key), `GET /api/v2/users-by-email` (exact, case-sensitive), scope checks (`403 insufficient_scope`), and rate
 * limiting (`429` with `X-RateLimit-Limit`, `-Remaining`, `-Reset` in epoch seconds).
 *
 * @param options - Machine-to-Machine applications, token lifetime, rate limit settings and faults.
 * @returns The running emulator.
 *
 * @example
 * ```ts
 * import { Auth0Client } from '@talos-sdk/topology/auth0';
 * import { startAuth0Emulator } from '@talos-sdk/topology/testing';
 *
 * const auth0 = await startAuth0Emulator();
 * const { clientId, clientSecret } = auth0.addM2mApplication(['read:clients', 'update:clients']);
 * const client = new Auth0Client({
 *   domain: auth0.domain,
 *   credentials: { kind: 'client-credentials', clientId, clientSecret },
 *   tls: { fingerprint256: auth0.fingerprint256 },
 * });
 * await client.close();
 * await auth0.close();
 * ```
 */
export async function startAuth0Emulator(options: Auth0EmulatorOptions = {}): Promise<Auth0Emulator> {
  const state: Auth0EmulatorState = {
    clients: new Map(),
    m2m: (options.m2m ?? []).map((app) => ({ ...app, scopes: [...app.scopes] })),
    tokens: new Map(),
    users: [],
    throttle: 0,
    requests: [],
  };
  let domain = '';
  const lifetime = options.tokenLifetimeSeconds ?? 86_400;
  const limit = options.rateLimit ?? 50;

  function issueToken(scopes: readonly string[]): string {
    const token = `emulated-auth0-token-${randomBytes(24).toString('base64url')}`;
    state.tokens.set(token, { scopes: [...scopes], expiresAt: Date.now() + lifetime * 1000 });
    return token;
  }

  function handle(request: EmulatorRequest): EmulatorReply {
    const reply = route(request);
    state.requests.push({ method: request.method, path: request.path, status: reply.status });
    const reset = Math.ceil(Date.now() / 1000) + (options.rateLimitResetSeconds ?? 1);
    const remaining = reply.status === 429 ? 0 : limit - 1;
    return {
      ...reply,
      headers: {
        ...reply.headers,
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-reset': String(reset),
      },
    };
  }

  function route(request: EmulatorRequest): EmulatorReply {
    if (state.throttle > 0) {
      state.throttle--;
      return {
        ...managementError(429, 'Too Many Requests', 'Global limit has been reached', 'too_many_requests'),
        ...(options.retryAfterHeader ? { headers: { 'retry-after': String(options.rateLimitResetSeconds ?? 1) } } : {}),
      };
    }
    const { method, path } = request;
    if (path === '/oauth/token') {
      return method === 'POST' ? token(request.body) : managementError(404, 'Not Found', 'Not Found');
    }
    const client = /^\/api\/v2\/clients\/([^/]+)$/.exec(path);
    if (client) {
      const id = decodeURIComponent(client[1]!);
      if (method === 'GET') return authorized(request, 'read:clients', (scopes) => getClient(id, request, scopes));
      if (method === 'PATCH')
        return authorized(request, 'update:clients', (scopes) => patchClient(id, request, scopes));
    }
    if (path === '/api/v2/users-by-email' && method === 'GET') {
      return authorized(request, 'read:users', () => usersByEmail(request.query));
    }
    return managementError(404, 'Not Found', 'Not Found');
  }

  function token(body: unknown): EmulatorReply {
    const form = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (form['grant_type'] !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${String(form['grant_type'])}`);
    }
    const app = state.m2m.find((item) => item.clientId === form['client_id']);
    if (!app || app.clientSecret !== form['client_secret']) return oauthError(401, 'access_denied', 'Unauthorized');
    const audience = `https://${domain}/api/v2/`;
    if (form['audience'] !== audience) {
      return oauthError(403, 'access_denied', `Service not enabled within domain: ${String(form['audience'])}`);
    }
    return {
      status: 200,
      body: {
        access_token: issueToken(app.scopes),
        scope: app.scopes.join(' '),
        expires_in: lifetime,
        token_type: 'Bearer',
      },
    };
  }

  function authorized(
    request: EmulatorRequest,
    scope: string,
    next: (scopes: readonly string[]) => EmulatorReply,
  ): EmulatorReply {
    const header = request.headers.authorization;
    const value = typeof header === 'string' ? /^Bearer (.+)$/i.exec(header)?.[1] : undefined;
    if (!value) return managementError(401, 'Unauthorized', 'Missing authentication');
    const issued = state.tokens.get(value);
    if (!issued) return managementError(401, 'Unauthorized', 'Invalid token');
    if (issued.expiresAt <= Date.now()) {
      return managementError(401, 'Unauthorized', 'Expired token received for JSON Web Token validation');
    }
    if (!issued.scopes.includes(scope)) {
      return managementError(403, 'Forbidden', `Insufficient scope, expected any of: ${scope}`, 'insufficient_scope');
    }
    return next(issued.scopes);
  }

  function visible(stored: Record<string, unknown>, scopes: readonly string[]): Record<string, unknown> {
    // The client secret is returned only to tokens with read:client_keys.
    if (scopes.includes('read:client_keys')) return { ...stored };
    const shown = { ...stored };
    delete shown['client_secret'];
    return shown;
  }

  function getClient(id: string, request: EmulatorRequest, scopes: readonly string[]): EmulatorReply {
    const stored = state.clients.get(id);
    if (!stored) return managementError(404, 'Not Found', 'The client does not exist', 'inexistent_client');
    const shown = visible(stored, scopes);
    const fields = request.query.get('fields');
    if (!fields) return { status: 200, body: shown };
    const names = new Set(fields.split(','));
    const include = request.query.get('include_fields') !== 'false';
    return {
      status: 200,
      body: Object.fromEntries(Object.entries(shown).filter(([key]) => names.has(key) === include)),
    };
  }

  function patchClient(id: string, request: EmulatorRequest, scopes: readonly string[]): EmulatorReply {
    const stored = state.clients.get(id);
    if (!stored) return managementError(404, 'Not Found', 'The client does not exist', 'inexistent_client');
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body) || '__invalid_json__' in body) {
      return invalidBody("Payload validation error: 'Expected type object but found type array'.");
    }
    const patch = body as Record<string, unknown>;
    const unknown = Object.keys(patch).filter((key) => !PATCHABLE.has(key));
    if (unknown.length)
      return invalidBody(`Payload validation error: 'Additional properties not allowed: ${unknown.join(',')}'.`);
    if (Object.keys(patch).length === 0) {
      return invalidBody("Payload validation error: 'Too few properties defined (0), minimum 1'.");
    }
    if ('client_secret' in patch && !scopes.includes('update:client_keys')) {
      return managementError(
        403,
        'Forbidden',
        'Insufficient scope, expected any of: update:client_keys',
        'insufficient_scope',
      );
    }
    for (const key of URL_ARRAYS) {
      const value = patch[key];
      if (value !== undefined && (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))) {
        return invalidBody(
          `Payload validation error: 'Expected type array but found type ${typeof value}' on property ${key}.`,
        );
      }
    }
    if (patch['app_type'] !== undefined && !APP_TYPES.has(patch['app_type'] as string)) {
      return invalidBody(
        `Payload validation error: 'No enum match for: "${String(patch['app_type'])}"' on property app_type.`,
      );
    }
    let metadata = stored['client_metadata'] as Record<string, string>;
    if (patch['client_metadata'] !== undefined) {
      const merged = mergeMetadata(metadata, patch['client_metadata']);
      if (typeof merged === 'string') return invalidBody(merged);
      metadata = merged;
    }
    const updated = { ...stored, ...patch, client_metadata: metadata, updated_at: new Date().toISOString() };
    state.clients.set(id, updated);
    return { status: 200, body: visible(updated, scopes) };
  }

  function usersByEmail(query: URLSearchParams): EmulatorReply {
    const email = query.get('email');
    if (!email)
      return invalidBody("Query validation error: 'Missing required property: email'.", 'invalid_query_string');
    // Exact and case-sensitive (Auth0 docs, "Retrieve Users with Get Users by Email Endpoint").
    return { status: 200, body: state.users.filter((user) => user.email === email) };
  }

  const emulator = await startHttpsEmulator(handle, options.faults ?? {}, {
    subject: { commonName: '127.0.0.1', organizationName: 'talos-sdk Auth0 emulator' },
  });
  domain = new URL(emulator.url).host;
  return {
    url: emulator.url,
    domain,
    caPem: emulator.caPem,
    fingerprint256: emulator.fingerprint256,
    state,
    roundTrips: emulator.roundTrips,
    addApplication(fields) {
      const client = defaultClient(domain, fields);
      state.clients.set(client['client_id'] as string, client);
      return client;
    },
    addM2mApplication(scopes) {
      const app = { clientId: randomId(), clientSecret: randomBytes(32).toString('base64url'), scopes: [...scopes] };
      state.m2m.push(app);
      return { clientId: app.clientId, clientSecret: app.clientSecret };
    },
    issueToken,
    addUser(user) {
      state.users.push({
        ...user,
        email: user.email,
        user_id: user.user_id ?? `auth0|${randomBytes(12).toString('hex')}`,
      });
    },
    setFaults: (faults) => emulator.setFaults(faults),
    close: () => emulator.close(),
  };
}

function randomId(): string {
  return randomBytes(24).toString('base64url').replace(/[-_]/g, 'x').slice(0, 32);
}

/** A client as the Management API returns it right after creation: Auth0's defaults, then the given fields. */
function defaultClient(domain: string, fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    client_id: randomId(),
    client_secret: randomBytes(48).toString('base64url'),
    tenant: domain.split('.')[0],
    name: 'My App',
    global: false,
    is_first_party: true,
    oidc_conformant: true,
    sso_disabled: false,
    cross_origin_authentication: false,
    is_token_endpoint_ip_header_trusted: false,
    custom_login_page_on: true,
    callbacks: [],
    allowed_origins: [],
    web_origins: [],
    allowed_logout_urls: [],
    allowed_clients: [],
    client_aliases: [],
    grant_types: ['authorization_code', 'implicit', 'refresh_token'],
    jwt_configuration: { alg: 'RS256', lifetime_in_seconds: 36000, secret_encoded: false },
    token_endpoint_auth_method: 'client_secret_post',
    client_metadata: {},
    created_at: now,
    updated_at: now,
    ...fields,
  };
}

/**
 * Merges a `client_metadata` patch one level deep, `null` deleting a key (terraform-provider-auth0 #362 on Auth0's
 * behaviour), and checks Auth0's limits.
 *
 * @returns The merged metadata, or the validation message.
 */
function mergeMetadata(current: Readonly<Record<string, string>>, patch: unknown): Record<string, string> | string {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    return "Payload validation error: 'Expected type object' on property client_metadata.";
  }
  const merged: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (!METADATA_KEY.test(key) || key.length > METADATA_MAX_LENGTH) {
      return `Payload validation error: 'Invalid property name ${key}' on property client_metadata.`;
    }
    if (value === null) {
      delete merged[key];
      continue;
    }
    if (typeof value !== 'string' || value.length > METADATA_MAX_LENGTH) {
      return `Payload validation error: 'String is too long or not a string' on property client_metadata.${key}.`;
    }
    merged[key] = value;
  }
  if (Object.keys(merged).length > METADATA_MAX_KEYS) {
    return `Payload validation error: 'Too many properties defined (${Object.keys(merged).length}), maximum ${METADATA_MAX_KEYS}' on property client_metadata.`;
  }
  return merged;
}

function managementError(status: number, error: string, message: string, errorCode?: string): EmulatorReply {
  return { status, body: { statusCode: status, error, message, ...(errorCode ? { errorCode } : {}) } };
}

function invalidBody(message: string, errorCode = 'invalid_body'): EmulatorReply {
  return managementError(400, 'Bad Request', message, errorCode);
}

function oauthError(status: number, error: string, description: string): EmulatorReply {
  return { status, body: { error, error_description: description } };
}
