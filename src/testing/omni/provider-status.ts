/**
 * What a started Proxmox infra provider registers in Omni: its InfraProviderStatus with the provider-data schema
 * that Omni validates MachineClasses against, and its heartbeat (InfraProviderHealthStatus), seeded directly or
 * written over the API with the provider's key by a simulated provider that runs until stopped.
 *
 * @module
 */
import type { InfraProviderStatusSpec, OmniClient, ResourceKind } from '@talos-sdk/omni-client';
import { createOmniClient, omniKinds, OmniNotFoundError, parseServiceAccountKey } from '@talos-sdk/omni-client';
import type { EmulatorState } from './state.js';

const diskTuning = {
  disk_ssd: { type: 'boolean' },
  disk_discard: { type: 'boolean' },
  disk_iothread: { type: 'boolean' },
  disk_cache: { type: 'string', enum: ['none', 'writethrough', 'writeback', 'directsync', 'unsafe'] },
  disk_aio: { type: 'string', enum: ['native', 'threads', 'io_uring'] },
};

/**
 * JSON schema of the Proxmox provider's `provider_data`, as a started provider registers it in its
 * InfraProviderStatus: every key the provider reads (written from its documented field list), closed with
 * `additionalProperties: false` so a misspelt key fails the way the SDK's checks make it fail.
 */
export const PROXMOX_PROVIDER_SCHEMA = JSON.stringify({
  type: 'object',
  required: ['cores', 'memory', 'disk_size', 'storage_selector'],
  additionalProperties: false,
  properties: {
    cores: { type: 'integer', minimum: 1 },
    sockets: { type: 'integer', minimum: 1 },
    memory: { type: 'integer', minimum: 2048 },
    disk_size: { type: 'integer', minimum: 5 },
    storage_selector: { type: 'string' },
    node: { type: 'string' },
    network_bridge: { type: 'string' },
    vlan: { type: 'integer', minimum: 0 },
    cpu_type: { type: 'string' },
    machine_type: { type: 'string', enum: ['q35', 'i440fx'] },
    numa: { type: 'boolean' },
    hugepages: { type: 'string', enum: ['2MB', '1GB'] },
    balloon: { type: 'boolean' },
    ...diskTuning,
    additional_nics: {
      type: 'array',
      items: {
        type: 'object',
        required: ['bridge'],
        additionalProperties: false,
        properties: {
          bridge: { type: 'string' },
          vlan: { type: 'integer', minimum: 0 },
          firewall: { type: 'boolean' },
        },
      },
    },
    pci_devices: {
      type: 'array',
      items: {
        type: 'object',
        required: ['mapping'],
        additionalProperties: false,
        properties: {
          mapping: { type: 'string' },
          pcie: { type: 'boolean' },
          primary_gpu: { type: 'boolean' },
          rombar: { type: 'boolean' },
        },
      },
    },
    additional_disks: {
      type: 'array',
      items: {
        type: 'object',
        required: ['disk_size', 'storage_selector'],
        additionalProperties: false,
        properties: { disk_size: { type: 'integer', minimum: 1 }, storage_selector: { type: 'string' }, ...diskTuning },
      },
    },
  },
});

/** How often a provider heartbeats: Omni's `InfraProviderHealthCheckInterval` (30 s, `client/pkg/constants`). */
export const PROVIDER_HEARTBEAT_INTERVAL_MS = 30_000;

/**
 * Seeds what a Proxmox provider that has just started registers: `InfraProviderStatus/<id>` with the provider-data
 * schema, and a heartbeat (`InfraProviderHealthStatus/<id>`) dated now.
 *
 * @param state - The emulator's state.
 * @param id - Provider ID. Defaults to `proxmox`.
 * @param schema - JSON schema text. Defaults to {@link PROXMOX_PROVIDER_SCHEMA}.
 */
export function seedInfraProviderStatus(state: EmulatorState, id = 'proxmox', schema = PROXMOX_PROVIDER_SCHEMA): void {
  state.put(omniKinds.InfraProviderStatus, {
    id,
    owner: `infra-provider:${id}`,
    spec: proxmoxStatus(schema),
  });
  seedInfraProviderHeartbeat(state, id);
}

/** A heartbeat to seed. */
export interface SeededHeartbeat {
  /** When the provider last reported. Defaults to now; a time long past is a provider that stopped. */
  readonly at?: Date;
  /** The error it reported, e.g. `failed to reach Proxmox`. Defaults to none. */
  readonly error?: string;
}

/**
 * Seeds a provider's heartbeat, `InfraProviderHealthStatus/<id>` in namespace `infra-provider-ephemeral`: what a
 * running provider rewrites every {@link PROVIDER_HEARTBEAT_INTERVAL_MS}, and a stopped one leaves behind.
 *
 * @param state - The emulator's state.
 * @param id - Provider ID. Defaults to `proxmox`.
 * @param heartbeat - When, and which error.
 */
