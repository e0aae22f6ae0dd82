/**
 * An in-process Omni API emulator for tests: a grpc-js server on 127.0.0.1 speaking `cosi.resource.State` and
 * `management.ManagementService`, with signature checks, the EULA gate, Omni's validation subset, simulated
 * controllers and seeded fault injection.
 *
 * @module
 */
import type { handleServerStreamingCall, handleUnaryCall, ServerWritableStream, ServiceError } from '@grpc/grpc-js';
import { Metadata, Server, ServerCredentials, status } from '@grpc/grpc-js';
import type { Resource } from '@talos-sdk/omni-client/generated/cosi/resource.js';
import type {
  CreateRequest,
  CreateResponse,
  DestroyRequest,
  DestroyResponse,
  GetRequest,
  GetResponse,
  ListRequest,
  ListResponse,
  StateServer,
  TeardownAndDestroyRequest,
  TeardownAndDestroyResponse,
  TeardownRequest,
  TeardownResponse,
  UpdateRequest,
  UpdateResponse,
  WatchRequest,
  WatchResponse,
} from '@talos-sdk/omni-client/generated/cosi/state.js';
import { EventType, StateService } from '@talos-sdk/omni-client/generated/cosi/state.js';
import type { Empty } from '@talos-sdk/omni-client/generated/google/protobuf/empty.js';
import type {
  CreateServiceAccountRequest,
  CreateServiceAccountResponse,
  DestroyServiceAccountRequest,
  ListServiceAccountsResponse,
  ManagementServiceServer,
  RenewServiceAccountRequest,
  RenewServiceAccountResponse,
} from '@talos-sdk/omni-client/generated/omni/management/management.js';
import { ManagementServiceService } from '@talos-sdk/omni-client/generated/omni/management/management.js';
import type { ResourceKind } from '@talos-sdk/omni-client';
import { omniKinds } from '@talos-sdk/omni-client';
import type { ControllerOptions } from './controller.js';
import { SimulatedControllers } from './controller.js';
import type { OmniFaults } from './faults.js';
import { FaultInjector } from './faults.js';
import { matchesIdQuery, matchesLabelQueries } from './label-match.js';
import type { CallTarget } from './provider-access.js';
import { callTarget, providerAccessProblem } from './provider-access.js';
import { ServiceAccountRegistry } from './service-account-registry.js';
import type { OmniRole, RegisteredKey } from './signature-verifier.js';
import { OMNI_ROLES, SignatureRejection, SignatureVerifier } from './signature-verifier.js';
import type { EmulatorState } from './state.js';
import { emulatorState } from './state.js';
import type { ResourcePointer } from './store.js';
import { CosiStatusError, ResourceStore } from './store.js';
import { validateRemoval, validateWrite } from './validation.js';
import { injectLatency, RoundTripLog } from '../round-trips.js';

/** Options of {@link startOmniEmulator}. */
export interface OmniEmulatorOptions {
  /** Whether Omni's EULA is accepted; every call fails with `FAILED_PRECONDITION` until it is. Defaults to `true`. */
  readonly eulaAccepted?: boolean;
  /** Injected failures and latency. */
  readonly faults?: OmniFaults;
  /** Seed of the fault generator. Defaults to 1. */
  readonly seed?: number;
  /** Pace of the simulated controllers. */
  readonly controllers?: ControllerOptions;
  /** Server clock for signature timestamps, in milliseconds. Defaults to `Date.now`. */
  readonly now?: () => number;
}

/** One call the emulator answered. */
export interface EmulatorCall {
  /** Full gRPC method. */
  readonly method: string;
  /** Resource type the call was about (State calls). */
  readonly type?: string;
  /** Resource ID the call was about, when it named one. */
  readonly id?: string;
  /** gRPC status code answered (0 = OK). */
  readonly code: status;
  /** Why, for refused calls (e.g. the signature check that failed). */
  readonly reason?: string;
}

/** Options of {@link OmniEmulator.registerPublicKey}. */
export interface RegisterKeyOptions {
  /** Role of calls signed with the key. */
  readonly role: OmniRole;
  /**
   * Account name. With a name the key belongs to that service account (created, or given one more key) and is listed
   * by `ListServiceAccounts`; without one the key only signs calls, as the key's first user ID.
   */
  readonly name?: string;
}

