/**
 * The Omni client: typed COSI resource calls over gRPC with request signing, a deadline on every call and retries
 * only where repeating a call is safe.
 *
 * @module
 */
import type { CallOptions, ChannelCredentials, ClientOptions, ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import { credentials, Metadata } from '@grpc/grpc-js';
import { StateClient, EventType } from './generated/cosi/state.js';
import type {
  CreateResponse,
  Event,
  GetResponse,
  ListRequest,
  ListResponse,
  UpdateResponse,
  WatchRequest,
  WatchResponse,
} from './generated/cosi/state.js';
import type { ListServiceAccountsResponse } from './generated/omni/management/management.js';
import { ManagementServiceClient } from './generated/omni/management/management.js';
import type { OmniRequestInfo } from './errors.js';
import { OmniAlreadyExistsError, OmniNotFoundError, OmniVersionConflictError, toOmniError } from './errors.js';
import type { ResourceKind } from './kinds.js';
import type { LabelSelector } from './label-query.js';
import { toLabelQuery } from './label-query.js';
import { publicKeyId } from './public-key-id.js';
import type { OmniResource, ResourceInput } from './resource.js';
import { fromWireResource, newMetadata, toWireResource } from './resource.js';
import type { RetryOptions, RetryPolicy } from './retry.js';
import { retryPolicy, withRetry } from './retry.js';
import type { RequestSigner } from './signer.js';
import { createRequestSigner, signingInterceptor } from './signer.js';
import { resolveServiceAccountKey } from './service-account-key.js';
import type { Logger } from './logger.js';
import { processWarningLogger } from './logger.js';

/** Options of {@link createOmniClient}. */
export interface OmniClientOptions {
  /** `https://host[:port]` (TLS, default port 443) or `http://host[:port]` (h2c plaintext, default port 80). */
  readonly endpoint: string;
  /**
   * Base64 service-account key. When absent, `SIDERO_SERVICE_ACCOUNT_KEY` then `OMNI_SERVICE_ACCOUNT_KEY` are read
   * (see {@link resolveServiceAccountKey}).
   */
  readonly serviceAccountKey?: string;
  /** Environment used when `serviceAccountKey` is absent; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Deadline of each unary call and of each List stream. Defaults to 30,000 ms. */
  readonly deadlineMs?: number;
  /** Retry of transient failures. */
  readonly retry?: RetryOptions;
  /** PEM root certificates for `https://` endpoints with a private CA; the system roots are used otherwise. */
  readonly rootCertificates?: Buffer;
  /** Clock for signing, in milliseconds since the epoch; defaults to `Date.now`. */
  readonly now?: () => number;
  /** Receives the warning about a plaintext `http://` endpoint off this machine. Defaults to `process.emitWarning`. */
  readonly logger?: Logger;
}

/** Where to find a resource when the kind's namespace is not the one. */
export interface NamespaceOption {
  /** Namespace; defaults to the kind's namespace. */
  readonly namespace?: string;
}

/** Options of {@link OmniClient.list}. */
export interface ListOptions extends NamespaceOption {
  /** Label conditions, all of which must hold. */
  readonly labels?: readonly LabelSelector[];
  /** Regular expression the ID must match. */
  readonly idRegexp?: string;
}

/** Options of {@link OmniClient.watch}. */
export interface WatchOptions extends ListOptions {
  /** Watch one resource instead of the whole kind. */
  readonly id?: string;
  /** Send the existing resources first, then a `bootstrapped` event. Defaults to `true`. */
  readonly bootstrap?: boolean;
  /** Deadline of the stream. Defaults to 600,000 ms. */
  readonly timeoutMs?: number;
  /** Cancels the stream. */
  readonly signal?: AbortSignal;
}

/** A resource was created (or existed at bootstrap), updated or destroyed. */
export interface ResourceWatchEvent<S> {
  /** What happened. */
  readonly type: 'created' | 'updated' | 'destroyed';
  /** The resource after the change (as it was, for `destroyed`). */
  readonly resource: OmniResource<S>;
}

/** Every existing resource has been sent; later events are live changes. */
export interface BootstrappedWatchEvent {
  /** Always `bootstrapped`. */
  readonly type: 'bootstrapped';
}

/** The server reported a failed watch. */
export interface ErroredWatchEvent {
  /** Always `errored`. */
  readonly type: 'errored';
  /** The server's message. */
  readonly error: string;
}

/** One event of a watch. */
export type WatchEvent<S> = ResourceWatchEvent<S> | BootstrappedWatchEvent | ErroredWatchEvent;

/** A parsed endpoint. */
export interface OmniTarget {
  /** gRPC target, `host:port`. */
  readonly target: string;
  /** TLS or plaintext (h2c) channel credentials. */
  readonly credentials: ChannelCredentials;
}

/** What {@link OmniClient.createServiceAccount} registers. */
export interface ServiceAccountRegistration {
  /** Account name, e.g. `automation` or `infra-provider:proxmox`. */
  readonly name: string;
  /** ASCII-armored PGP public key. */
  readonly armoredPublicKey: string;
  /** Role, e.g. `Operator`, `Admin` or `InfraProvider`. */
  readonly role: string;
}

/** A service account as `ListServiceAccounts` reports it. */
export interface ServiceAccountInfo {
  /** Account name with its prefix, e.g. `infra-provider:proxmox`. */
  readonly name: string;
  /** Its role, e.g. `InfraProvider`. */
  readonly role: string;
  /** IDs (lower-case hex fingerprints) of its registered public keys. */
  readonly publicKeyIds: readonly string[];
}

/** Counters of what the client sent, for benchmarks and tests. */
export interface OmniClientStats {
  /** Calls started (each attempt and each stream counts once). */
  readonly calls: number;
  /** Attempts repeated after a transient failure. */
  readonly retries: number;
}

const STATE = '/cosi.resource.State';
const MANAGEMENT = '/management.ManagementService';
const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/**
 * Connects to Omni. The service-account key is loaded and checked here, so a bad key fails before any call.
 *
 * @param options - Endpoint, key, deadline and retry policy.
 * @returns A connected client; call {@link OmniClient.close} when done.
 * @throws {@link ServiceAccountKeyError} when no usable key is found; `TypeError` for a bad endpoint.
 *
 * @example
 * ```ts
 * import { createOmniClient, omniKinds } from '@talos-sdk/topology/omni-client';
 *
 * const omni = await createOmniClient({ endpoint: 'https://omni.example.com' }); // key from OMNI_SERVICE_ACCOUNT_KEY
 * const classes = await omni.list(omniKinds.MachineClass);
 * omni.close();
 * ```
 */
export async function createOmniClient(options: OmniClientOptions): Promise<OmniClient> {
  const key = resolveServiceAccountKey({
    ...(options.serviceAccountKey === undefined ? {} : { serviceAccountKey: options.serviceAccountKey }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  const signer = await createRequestSigner(key, options.now ? { now: options.now } : {});
  warnIfPlaintext(options.endpoint, options.logger ?? processWarningLogger);
  return new OmniClient(options, signer);
}

/** Host names that reach only this machine, so plaintext to them never crosses a network. */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Warns about an `http://` endpoint that is not on this machine: h2c is unencrypted, so anyone on the path reads and
 * can change every call (machine configuration, cluster patches, service-account registration).
 */
function warnIfPlaintext(endpoint: string, logger: Logger): void {
  const url = new URL(endpoint);
  if (url.protocol !== 'http:' || isLoopback(url.hostname)) return;
  logger.warn(
    `Omni endpoint ${url.origin} is plaintext http://: anyone on the path can read and change this traffic ` +
      '(machine configuration and cluster patches included). Use https://.',
  );
}

/**
 * Parses an Omni endpoint URL into a gRPC target and channel credentials. The URL path is ignored.
 *
 * @param endpoint - `http://host[:port]` or `https://host[:port]`.
 * @param rootCertificates - Optional PEM roots for TLS.
 * @returns The `host:port` target and credentials.
 * @throws `TypeError` when the URL is not http or https.
 */
export function parseEndpoint(endpoint: string, rootCertificates?: Buffer): OmniTarget {
  const url = new URL(endpoint);
  if (url.protocol === 'http:') {
    return { target: `${url.hostname}:${url.port || '80'}`, credentials: credentials.createInsecure() };
  }
  if (url.protocol === 'https:') {
    return {
      target: `${url.hostname}:${url.port || '443'}`,
      credentials: credentials.createSsl(rootCertificates ?? null),
    };
  }
  throw new TypeError(`Omni endpoint must start with http:// or https://, got ${url.protocol}`);
}

/**
 * Typed access to Omni's COSI state service. Get the instance from {@link createOmniClient}.
 *
 * Retry safety: Get, List, Watch (start) and Teardown are repeated freely. Destroy is repeated and a `NotFound`
 * after a transient failure counts as done. Create is repeated and an `AlreadyExists` after a transient failure is
 * reconciled by reading the resource back: same spec, labels and annotations means the first attempt landed.
 * Update is version-checked, so a repeat can never overwrite someone else's change; a version conflict after a
 * transient failure is reconciled the same way.
 */
export class OmniClient {
  readonly #state: StateClient;
  readonly #management: ManagementServiceClient;
  readonly #deadlineMs: number;
  readonly #retry: RetryPolicy;
  #calls = 0;
  #retries = 0;

  /**
   * @param options - Endpoint, deadline and retry policy.
   * @param signer - Signs every call.
   */
  constructor(options: OmniClientOptions, signer: RequestSigner) {
    const { target, credentials: channelCredentials } = parseEndpoint(options.endpoint, options.rootCertificates);
    const clientOptions: ClientOptions = {
      interceptors: [signingInterceptor(signer)],
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    };
    this.#state = new StateClient(target, channelCredentials, clientOptions);
    // One channel, so one name resolution and one HTTP/2 connection for both services, as the Go client's single
    // grpc.ClientConn.
    this.#management = new ManagementServiceClient(target, channelCredentials, {
      ...clientOptions,
      channelOverride: this.#state.getChannel(),
    });
    this.#deadlineMs = options.deadlineMs ?? 30_000;
    this.#retry = retryPolicy(options.retry);
  }

  /** Counters of calls and retries since the client was created. */
  get stats(): OmniClientStats {
    return { calls: this.#calls, retries: this.#retries };
  }

  /**
   * Reads one resource.
   *
   * @param kind - The kind, from {@link omniKinds}.
   * @param id - Its ID.
   * @param options - Namespace override.
   * @returns The resource.
   * @throws {@link OmniNotFoundError} when it does not exist.
   */
  async get<S>(kind: ResourceKind<S>, id: string, options: NamespaceOption = {}): Promise<OmniResource<S>> {
    const request = { namespace: options.namespace ?? kind.namespace, type: kind.type, id, options: {} };
    const info = { method: `${STATE}/Get`, type: kind.type, id };
    const response = await this.#retrying(() =>
      this.#unary<GetResponse>(info, (m, o, cb) => this.#state.get(request, m, o, cb)),
    );
    return fromWireResource(kind, response.resource);
  }

  /**
   * Lists the resources of a kind, optionally filtered by labels and ID. One round trip whatever the count.
   *
   * @param kind - The kind.
   * @param options - Namespace, label conditions and ID pattern.
   * @returns The resources in the server's order.
   */
  async list<S>(kind: ResourceKind<S>, options: ListOptions = {}): Promise<OmniResource<S>[]> {
    const request: ListRequest = {
      namespace: options.namespace ?? kind.namespace,
      type: kind.type,
      options: {
        labelQuery: options.labels && options.labels.length > 0 ? [toLabelQuery(options.labels)] : [],
        idQuery: options.idRegexp === undefined ? undefined : { regexp: options.idRegexp },
      },
    };
    const info = { method: `${STATE}/List`, type: kind.type };
    return this.#retrying(async () => {
      this.#calls++;
      const stream = this.#state.list(request, new Metadata(), this.#callOptions());
      const out: OmniResource<S>[] = [];
      for await (const item of readStream<ListResponse>(stream, info)) {
        out.push(fromWireResource(kind, item.resource));
      }
      return out;
    });
  }

  /**
   * Creates a resource with owner `""`, phase `running` and the spec as `proto_spec`.
   *
   * @param kind - The kind.
   * @param input - ID, labels, annotations and spec.
   * @returns The stored resource (version 1).
   * @throws {@link OmniAlreadyExistsError} when the ID is taken by different content.
   */
  async create<S>(kind: ResourceKind<S>, input: ResourceInput<S>): Promise<OmniResource<S>> {
    const desired: OmniResource<S> = { metadata: newMetadata(kind, input), spec: input.spec };
    const request = { resource: toWireResource(kind, desired), options: { owner: '' } };
    const info = { method: `${STATE}/Create`, type: kind.type, id: input.id };
    return this.#retrying(
      async () =>
        fromWireResource(
          kind,
          (await this.#unary<CreateResponse>(info, (m, o, cb) => this.#state.create(request, m, o, cb))).resource,
        ),
      (error) =>
        error instanceof OmniAlreadyExistsError
          ? this.#landed(kind, desired, error, (live) => live.metadata.owner === '')
          : undefined,
    );
  }

  /**
   * Replaces a resource. `resource.metadata.version` must be the stored version (copy it, with finalizers, phase,
   * created and updated, from a fresh read); the server refuses a stale one.
   *
   * @param kind - The kind.
   * @param resource - The full replacement.
   * @returns The stored resource (version + 1).
   * @throws {@link OmniVersionConflictError} when the stored version differs.
   */
  async update<S>(kind: ResourceKind<S>, resource: OmniResource<S>): Promise<OmniResource<S>> {
    if (resource.metadata.version === undefined) {
      throw new TypeError(`${kind.type}/${resource.metadata.id}: update needs the stored version; read it first`);
    }
    const request = { newResource: toWireResource(kind, resource), options: { owner: resource.metadata.owner } };
    const info = { method: `${STATE}/Update`, type: kind.type, id: resource.metadata.id };
    return this.#retrying(
      async () =>
        fromWireResource(
          kind,
          (await this.#unary<UpdateResponse>(info, (m, o, cb) => this.#state.update(request, m, o, cb))).resource,
        ),
      (error) => (error instanceof OmniVersionConflictError ? this.#landed(kind, resource, error) : undefined),
    );
  }

  /**
   * Moves a resource to phase `tearingDown` (owner `""`). Safe to repeat.
   *
   * @param kind - The kind.
   * @param id - Its ID.
   * @param options - Namespace override.
   * @returns `true` when no finalizers are left and it can be destroyed now.
   */
  async teardown<S>(kind: ResourceKind<S>, id: string, options: NamespaceOption = {}): Promise<boolean> {
    const request = { namespace: options.namespace ?? kind.namespace, type: kind.type, id, options: { owner: '' } };
    const info = { method: `${STATE}/Teardown`, type: kind.type, id };
    const response = await this.#retrying(() =>
      this.#unary<{ destroyReady: boolean }>(info, (m, o, cb) => this.#state.teardown(request, m, o, cb)),
    );
    return response.destroyReady;
  }

  /**
   * Destroys a resource that has no finalizers left (owner `""`).
   *
   * @param kind - The kind.
   * @param id - Its ID.
   * @param options - Namespace override.
   * @throws {@link OmniPendingFinalizersError} while finalizers remain; {@link OmniNotFoundError} when it never
   * existed (a `NotFound` after a transient failure counts as success).
   */
  async destroy<S>(kind: ResourceKind<S>, id: string, options: NamespaceOption = {}): Promise<void> {
    const request = { namespace: options.namespace ?? kind.namespace, type: kind.type, id, options: { owner: '' } };
    const info = { method: `${STATE}/Destroy`, type: kind.type, id };
    await this.#retrying(
      () => this.#unary<unknown>(info, (m, o, cb) => this.#state.destroy(request, m, o, cb)),
      (error) => (error instanceof OmniNotFoundError ? Promise.resolve(undefined) : undefined),
    );
  }

  /**
   * Watches a kind (or one resource). Sends `api_version: 1`, so a bootstrap ends with a `bootstrapped` event.
   * Starting the stream is not retried here: callers that wait for a state restart the watch on transient errors.
   *
   * @param kind - The kind.
   * @param options - Filter, bootstrap, deadline and abort signal.
   * @returns The events, until the deadline, the signal or the caller stops iterating.
   */
  async *watch<S>(kind: ResourceKind<S>, options: WatchOptions = {}): AsyncGenerator<WatchEvent<S>> {
    const request: WatchRequest = {
      namespace: options.namespace ?? kind.namespace,
      type: kind.type,
      id: options.id,
      apiVersion: 1,
      options: {
        bootstrapContents: options.bootstrap ?? true,
        tailEvents: 0,
        labelQuery: options.labels && options.labels.length > 0 ? [toLabelQuery(options.labels)] : [],
        idQuery: options.idRegexp === undefined ? undefined : { regexp: options.idRegexp },
        aggregated: false,
        startFromBookmark: undefined,
        bootstrapBookmark: false,
      },
    };
    const info = { method: `${STATE}/Watch`, type: kind.type, ...(options.id === undefined ? {} : { id: options.id }) };
    this.#calls++;
    const stream = this.#state.watch(request, new Metadata(), {
      deadline: Date.now() + (options.timeoutMs ?? 600_000),
    });
    const abort = (): void => stream.cancel();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      for await (const response of readStream<WatchResponse>(stream, info)) {
        for (const event of response.event) {
          const watchEvent = toWatchEvent(kind, event);
          if (watchEvent) yield watchEvent;
        }
      }
    } finally {
      options.signal?.removeEventListener('abort', abort);
      stream.cancel();
    }
  }

  /**
   * Registers a service account and its public key (`management.ManagementService/CreateServiceAccount`, needs
   * Admin). Repeated after a transient failure: a repeat that finds the account (`AlreadyExists`) reads the accounts
   * back, and the first attempt counts as done when the account holds exactly the key sent (by its fingerprint).
   *
   * @param registration - Name, armored public key and role.
   * @returns The registered key's ID (its fingerprint).
   * @throws {@link OmniAlreadyExistsError} when the account exists without this key.
   */
  async createServiceAccount(registration: ServiceAccountRegistration): Promise<string> {
    const request = {
      armoredPgpPublicKey: registration.armoredPublicKey,
      useUserRole: false,
      role: registration.role,
      name: registration.name,
    };
    const info = { method: `${MANAGEMENT}/CreateServiceAccount` };
    return this.#retrying(
      async () =>
        (
          await this.#unary<{ publicKeyId: string }>(info, (m, o, cb) =>
            this.#management.createServiceAccount(request, m, o, cb),
          )
        ).publicKeyId,
      (error) =>
        error instanceof OmniAlreadyExistsError
          ? this.#keyLanded(registration.name, registration.armoredPublicKey, error)
          : undefined,
    );
  }

  /**
   * Registers one more public key for an existing service account
   * (`management.ManagementService/RenewServiceAccount`, needs Admin; what `omnictl infraprovider renewkey` and
   * `omnictl serviceaccount renew` call). The account's earlier keys stay registered until they expire. Repeated
   * after a transient failure; a repeat refused with `AlreadyExists` counts as done when the account holds the key.
   *
   * @param name - Account name, e.g. `infra-provider:proxmox`.
   * @param armoredPublicKey - The key to add.
   * @returns The registered key's ID (its fingerprint).
   * @throws {@link OmniNotFoundError} when the account does not exist.
   */
  async renewServiceAccount(name: string, armoredPublicKey: string): Promise<string> {
    const request = { name, armoredPgpPublicKey: armoredPublicKey };
    const info = { method: `${MANAGEMENT}/RenewServiceAccount` };
    return this.#retrying(
      async () =>
        (
          await this.#unary<{ publicKeyId: string }>(info, (m, o, cb) =>
            this.#management.renewServiceAccount(request, m, o, cb),
          )
        ).publicKeyId,
      (error) => (error instanceof OmniAlreadyExistsError ? this.#keyLanded(name, armoredPublicKey, error) : undefined),
    );
  }

  /**
   * Lists every service account with the IDs of its registered keys
   * (`management.ManagementService/ListServiceAccounts`, needs Admin). A read: repeated freely.
   *
   * @returns The accounts, in the server's order.
   */
  async listServiceAccounts(): Promise<ServiceAccountInfo[]> {
    const info = { method: `${MANAGEMENT}/ListServiceAccounts` };
    const response = await this.#retrying(() =>
      this.#unary<ListServiceAccountsResponse>(info, (m, o, cb) => this.#management.listServiceAccounts({}, m, o, cb)),
    );
    return response.serviceAccounts.map((account) => ({
      name: account.name,
      role: account.role,
      publicKeyIds: account.pgpPublicKeys.map((key) => key.id),
    }));
  }

  /**
   * Removes a service account with its public keys and its user (`management.ManagementService/DestroyServiceAccount`,
   * needs Admin; what `omnictl serviceaccount destroy` calls). Every key of the account stops authenticating at once.
   * Repeated after a transient failure; a repeat that finds the account gone counts as done.
   *
   * @param name - Account name, e.g. `infra-provider:proxmox`.
   * @returns `true` when this call removed it, `false` when no service account had that name.
   */
  async destroyServiceAccount(name: string): Promise<boolean> {
    const info = { method: `${MANAGEMENT}/DestroyServiceAccount` };
    let attempts = 0;
    try {
      await this.#retrying(() => {
        attempts++;
        return this.#unary(info, (m, o, cb) => this.#management.destroyServiceAccount({ name }, m, o, cb));
      });
      return true;
    } catch (error) {
      if (!(error instanceof OmniNotFoundError)) throw error;
      // Gone before the first attempt: nothing was removed. Gone on a repeat: the earlier attempt removed it.
      return attempts > 1;
    }
  }

  /** Closes the connection. Calls in flight fail with `Unavailable`/`Cancelled`. */
  close(): void {
    // Closes the channel both services share.
    this.#state.close();
  }

  #callOptions(): Partial<CallOptions> {
    return { deadline: Date.now() + this.#deadlineMs };
  }

  #retrying<T>(attempt: () => Promise<T>, reconcile?: (error: unknown) => Promise<T> | undefined): Promise<T> {
    return withRetry(this.#retry, attempt, {
      onRetry: () => this.#retries++,
      ...(reconcile ? { reconcile } : {}),
    });
  }

  /**
   * Settles a write repeated after a transient failure that now conflicts: if the live resource holds what was
   * sent, the earlier attempt landed and the live resource is the result; otherwise the conflict stands.
   */
  async #landed<S>(
    kind: ResourceKind<S>,
    sent: OmniResource<S>,
    conflict: unknown,
    accept: (live: OmniResource<S>) => boolean = () => true,
  ): Promise<OmniResource<S>> {
    const live = await this.get(kind, sent.metadata.id, { namespace: sent.metadata.namespace });
    if (accept(live) && sameContent(kind, live, sent)) return live;
    throw conflict;
  }

  /**
   * Settles a key registration repeated after a transient failure that now finds the account or key: if the
   * account holds the key sent (same fingerprint), the earlier attempt landed; otherwise the refusal stands.
   */
  async #keyLanded(name: string, armoredPublicKey: string, refusal: unknown): Promise<string> {
    const id = await publicKeyId(armoredPublicKey);
    const account = (await this.listServiceAccounts()).find((candidate) => candidate.name === name);
    if (account?.publicKeyIds.includes(id)) return id;
    throw refusal;
  }

  #unary<Res>(
    info: OmniRequestInfo,
    send: (
      metadata: Metadata,
      options: Partial<CallOptions>,
      callback: (error: ServiceError | null, response: Res) => void,
    ) => unknown,
  ): Promise<Res> {
    this.#calls++;
    return new Promise<Res>((resolve, reject) => {
      send(new Metadata(), this.#callOptions(), (error, response) => {
        if (error) reject(toOmniError(error, info));
        else resolve(response);
      });
    });
  }
}

