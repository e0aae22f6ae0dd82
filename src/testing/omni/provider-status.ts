/**
 * What a started Proxmox infra provider registers in Omni: its InfraProviderStatus with the provider-data schema
 * that Omni validates MachineClasses against, seeded directly or written over the API with the provider's key.
 *
 * @module
 */
import { createOmniClient } from '../../clients/omni/client.js';
import { OmniNotFoundError } from '../../clients/omni/errors.js';
import { omniKinds } from '../../clients/omni/kinds.js';
import { parseServiceAccountKey } from '../../clients/omni/service-account-key.js';
import type { InfraProviderStatusSpec } from '../../clients/omni/specs.js';
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

/**
 * Seeds what a started Proxmox provider registers: `InfraProviderStatus/<id>` with the provider-data schema.
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
}

function proxmoxStatus(schema: string): InfraProviderStatusSpec {
  return { schema, name: 'Proxmox', description: 'Proxmox infrastructure provider', icon: '', version: 'v0.0.0' };
}

/**
 * Does what a Proxmox provider does when it starts: connects with its `infra-provider:<id>` service-account key and
 * creates (or updates) `InfraProviderStatus/<id>` with its provider-data schema. Omni, and the emulator, accept
 * this only when `InfraProviders/<id>` exists and the key is registered.
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
  const id = parseServiceAccountKey(serviceAccountKey, 'option').name.replace(/^infra-provider:/, '');
  const client = await createOmniClient({ endpoint, serviceAccountKey });
  const spec = proxmoxStatus(schema);
  try {
    const live = await client.get(omniKinds.InfraProviderStatus, id).catch((error: unknown) => {
      if (error instanceof OmniNotFoundError) return undefined;
      throw error;
    });
    if (live) await client.update(omniKinds.InfraProviderStatus, { ...live, spec });
    else await client.create(omniKinds.InfraProviderStatus, { id, spec });
    return id;
  } finally {
    client.close();
  }
}
