import type { DeepReadonly, Topology } from '../models/define.js';
import type { MachineClass } from '../models/machine-class.js';
import type { Artifact } from './artifact.js';
import { createArtifact } from './artifact.js';
import { MANAGED_BY_ANNOTATION } from './ownership.js';
import { generatedHeader, sortedEntries, toYaml } from './serialize.js';

type Tuning = NonNullable<DeepReadonly<MachineClass>['disk']>;

function diskTuning(tuning: Tuning | undefined, prefix: string): Record<string, unknown> {
  return {
    [`${prefix}ssd`]: tuning?.ssd,
    [`${prefix}discard`]: tuning?.discard,
    [`${prefix}iothread`]: tuning?.iothread,
    [`${prefix}cache`]: tuning?.cache,
    [`${prefix}aio`]: tuning?.aio,
  };
}

/**
 * The Proxmox provider's `provider_data` for a machine class: the provider's own snake_case keys, sorted, with the
 * network resolved to its bridge and VLAN.
 *
 * @param topology - A validated topology.
 * @param machineClass - The class.
 * @returns The provider data object (undefined fields left out when serialised).
 */
export function providerData(topology: Topology, machineClass: DeepReadonly<MachineClass>): Record<string, unknown> {
  const provider = topology.providers[machineClass.provider];
  const networks = provider ? topology.proxmox[provider.cluster]?.networks : undefined;
  const network = networks?.[machineClass.network];
  const selector = (storage: string): string => `name == "${storage}"`;
  const data: Record<string, unknown> = {
    cores: machineClass.cores,
    sockets: machineClass.sockets,
    memory: machineClass.memory,
    disk_size: machineClass.diskSize,
    storage_selector: selector(machineClass.storage),
    node: machineClass.node,
    network_bridge: network?.bridge,
    vlan: network?.vlan,
    cpu_type: machineClass.cpuType,
    machine_type: machineClass.machineType,
    numa: machineClass.numa,
    hugepages: machineClass.hugepages,
    balloon: machineClass.balloon,
    ...diskTuning(machineClass.disk, 'disk_'),
    additional_disks: machineClass.additionalDisks?.map((disk) =>
      clean({ disk_size: disk.size, storage_selector: selector(disk.storage), ...diskTuning(disk, 'disk_') }),
    ),
    additional_nics: machineClass.additionalNics?.map((nic) => {
      const extra = networks?.[nic.network];
      return clean({ bridge: extra?.bridge, vlan: extra?.vlan, firewall: nic.firewall });
    }),
  };
  return clean(data);
}

function clean(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

function resourceText(topologyName: string, resource: unknown): string {
  return `${generatedHeader(topologyName)}\n${toYaml(resource)}`;
}

/**
 * `omni/machine-classes/<id>.yaml`: one MachineClass per class, in the form `omnictl apply` takes.
 *
 * @param topology - A validated topology.
 * @returns The artifacts, sorted by class id.
 */
export function machineClassArtifacts(topology: Topology): Artifact[] {
  return sortedEntries(topology.machineClasses).map(([id, machineClass]) =>
    createArtifact(
      `omni/machine-classes/${id}.yaml`,
      'omni-machine-class',
      resourceText(topology.name, {
        metadata: {
          namespace: 'default',
          type: 'MachineClasses.omni.sidero.dev',
          id,
          annotations: { [MANAGED_BY_ANNOTATION]: topology.name },
        },
        spec: {
          autoprovision: {
            providerid: machineClass.provider,
            providerdata: toYaml(providerData(topology, machineClass)),
          },
        },
      }),
    ),
  );
}

/**
 * `omni/infra-providers/<id>.yaml`: the InfraProvider registration each provider needs before it can connect.
 *
 * @param topology - A validated topology.
 * @returns The artifacts, sorted by provider id.
 */
export function infraProviderArtifacts(topology: Topology): Artifact[] {
  return sortedEntries(topology.providers).map(([id]) =>
    createArtifact(
      `omni/infra-providers/${id}.yaml`,
      'omni-infra-provider',
      resourceText(topology.name, {
        metadata: {
          namespace: 'infra-provider',
          type: 'InfraProviders.omni.sidero.dev',
          id,
          annotations: { [MANAGED_BY_ANNOTATION]: topology.name },
        },
        spec: {},
      }),
    ),
  );
}
