import type { HttpClientOptions, HttpMethod, HttpResponse } from '../http/client.js';
import type { HttpErrorInit } from '../http/errors.js';
import type { IssuedAccessToken } from '../http/access-token.js';
import { AccessTokenCache } from '../http/access-token.js';
import { HttpClient } from '../http/client.js';
import { HttpAuthenticationError, HttpError, HttpNotFoundError } from '../http/errors.js';
import type { TailscaleCredentials } from './credentials.js';
import type { TailnetPolicyApi, TailnetPolicyFile } from './policy-api.js';
import { TailnetPolicyConflictError, TailnetPolicyInvalidError } from './policy-api.js';

/** Options of a {@link TailscaleClient}. */
export interface TailscaleClientOptions extends Omit<HttpClientOptions, 'baseUrl'> {
  /** API origin, e.g. `https://api.tailscale.com`. */
  readonly url: string;
  /** Tailnet name; `-` (the default) is the credential's own tailnet. */
  readonly tailnet?: string;
  /** API access token or OAuth client. */
  readonly credentials: TailscaleCredentials;
  /** The clock, in milliseconds since the epoch, for the token's lifetime. Defaults to `Date.now`. */
  readonly now?: () => number;
}

/** A tailnet node as `GET /api/v2/tailnet/{tailnet}/devices` returns it (the fields the SDK reads). */
export interface TailnetDevice {
  /** Legacy numeric id, accepted in `/device/{id}` paths. */
  readonly id: string;
  /** Preferred id. */
  readonly nodeId?: string;
  /** The host name the node reported (`TS_HOSTNAME` for a sidecar): what the SDK finds a sidecar's node by. */
  readonly hostname: string;
  /** MagicDNS FQDN; a person may rename it, and a second node with a taken name gets `-1`: never an identity. */
  readonly name: string;
  /** Tailnet addresses, IPv4 and IPv6. */
  readonly addresses: readonly string[];
  /** Tags; absent or empty for a node owned by a user. */
  readonly tags?: readonly string[];
  /** `true` when the node key never expires. */
  readonly keyExpiryDisabled: boolean;
  /** Connected to the control plane now. */
  readonly connectedToControl?: boolean;
  /** RFC 3339 creation time (empty for some shared nodes). */
  readonly created?: string;
  /** RFC 3339 time last seen. */
  readonly lastSeen?: string;
}

/** An auth key's metadata (`GET …/keys`, `GET …/keys/{id}`): never the secret. */
export interface TailnetKey {
  /** Key id; the secret reads `tskey-auth-<id>-…`. */
  readonly id: string;
  /** The description given at creation; absent from listings of some API versions (then read with a `GET`). */
  readonly description?: string;
  /** `true` once spent, revoked or expired. */
  readonly invalid?: boolean;
}

/** What `POST …/keys` creates. */
export interface AuthKeyRequest {
  /** Tags the node takes when it joins with the key. */
  readonly tags: readonly string[];
  /** Names the key for people and for the SDK's read-back (at most 50 letters, digits, hyphens and spaces). */
  readonly description: string;
  /** Lifetime in seconds; at most 90 days. */
  readonly expirySeconds: number;
}

/** A key `POST …/keys` created. */
export interface CreatedAuthKey {
  /** Key id. */
  readonly id: string;
  /** The secret, `tskey-auth-<id>-…`: returned this once. */
  readonly key: string;
}

const enc = encodeURIComponent;

/**
 * A Tailscale API v2 client on the shared HTTP core: verified TLS, reads retried, writes never repeated blindly, 429
 * honoured with `Retry-After`, credentials scrubbed from every error. With an OAuth client it exchanges the client for
 * an access token once and keeps it for its lifetime (`expires_in`, minus a minute), exchanging again on expiry or
 * on a 401. Implements {@link TailnetPolicyApi} for the policy step.
 *
 * @example
 * ```ts
 * import { TailscaleClient, tailscaleOptionsFromEnv } from '@talos-sdk/topology/tailscale';
 *
 * const { url, tailnet, credentials, tls } = tailscaleOptionsFromEnv(); // TS_API_KEY or TS_OAUTH_CLIENT_*
 * const client = new TailscaleClient({ url, tailnet, credentials, tls });
 * console.log((await client.listDevices()).map((device) => device.hostname));
 * await client.close();
 * ```
 */