/** A running emulator. */
export interface OmniEmulator {
  /** `http://127.0.0.1:PORT`, for `createOmniClient({ endpoint })`. */
  readonly endpoint: string;
  /** Direct access to the stored resources, bypassing auth and validation. */
  readonly state: EmulatorState;
  /** Every call answered so far, in order. */
  readonly calls: readonly EmulatorCall[];
  /** Every call served, each stream (List, Watch) once from its start to its end; {@link resetCalls} leaves it. */
  readonly roundTrips: RoundTripLog;
  /**
   * Registers a public key, like a confirmed service account.
   *
   * @param armoredPublicKey - ASCII-armored public key.
   * @param options - Role and account name.
   * @returns The key's fingerprint.
   */
  registerPublicKey(armoredPublicKey: string, options: RegisterKeyOptions): Promise<string>;
  /** The service accounts' names, sorted, as `ListServiceAccounts` gives them (without the auth a call needs). */
  serviceAccounts(): string[];
  /** Accepts the EULA. */
  acceptEula(): void;
  /**
   * Replaces the fault knobs.
   *
   * @param faults - The new knobs.
   */
  setFaults(faults: OmniFaults): void;
  /** Forgets the recorded calls. */
  resetCalls(): void;
  /** Stops the server and the controllers. */
  close(): Promise<void>;
}

const STATE = '/cosi.resource.State';
const READ_ONLY_TYPES = new Set([
  omniKinds.ClusterStatus.type,
  omniKinds.MachineSetStatus.type,
  omniKinds.InfraProviderStatus.type,
  omniKinds.InfraProviderHealthStatus.type,
]);
const KINDS_BY_TYPE = new Map<string, ResourceKind<unknown>>(
  Object.values(omniKinds).map((kind) => [kind.type, kind as ResourceKind<unknown>]),
);

/**
 * Starts an emulator on a free port of 127.0.0.1.
 *
 * @param options - EULA, faults, seed, controller pace and clock.
 * @returns The running emulator; close it after the test.
 *
 * @example
 * ```ts
 * import { createOmniClient, omniKinds } from '@talos-sdk/topology/omni-client';
 * import { createTestServiceAccount, startOmniEmulator } from '@talos-sdk/topology/testing';
 *
 * const account = await createTestServiceAccount();
 * const omni = await startOmniEmulator();
 * await omni.registerPublicKey(account.armoredPublicKey, { role: 'Admin' });
 * const client = await createOmniClient({ endpoint: omni.endpoint, serviceAccountKey: account.serviceAccountKey });
 * console.log(await client.list(omniKinds.MachineClass)); // []
 * client.close();
 * await omni.close();
 * ```
 */