export function seedInfraProviderHeartbeat(
  state: EmulatorState,
  id = 'proxmox',
  heartbeat: SeededHeartbeat = {},
): void {
  state.put(omniKinds.InfraProviderHealthStatus, {
    id,
    spec: { lastHeartbeatTimestamp: heartbeat.at ?? new Date(), error: heartbeat.error ?? '' },
  });
}

function proxmoxStatus(schema: string): InfraProviderStatusSpec {
  return { schema, name: 'Proxmox', description: 'Proxmox infrastructure provider', icon: '', version: 'v0.0.0' };
}

/** Options of {@link startInfraProvider}. */
export interface SimulatedProviderOptions {
  /** JSON schema text. Defaults to {@link PROXMOX_PROVIDER_SCHEMA}. */
  readonly schema?: string;
  /** Pause between heartbeats. Defaults to {@link PROVIDER_HEARTBEAT_INTERVAL_MS}. */
  readonly heartbeatIntervalMs?: number;
}

/** A simulated provider that is running. */
export interface SimulatedProvider {
  /** Its ID, from the key's account name. */
  readonly id: string;
  /** Stops heartbeating and disconnects; its status and last heartbeat stay in Omni, as a stopped provider's do. */
  stop(): Promise<void>;
}

/**
 * Starts a simulated Proxmox provider: connects with its `infra-provider:<id>` service-account key, creates (or
 * updates) `InfraProviderStatus/<id>` with its provider-data schema, and writes its heartbeat now and then every
 * interval until stopped, as the provider library's `Provider.Run` does. Omni, and the emulator, accept this only
 * when `InfraProviders/<id>` exists and the key is registered.
 *
 * @param endpoint - The emulator's (or Omni's) endpoint.
 * @param serviceAccountKey - The provider's base64 key, e.g. the one apply wrote.
 * @param options - Schema and heartbeat interval.
 * @returns The running provider.
 * @throws The Omni error when the key is refused (e.g. `OmniUnauthenticatedError` for an unregistered key).
 *
 * @example
 * ```ts
 * import { startInfraProvider } from '@talos-sdk/topology/testing';
 *
 * // After `apply --target omni --provider-key-env-file out/hosts/ct-200/provider-proxmox/.env` registered the provider:
 * const provider = await startInfraProvider('http://127.0.0.1:50000', process.env['OMNI_SERVICE_ACCOUNT_KEY'] ?? '');
 * await provider.stop();
 * ```
 */
export async function startInfraProvider(
  endpoint: string,
  serviceAccountKey: string,
  options: SimulatedProviderOptions = {},
): Promise<SimulatedProvider> {
  const id = parseServiceAccountKey(serviceAccountKey, 'option').name.replace(/^infra-provider:/, '');
  const client = await createOmniClient({ endpoint, serviceAccountKey });
  try {
    await put(client, omniKinds.InfraProviderStatus, id, proxmoxStatus(options.schema ?? PROXMOX_PROVIDER_SCHEMA));
    await heartbeat(client, id);
  } catch (error) {
    client.close();
    throw error;
  }
  let beating: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    beating = heartbeat(client, id).catch(() => undefined);
  }, options.heartbeatIntervalMs ?? PROVIDER_HEARTBEAT_INTERVAL_MS);
  timer.unref();
  return {
    id,
    stop: async () => {
      clearInterval(timer);
      await beating;
      client.close();
    },
  };
}

/**
 * One start of a provider that stops right after: registers its status and one heartbeat (see
 * {@link startInfraProvider}), then disconnects.
 *
 * @param endpoint - The emulator's (or Omni's) endpoint.
 * @param serviceAccountKey - The provider's base64 key, e.g. the one apply wrote.
 * @param schema - JSON schema text. Defaults to {@link PROXMOX_PROVIDER_SCHEMA}.
 * @returns The provider ID, from the key's account name.
 */
export async function connectInfraProvider(
  endpoint: string,
  serviceAccountKey: string,
  schema = PROXMOX_PROVIDER_SCHEMA,
): Promise<string> {
  const provider = await startInfraProvider(endpoint, serviceAccountKey, { schema });
  await provider.stop();
  return provider.id;
}

function heartbeat(client: OmniClient, id: string): Promise<void> {
  return put(client, omniKinds.InfraProviderHealthStatus, id, { lastHeartbeatTimestamp: new Date(), error: '' });
}

/** Creates the provider's own resource, or updates it when it exists. */
async function put<S>(client: OmniClient, kind: ResourceKind<S>, id: string, spec: S): Promise<void> {
  const live = await client.get(kind, id).catch((error: unknown) => {
    if (error instanceof OmniNotFoundError) return undefined;
    throw error;
  });
  if (live) await client.update(kind, { ...live, spec });
  else await client.create(kind, { id, spec });
}
