import { repeats } from '../models/repeats.js';
import type { Rule, RuleFinding } from './rule.js';

/** No two hosts (Proxmox nodes, guests, gateways) share an address. */
export const uniqueAddressesRule: Rule = {
  id: 'unique-addresses',
  severity: 'error',
  description: 'Node, guest and gateway addresses are unique.',
  check(topology) {
    const claims: { address: string; path: string }[] = [];
    for (const [clusterName, cluster] of Object.entries(topology.proxmox)) {
      for (const [node, spec] of Object.entries(cluster.nodes)) {
        claims.push({ address: spec.address, path: `proxmox.${clusterName}.nodes.${node}.address` });
      }
      // Networks of one cluster may share their gateway; it is one host, claimed once.
      const gateways = new Set<string>();
      for (const [networkName, network] of Object.entries(cluster.networks)) {
        if (gateways.has(network.gateway)) continue;
        gateways.add(network.gateway);
        claims.push({ address: network.gateway, path: `proxmox.${clusterName}.networks.${networkName}.gateway` });
      }
    }
    for (const [name, guest] of Object.entries(topology.guests)) {
      claims.push({ address: guest.lan.address, path: `guests.${name}.lan.address` });
    }
    return repeats(claims, (claim) => claim.address).map(({ item, first }): RuleFinding => ({
      path: item.path,
      message: `${item.address} is already used by ${claims[first]?.path}`,
    }));
  },
};