export async function startOmniEmulator(options: OmniEmulatorOptions = {}): Promise<OmniEmulator> {
  const emulator = new Emulator(options);
  const port = await new Promise<number>((resolve, reject) =>
    emulator.server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return emulator.handle(`http://127.0.0.1:${port}`);
}

class Emulator {
  readonly server = new Server({ 'grpc.max_receive_message_length': 32 * 1024 * 1024 });
  readonly #store = new ResourceStore();
  readonly #verifier: SignatureVerifier;
  readonly #faults: FaultInjector;
  readonly #controllers: SimulatedControllers;
  readonly #calls: EmulatorCall[] = [];
  readonly #roundTrips = new RoundTripLog();
  readonly #accounts: ServiceAccountRegistry;
  #eulaAccepted: boolean;

  constructor(options: OmniEmulatorOptions) {
    this.#verifier = new SignatureVerifier(options.now);
    this.#accounts = new ServiceAccountRegistry(this.#verifier);
    this.#faults = new FaultInjector(options.faults ?? {}, options.seed ?? 1);
    this.#eulaAccepted = options.eulaAccepted ?? true;
    this.#controllers = new SimulatedControllers(this.#store, options.controllers);
    this.server.addService(StateService, this.#stateServer());
    this.server.addService(ManagementServiceService, this.#managementServer());
  }

  handle(endpoint: string): OmniEmulator {
    const calls = this.#calls;
    return {
      endpoint,
      state: emulatorState(this.#store),
      calls,
      roundTrips: this.#roundTrips,
      registerPublicKey: async (armored, { role, name }) =>
        name === undefined
          ? (await this.#verifier.register(armored, role)).fingerprint
          : this.#accounts.add(name, role, armored),
      serviceAccounts: () => this.#accounts.list().map((account) => account.name),
      acceptEula: () => {
        this.#eulaAccepted = true;
      },
      setFaults: (faults) => this.#faults.set(faults),
      resetCalls: () => {
        calls.length = 0;
      },
      close: () =>
        new Promise<void>((resolve) => {
          this.#controllers.stop();
          this.server.tryShutdown(() => resolve());
          setTimeout(() => this.server.forceShutdown(), 1_000).unref();
        }),
    };
  }

  #stateServer(): StateServer {
    const store = this.#store;
    return {
      get: this.#unary<GetRequest, GetResponse>('Reader', (request) => {
        const resource = store.get(request);
        if (!resource)
          throw new CosiStatusError(status.NOT_FOUND, `resource ${request.type}/${request.id} doesn't exist`);
        return { resource };
      }),
      list: this.#serverStream<ListRequest, ListResponse>(async (request, call) => {
        for (const resource of store.list(request.namespace, request.type)) {
          if (!selected(resource, request.options?.labelQuery ?? [], request.options?.idQuery)) continue;
          await write(call, { resource });
        }
      }),
      create: this.#unary<CreateRequest, CreateResponse>('Operator', (request) => {
        const resource = checkedResource(request.resource);
        validateWrite(store, resource);
        return { resource: store.create(resource, request.options?.owner ?? '') };
      }),
      update: this.#unary<UpdateRequest, UpdateResponse>('Operator', (request) => {
        const resource = checkedResource(request.newResource);
        const metadata = resource.metadata;
        const previous = metadata && store.get(metadata);
        if (previous) validateWrite(store, resource, previous);
        return { resource: store.update(resource, request.options?.owner ?? '', request.options?.expectedPhase) };
      }),
      destroy: this.#unary<DestroyRequest, DestroyResponse>('Operator', (request) => {
        if (store.get(request)) validateRemoval(store, request);
        store.destroy(request, request.options?.owner ?? '');
        return {};
      }),
      teardown: this.#unary<TeardownRequest, TeardownResponse>('Operator', (request) => {
        if (store.get(request)) validateRemoval(store, request);
        return { destroyReady: store.teardown(request, request.options?.owner ?? '') };
      }),
      teardownAndDestroy: this.#unary<TeardownAndDestroyRequest, TeardownAndDestroyResponse>(
        'Operator',
        async (request) => {
          if (store.get(request)) validateRemoval(store, request);
          const owner = request.options?.owner ?? '';
          if (!store.teardown(request, owner)) await this.#finalizersGone(request);
          store.destroy(request, owner);
          return {};
        },
      ),
      watch: this.#serverStream<WatchRequest, WatchResponse>((request, call) => this.#watch(request, call)),
    };
  }

  #managementServer(): ManagementServiceServer {
    return {
      createServiceAccount: this.#unary<CreateServiceAccountRequest, CreateServiceAccountResponse>(
        'Admin',
        async (request) => {
          if (!OMNI_ROLES.includes(request.role as OmniRole)) {
            throw new CosiStatusError(status.INVALID_ARGUMENT, `unknown role "${request.role}"`);
          }
          if (request.name.startsWith('infra-provider:') !== (request.role === 'InfraProvider')) {
            throw new CosiStatusError(status.INVALID_ARGUMENT, 'infra-provider: accounts must have role InfraProvider');
          }
          return {
            publicKeyId: await this.#accounts.create(
              request.name,
              request.role as OmniRole,
              request.armoredPgpPublicKey,
            ),
          };
        },
      ),
      renewServiceAccount: this.#unary<RenewServiceAccountRequest, RenewServiceAccountResponse>(
        'Admin',
        async (request) => ({ publicKeyId: await this.#accounts.renew(request.name, request.armoredPgpPublicKey) }),
      ),
      listServiceAccounts: this.#unary<Empty, ListServiceAccountsResponse>('Admin', () => ({
        serviceAccounts: this.#accounts.list(),
      })),
      destroyServiceAccount: this.#unary<DestroyServiceAccountRequest, Empty>('Admin', (request) => {
        this.#accounts.destroy(request.name);
        return {};
      }),
    };
  }

  #finalizersGone(pointer: ResourcePointer): Promise<void> {
    return new Promise((resolve) => {
      const check = (): boolean => (this.#store.get(pointer)?.metadata?.finalizers.length ?? 0) === 0;
      if (check()) return resolve();
      const unsubscribe = this.#store.subscribe(() => {
        if (!check()) return;
        unsubscribe();
        resolve();
      });
    });
  }

  async #watch(request: WatchRequest, call: ServerWritableStream<WatchRequest, WatchResponse>): Promise<void> {
    const matches = (resource: Resource): boolean =>
      resource.metadata?.namespace === request.namespace &&
      resource.metadata.type === request.type &&
      (request.id === undefined || resource.metadata.id === request.id) &&
      selected(resource, request.options?.labelQuery ?? [], request.options?.idQuery);
    const queue: WatchResponse[] = [];
    let wake: (() => void) | undefined;
    const push = (response: WatchResponse): void => {
      queue.push(response);
      wake?.();
    };
    const initial = request.options?.bootstrapContents
      ? this.#store.list(request.namespace, request.type).filter(matches)
      : [];
    const unsubscribe = this.#store.subscribe((event) => {
      if (matches(event.resource)) push({ event: [{ eventType: event.type, resource: event.resource }] });
    });
    let open = true;
    call.on('cancelled', () => {
      open = false;
      wake?.();
    });
    try {
      for (const resource of initial) await write(call, { event: [{ eventType: EventType.CREATED, resource }] });
      if (request.apiVersion >= 1 && request.options?.bootstrapContents) {
        await write(call, { event: [{ eventType: EventType.BOOTSTRAPPED }] });
      }
      while (open) {
        const next = queue.shift();
        if (next) await write(call, next);
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      unsubscribe();
    }
  }

  #unary<Req, Res>(role: OmniRole, handler: (request: Req) => Res | Promise<Res>): handleUnaryCall<Req, Res> {
    return (call, callback) => {
      this.#serve(call.getPath(), call.metadata, call.request, role, undefined, () => handler(call.request)).then(
        (response) => callback(null, response),
        (error: unknown) => callback(toServiceError(error)),
      );
    };
  }

  #serverStream<Req, Res>(
    handler: (request: Req, call: ServerWritableStream<Req, Res>) => Promise<void>,
  ): handleServerStreamingCall<Req, Res> {
    return (call) => {
      const answered = (): number | undefined => lastMessageAt.get(call);
      this.#serve(call.getPath(), call.metadata, call.request, 'Reader', answered, () =>
        handler(call.request, call),
      ).then(
        () => call.end(),
        (error: unknown) => call.emit('error', toServiceError(error)),
      );
    };
  }

  /**
   * Serves one call: latency, faults, authentication, authorization, then `run`; records the call and its round trip.
   *
   * @param answered - For a stream, when it last sent a message (its round trip ends there); `undefined` for a
   *   unary call.
   */
  async #serve<T>(
    path: string,
    metadata: Metadata,
    request: unknown,
    role: OmniRole,
    answered: (() => number | undefined) | undefined,
    run: () => T | Promise<T>,
  ): Promise<T> {
    const unary = answered === undefined;
    const target = callTarget(request);
    // Streams are recorded once accepted, since a Watch only ends when the client leaves.
    let recorded = false;
    const record = (code: status, reason?: string): true => {
      this.#calls.push({
        method: path,
        ...(target ? { type: target.type, ...(target.id === undefined ? {} : { id: target.id }) } : {}),
        code,
        ...(reason === undefined ? {} : { reason }),
      });
      return true;
    };
    const finish = this.#roundTrips.start(target ? `${path} ${target.type}` : path);
    try {
      await injectLatency(this.#faults.faults.latencyMs);
      const fault = this.#faults.next(unary && isWrite(path), path);
      if (fault.kind !== 'none' && !fault.afterEffect) throw faultError(fault.kind);
      const key = await this.#authenticate(path, metadata);
      if (!this.#eulaAccepted) {
        throw new CosiStatusError(
          status.FAILED_PRECONDITION,
          'EULA has not been accepted yet; accept it in Omni first',
        );
      }
      this.#authorize(key, path, role, target);
      if (!unary) recorded = record(status.OK);
      const result = await run();
      if (fault.kind !== 'none') throw faultError(fault.kind);
      if (!recorded) record(status.OK);
      return result;
    } catch (error) {
      const serviceError = toServiceError(error);
      if (!recorded) record(serviceError.code, error instanceof SignatureRejection ? error.reason : undefined);
      throw error;
    } finally {
      finish(answered?.());
    }
  }

  async #authenticate(path: string, metadata: Metadata): Promise<RegisteredKey> {
    return this.#verifier.verify(path, metadata);
  }

  /** Role checks, an infra provider's narrower access, and the read-only status kinds. */
  #authorize(key: RegisteredKey, path: string, role: OmniRole, target: CallTarget | undefined): void {
    const write = isWrite(path);
    if (key.role === 'InfraProvider' && path.startsWith(STATE)) {
      const problem = providerAccessProblem(this.#store, key.identity, write, target);
      if (problem) throw new CosiStatusError(status.PERMISSION_DENIED, problem);
      return;
    }
    const needed = write ? role : path.startsWith(STATE) ? 'Reader' : role;
    if (OMNI_ROLES.indexOf(key.role) < OMNI_ROLES.indexOf(needed)) {
      throw new CosiStatusError(status.PERMISSION_DENIED, `role ${key.role} is not allowed to call ${path}`);
    }
    if (write && target && READ_ONLY_TYPES.has(target.type)) {
      throw new CosiStatusError(status.PERMISSION_DENIED, `no access is permitted to ${target.type}`);
    }
  }
}