export class TailscaleClient implements TailnetPolicyApi {
  /** The underlying HTTP client (stats, secrets scrubber). */
  readonly http: HttpClient;
  /** The tailnet in request paths. */
  readonly tailnet: string;
  /** The exchanged token, with an OAuth client. */
  readonly #tokens: AccessTokenCache | undefined;
  /** The bearer token of the next request. */
  readonly #bearer: (signal: AbortSignal | undefined) => Promise<string>;

  /**
   * @param options - URL, tailnet, credentials, TLS trust, timeouts.
   */
  constructor(options: TailscaleClientOptions) {
    const { url, tailnet, credentials, now, ...http } = options;
    this.http = new HttpClient({ ...http, baseUrl: url.replace(/\/+$/, '') });
    this.tailnet = tailnet ?? '-';
    this.http.secrets.add(credentials.kind === 'api-key' ? credentials.apiKey : credentials.clientSecret);
    if (credentials.kind === 'api-key') {
      this.#bearer = async () => credentials.apiKey;
    } else {
      const tokens = new AccessTokenCache((signal) => this.#exchange(credentials, signal), now);
      this.#tokens = tokens;
      this.#bearer = (signal) => tokens.token(signal);
    }
  }

  /** OAuth token exchanges made so far (0 with an API key). */
  get tokenExchanges(): number {
    return this.#tokens?.exchanges ?? 0;
  }

  /**
   * Sends one authenticated request; with an OAuth client a 401 drops the cached token and the request is sent once
   * more with a fresh one (the request never reached the API's handler, so even a write is safe to repeat).
   *
   * @param method - HTTP method.
   * @param path - Path below `/api/v2`, segments encoded.
   * @param options - Body, headers, idempotence and signal.
   * @returns The response.
   * @throws The HTTP core's errors.
   */
  async request(
    method: HttpMethod,
    path: string,
    options: {
      readonly json?: unknown;
      readonly text?: { readonly contentType: string; readonly body: string };
      readonly headers?: Readonly<Record<string, string>>;
      readonly idempotent?: boolean;
      readonly responseAsText?: boolean;
      readonly signal?: AbortSignal | undefined;
    } = {},
  ): Promise<HttpResponse> {
    const { signal, ...rest } = options;
    const send = (bearer: string): Promise<HttpResponse> =>
      this.http.request({
        ...rest,
        method,
        path: `/api/v2${path}`,
        headers: { ...options.headers, authorization: `Bearer ${bearer}` },
        ...(signal ? { signal } : {}),
      });
    const used = await this.#bearer(signal);
    try {
      return await send(used);
    } catch (error) {
      if (!(error instanceof HttpAuthenticationError) || !this.#tokens) throw error;
      this.#tokens.invalidate(used);
      return send(await this.#bearer(signal));
    }
  }

  /**
   * Lists the tailnet's nodes (`GET /tailnet/{tailnet}/devices`, one request whatever their number).
   *
   * @param signal - Cancels the request.
   * @returns The nodes.
   */
  async listDevices(signal?: AbortSignal): Promise<TailnetDevice[]> {
    const { body } = await this.request('GET', `/tailnet/${enc(this.tailnet)}/devices`, { signal });
    return ((body as { devices?: TailnetDevice[] }).devices ?? []).map((device) => ({
      ...device,
      addresses: device.addresses ?? [],
    }));
  }

  /**
   * Replaces a node's tags (`POST /device/{id}/tags`); the same body twice gives the same result.
   *
   * @param deviceId - Node id.
   * @param tags - The complete tag set.
   * @param signal - Cancels the request.
   */
  async setDeviceTags(deviceId: string, tags: readonly string[], signal?: AbortSignal): Promise<void> {
    await this.request('POST', `/device/${enc(deviceId)}/tags`, { json: { tags }, idempotent: true, signal });
  }

  /**
   * Sets whether a node's key expires (`POST /device/{id}/key`).
   *
   * @param deviceId - Node id.
   * @param keyExpiryDisabled - `true`: the key never expires.
   * @param signal - Cancels the request.
   */
  async setDeviceKeyExpiry(deviceId: string, keyExpiryDisabled: boolean, signal?: AbortSignal): Promise<void> {
    await this.request('POST', `/device/${enc(deviceId)}/key`, {
      json: { keyExpiryDisabled },
      idempotent: true,
      signal,
    });
  }

  /**
   * Sets a node's tailnet IPv4 (`POST /device/{id}/ip`). Not retried: a repeat after a lost answer could be refused
   * as "in use" by the node itself on some API versions, so apply reads back instead.
   *
   * @param deviceId - Node id.
   * @param ipv4 - An address in 100.64.0.0/10.
   * @param signal - Cancels the request.
   */
  async setDeviceIpv4(deviceId: string, ipv4: string, signal?: AbortSignal): Promise<void> {
    await this.request('POST', `/device/${enc(deviceId)}/ip`, { json: { ipv4 }, signal });
  }

  /**
   * Lists the tailnet's keys (`GET /tailnet/{tailnet}/keys`): metadata only, never a secret.
   *
   * @param signal - Cancels the request.
   * @returns The keys.
   */
  async listKeys(signal?: AbortSignal): Promise<TailnetKey[]> {
    const { body } = await this.request('GET', `/tailnet/${enc(this.tailnet)}/keys`, { signal });
    return (body as { keys?: TailnetKey[] }).keys ?? [];
  }

  /**
   * Reads one key's metadata (`GET /tailnet/{tailnet}/keys/{id}`).
   *
   * @param keyId - Key id.
   * @param signal - Cancels the request.
   * @returns The key, without its secret.
   */
  async getKey(keyId: string, signal?: AbortSignal): Promise<TailnetKey> {
    const { body } = await this.request('GET', `/tailnet/${enc(this.tailnet)}/keys/${enc(keyId)}`, { signal });
    const { id, description, invalid } = body as TailnetKey;
    return { id, ...(description === undefined ? {} : { description }), ...(invalid === undefined ? {} : { invalid }) };
  }

  /**
   * Deletes (revokes) a key (`DELETE /tailnet/{tailnet}/keys/{id}`). A key already gone (404: a retry after an answer
   * that was lost, or a person deleted it) is what was asked for.
   *
   * @param keyId - Key id.
   * @param signal - Cancels the request.
   */
  async deleteKey(keyId: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.request('DELETE', `/tailnet/${enc(this.tailnet)}/keys/${enc(keyId)}`, { signal });
    } catch (error) {
      if (!(error instanceof HttpNotFoundError)) throw error;
    }
  }

  /**
   * Creates a tagged, single-use, preauthorized, non-ephemeral auth key (`POST /tailnet/{tailnet}/keys`). Never
   * retried: a create whose answer was lost leaves a key only the caller can find again (by its description). The
   * secret is added to the client's scrubber, so no later error can carry it.
   *
   * @param request - Tags, description and lifetime.
   * @param signal - Cancels the request.
   * @returns The key's id and secret.
   */
  async createAuthKey(request: AuthKeyRequest, signal?: AbortSignal): Promise<CreatedAuthKey> {
    const { body } = await this.request('POST', `/tailnet/${enc(this.tailnet)}/keys`, {
      json: {
        capabilities: {
          devices: { create: { reusable: false, ephemeral: false, preauthorized: true, tags: [...request.tags] } },
        },
        expirySeconds: request.expirySeconds,
        description: request.description,
      },
      signal,
    });
    const created = body as { id?: unknown; key?: unknown };
    if (typeof created.id !== 'string' || typeof created.key !== 'string')
      throw new Error(`POST /api/v2/tailnet/${this.tailnet}/keys answered without a key id and secret`);
    this.http.secrets.add(created.key);
    return { id: created.id, key: created.key };
  }

  /**
   * Reads the policy file as stored, comments included (`GET /tailnet/{tailnet}/acl`, `Accept: application/hujson`).
   *
   * @param signal - Cancels the request.
   * @returns Its text and ETag.
   */
  async readPolicy(signal?: AbortSignal): Promise<TailnetPolicyFile> {
    const response = await this.request('GET', `/tailnet/${enc(this.tailnet)}/acl`, {
      headers: { accept: 'application/hujson' },
      responseAsText: true,
      signal,
    });
    return { text: String(response.body), etag: etagOf(response) };
  }

  /**
   * Asks the control plane whether a policy file is valid, its `tests` included (`POST …/acl/validate`). The API
   * answers 200 `{}` when valid, and either 400 or 200 with `{message, data}` when not (tailscale-client-go-v2
   * `policyfile.go` `Validate` checks both).
   *
   * @param text - The HuJSON policy.
   * @param signal - Cancels the request.
   * @throws {@link TailnetPolicyInvalidError} with the API's message when refused.
   */
  async validatePolicy(text: string, signal?: AbortSignal): Promise<void> {
    let body: unknown;
    try {
      ({ body } = await this.request('POST', `/tailnet/${enc(this.tailnet)}/acl/validate`, {
        text: { contentType: 'application/hujson', body: text },
        idempotent: true,
        signal,
      }));
    } catch (error) {
      if (error instanceof HttpError && error.status === 400)
        throw new TailnetPolicyInvalidError('refused the policy file', fromHttpError(error));
      throw error;
    }
    const refusal = body as { message?: unknown; data?: { user?: string; errors?: string[] }[] } | undefined;
    if (typeof refusal?.message === 'string' && refusal.message !== '') {
      const details = (refusal.data ?? []).map((item) => `${item.user ?? '?'}: ${(item.errors ?? []).join(', ')}`);
      throw new TailnetPolicyInvalidError('refused the policy file', {
        request: { method: 'POST', path: `/api/v2/tailnet/${enc(this.tailnet)}/acl/validate`, headers: {} },
        status: 200,
        upstreamMessage: [refusal.message, ...details].join('; '),
      });
    }
  }

  /**
   * Writes the policy file only if it is still the one read (`POST …/acl`, `If-Match: <etag>`).
   *
   * @param text - The HuJSON policy, written as is (comments kept).
   * @param etag - The ETag of the version it was made from, quotes included.
   * @param signal - Cancels the request.
   * @returns The stored file and its new ETag.
   * @throws {@link TailnetPolicyConflictError} on 412 (changed since); {@link TailnetPolicyInvalidError} on 400.
   */
  async writePolicy(text: string, etag: string, signal?: AbortSignal): Promise<TailnetPolicyFile> {
    try {
      const response = await this.request('POST', `/tailnet/${enc(this.tailnet)}/acl`, {
        text: { contentType: 'application/hujson', body: text },
        headers: { accept: 'application/hujson', 'if-match': etag },
        responseAsText: true,
        signal,
      });
      return {
        text: typeof response.body === 'string' && response.body !== '' ? response.body : text,
        etag: etagOf(response),
      };
    } catch (error) {
      if (error instanceof HttpError && error.status === 412)
        throw new TailnetPolicyConflictError('found the policy file changed since it was read', fromHttpError(error));
      if (error instanceof HttpError && error.status === 400)
        throw new TailnetPolicyInvalidError('refused the policy file', fromHttpError(error));
      throw error;
    }
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    await this.http.close();
  }

  /** `POST /api/v2/oauth/token` with `client_credentials` (golang.org/x/oauth2 `clientcredentials`, as the Go client). */
  async #exchange(
    credentials: { readonly clientId: string; readonly clientSecret: string },
    signal: AbortSignal | undefined,
  ): Promise<IssuedAccessToken> {
    const { body } = await this.http.request({
      method: 'POST',
      path: '/api/v2/oauth/token',
      form: {
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        grant_type: 'client_credentials',
      },
      // A token exchange changes nothing: safe to send again.
      idempotent: true,
      ...(signal ? { signal } : {}),
    });
    const token = body as { access_token?: unknown; expires_in?: unknown };
    if (typeof token.access_token !== 'string')
      throw new Error('POST /api/v2/oauth/token answered without an access_token');
    this.http.secrets.add(token.access_token);
    // Tailscale's tokens live an hour; a response without `expires_in` is taken to say so.
    return {
      value: token.access_token,
      expiresInSeconds: typeof token.expires_in === 'number' ? token.expires_in : 3600,
    };
  }
}

/** The request, status and message of a refusal, for the policy errors that carry it on. */
function fromHttpError(error: HttpError): HttpErrorInit {
  return {
    request: error.request,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.upstreamMessage === undefined ? {} : { upstreamMessage: error.upstreamMessage }),
    cause: error,
  };
}

function etagOf(response: HttpResponse): string {
  const etag = response.headers['etag'];
  return (Array.isArray(etag) ? etag[0] : etag) ?? '';
}
