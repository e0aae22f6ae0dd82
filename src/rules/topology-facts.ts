import type { Topology } from '../models/define.js';
import type { Guest } from '../models/guest.js';
import type { DeepReadonly } from '../models/define.js';
import type { Network } from '../models/proxmox.js';

/** A guest's LAN attachment resolved to its network. */
export interface GuestLan {
  /** The guest's key. */
  readonly guest: string;
  /** The guest's static address. */
  readonly address: string;
  /** The network the guest is attached to. */
  readonly network: DeepReadonly<Network>;
  /** The Proxmox cluster of that network. */
  readonly cluster: string;
}

/**
 * Resolves a guest's LAN network.
 *
 * @param topology - A validated topology.
 * @param name - The guest's key.
 * @returns The attachment, or `undefined` when the guest or its network is unknown.
 */
export function guestLan(topology: Topology, name: string): GuestLan | undefined {
  const guest: DeepReadonly<Guest> | undefined = topology.guests[name];
  const network = guest && topology.proxmox[guest.cluster]?.networks[guest.lan.network];
  return guest && network ? { guest: name, address: guest.lan.address, network, cluster: guest.cluster } : undefined;
}

/** A machine class resolved to the network its Talos VMs join. */
export interface TalosNetwork {
  /** The machine class id. */
  readonly machineClass: string;
  /** The provider that provisions it. */
  readonly provider: string;
  /** The Proxmox cluster the VMs are created in. */
  readonly cluster: string;
  /** The network's name in that cluster. */
  readonly networkName: string;
  /** The network. */
  readonly network: DeepReadonly<Network>;
}

/**
 * Every machine class with the network its Talos VMs attach to.
 *
 * @param topology - A validated topology.
 * @returns The classes whose provider, cluster and network resolve, in key order.
 */
export function talosNetworks(topology: Topology): TalosNetwork[] {
  const out: TalosNetwork[] = [];
  for (const [machineClass, spec] of Object.entries(topology.machineClasses).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const provider = topology.providers[spec.provider];
    const network = provider && topology.proxmox[provider.cluster]?.networks[spec.network];
    if (provider && network) {
      out.push({
        machineClass,
        provider: spec.provider,
        cluster: provider.cluster,
        networkName: spec.network,
        network,
      });
    }
  }
  return out;
}

/**
 * Tells whether two networks are the same L2 segment: same subnet, bridge and VLAN.
 *
 * @param a - One network.
 * @param b - The other.
 * @returns `true` when frames from one reach the other without routing.
 */
export function sameSegment(a: DeepReadonly<Network>, b: DeepReadonly<Network>): boolean {
  return a.subnet === b.subnet && a.bridge === b.bridge && a.vlan === b.vlan;
}