/** Reads: State's Get, List and Watch, and the management calls that only list. */
const READS = new Set([
  `${STATE}/Get`,
  `${STATE}/List`,
  `${STATE}/Watch`,
  '/management.ManagementService/ListServiceAccounts',
]);

function isWrite(path: string): boolean {
  return !READS.has(path);
}

function faultError(kind: 'unavailable' | 'deadline-exceeded'): CosiStatusError {
  return kind === 'unavailable'
    ? new CosiStatusError(status.UNAVAILABLE, 'injected fault: unavailable')
    : new CosiStatusError(status.DEADLINE_EXCEEDED, 'injected fault: deadline exceeded');
}

function selected(
  resource: Resource,
  labelQuery: Parameters<typeof matchesLabelQueries>[1],
  idQuery: Parameters<typeof matchesIdQuery>[1],
): boolean {
  return (
    matchesLabelQueries(resource.metadata?.labels ?? {}, labelQuery) &&
    matchesIdQuery(resource.metadata?.id ?? '', idQuery)
  );
}

/** Checks what cosi-runtime checks before storing: parts present, version and phase strings, decodable spec. */
function checkedResource(resource: Resource | undefined): Resource {
  if (!resource?.metadata) throw new CosiStatusError(status.UNKNOWN, 'metadata is missing');
  if (!resource.spec) throw new CosiStatusError(status.UNKNOWN, 'spec is missing');
  const { version, phase, type } = resource.metadata;
  if (version !== 'undefined' && !/^\d+$/.test(version)) {
    throw new CosiStatusError(status.UNKNOWN, `error parsing version "${version}"`);
  }
  if (phase !== 'running' && phase !== 'tearingDown')
    throw new CosiStatusError(status.UNKNOWN, `unknown phase "${phase}"`);
  const kind = KINDS_BY_TYPE.get(type);
  if (!kind) throw new CosiStatusError(status.UNKNOWN, `unsupported resource type "${type}"`);
  try {
    kind.spec.decode(resource.spec.protoSpec);
  } catch {
    throw new CosiStatusError(status.UNKNOWN, `error unmarshaling spec of ${type}`);
  }
  return resource;
}

function toServiceError(error: unknown): ServiceError {
  if (error instanceof CosiStatusError) return serviceError(error.code, error.message);
  if (error instanceof SignatureRejection) return serviceError(status.UNAUTHENTICATED, error.message);
  return serviceError(status.INTERNAL, error instanceof Error ? error.message : String(error));
}

function serviceError(code: status, details: string): ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new Metadata() });
}

/**
 * When each stream last sent a message. A stream's round trip ends at its last answer: a client waiting on a Watch
 * goes on at the event it waited for, and its cancel, which reaches the emulator after its next requests, answers
 * nothing.
 */
const lastMessageAt = new WeakMap<object, number>();

function write<Req, Res>(call: ServerWritableStream<Req, Res>, message: Res): Promise<void> {
  return new Promise((resolve) => {
    lastMessageAt.set(call, performance.now());
    if (call.write(message)) return resolve();
    const done = (): void => {
      call.off('drain', done);
      call.off('cancelled', done);
      resolve();
    };
    call.on('drain', done);
    call.on('cancelled', done);
  });
}
