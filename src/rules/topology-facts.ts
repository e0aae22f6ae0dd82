import { subnetContains, subnetCovers } from '../models/ipv4.js';
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

/** A network the UniFi gateway serves, with where it is declared. */
export interface GatewayNetwork {
  /** Its path in the topology, e.g. `unifi.networks.matrix`. */
  readonly where: string;
  /** The subnet. */
  readonly subnet: string;
  /** The gateway's own address on it. */
  readonly gateway: string;
}

/**
 * The networks the UniFi gateway serves: its connected networks (`rest/networkconf` entries whose `ip_subnet` is the
 * gateway's address with the prefix; ubiquiti-community/go-unifi `unifi/network.generated.go`).
 *
 * @param topology - A validated topology.
 * @returns Every entry of `unifi.networks`, in key order.
 */
export function gatewayNetworks(topology: Topology): GatewayNetwork[] {
  return Object.entries(topology.unifi.networks)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, network]) => ({ where: `unifi.networks.${name}`, subnet: network.subnet, gateway: network.gateway }));
}

/**
 * Tells why a static route's next hop cannot carry traffic, if it cannot. A UniFi gateway hands a routed packet to a
 * neighbour on one of its connected networks; a next hop elsewhere is unreachable, one inside the destination loops,
 * and one of the gateway's own addresses points the route back at itself.
 *
 * @param topology - A validated topology.
 * @param route - The route's destination and next hop.
 * @returns The problem as a sentence, or `undefined` when the next hop is another router on a served network.
 */
export function nexthopProblem(
  topology: Topology,
  route: { readonly network: string; readonly nexthop: string },
): string | undefined {
  const served = gatewayNetworks(topology);
  const own = served.find((network) => network.gateway === route.nexthop);
  if (own) {
    return `${route.nexthop} is the UniFi gateway's own address on ${own.where} (${own.subnet}); the next hop must be another router on that network`;
  }
  if (subnetContains(route.network, route.nexthop)) {
    return `${route.nexthop} lies inside the route's own destination ${route.network}`;
  }
  if (served.length === 0) {
    return `${route.nexthop} is on no network the UniFi gateway serves: unifi.networks declares none; add the network the next-hop router sits on`;
  }
  if (!served.some((network) => subnetContains(network.subnet, route.nexthop))) {
    return `${route.nexthop} is on none of the networks the UniFi gateway serves (${served.map((network) => `${network.where} ${network.subnet}`).join(', ')}); the gateway can only hand packets to a router it is directly connected to`;
  }
  return undefined;
}

/** How the UniFi gateway forwards traffic into a subnet. */
export interface GatewayPath {
  /** `served`: a connected network of the gateway; `routed`: a usable static route leads there. */
  readonly kind: 'served' | 'routed';
  /** The path of the served network or of the route, e.g. `unifi.networks.matrix` or `routes.0`. */
  readonly where: string;
}

/**
 * Finds how the UniFi gateway reaches a subnet (or, as `/32`, an address): it serves a network that holds it, or a
 * static route with a usable next hop covers it.
 *
 * @param topology - A validated topology.
 * @param subnet - The destination subnet.
 * @returns The path, or `undefined` when the gateway has none.
 */
export function gatewayPathInto(topology: Topology, subnet: string): GatewayPath | undefined {
  const served = gatewayNetworks(topology).find((network) => subnetCovers(network.subnet, subnet));
  if (served) return { kind: 'served', where: served.where };
  const index = topology.routes.findIndex(
    (route) => subnetCovers(route.network, subnet) && nexthopProblem(topology, route) === undefined,
  );
  return index === -1 ? undefined : { kind: 'routed', where: `routes.${index}` };
}

/**
 * The guests that run a Docker stack (Omni's, a provider's), by guest name, with the stack's path in the topology.
 *
 * @param topology - A validated topology.
 * @returns Guest name → `omni` or `providers.<id>`.
 */
export function stackHosts(topology: Topology): Map<string, string> {
  const hosts = new Map<string, string>([[topology.omni.host, 'omni']]);
  for (const [id, provider] of Object.entries(topology.providers)) hosts.set(provider.host, `providers.${id}`);
  return hosts;
}