async function* readStream<T>(stream: ClientReadableStream<T>, info: OmniRequestInfo): AsyncGenerator<T> {
  // The stream emits `error` when cancelled after the caller stops reading; without a listener that would throw.
  stream.on('error', () => undefined);
  try {
    for await (const item of stream as AsyncIterable<T>) yield item;
  } catch (error) {
    throw toOmniError(error, info);
  }
}

/** The SDK's view of a wire event; `undefined` for NOOP events, which carry nothing to act on. */
function toWatchEvent<S>(kind: ResourceKind<S>, event: Event): WatchEvent<S> | undefined {
  switch (event.eventType) {
    case EventType.NOOP:
      return undefined;
    case EventType.BOOTSTRAPPED:
      return { type: 'bootstrapped' };
    case EventType.ERRORED:
      return { type: 'errored', error: event.error ?? 'watch failed' };
    case EventType.CREATED:
      return { type: 'created', resource: fromWireResource(kind, event.resource) };
    case EventType.UPDATED:
      return { type: 'updated', resource: fromWireResource(kind, event.resource) };
    case EventType.DESTROYED:
      return { type: 'destroyed', resource: fromWireResource(kind, event.resource) };
    default:
      return { type: 'errored', error: `unexpected event type ${String(event.eventType)}` };
  }
}

/**
 * Tells whether a live resource holds what was sent: same spec bytes, labels and annotations.
 *
 * @param kind - The kind.
 * @param live - What the server has.
 * @param sent - What was sent.
 * @returns `true` when the content matches.
 */
function sameContent<S>(kind: ResourceKind<S>, live: OmniResource<S>, sent: OmniResource<S>): boolean {
  const bytes = (resource: OmniResource<S>): string =>
    Buffer.from(kind.spec.encode(resource.spec).finish()).toString('base64');
  return (
    bytes(live) === bytes(sent) &&
    sameRecord(live.metadata.labels, sent.metadata.labels) &&
    sameRecord(live.metadata.annotations, sent.metadata.annotations)
  );
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
