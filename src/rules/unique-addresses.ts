import type { Rule, RuleFinding } from './rule.js';

/** No two hosts (Proxmox nodes, guests, gateways) share an address. */
export const uniqueAddressesRule: Rule = {
  id: 'unique-addresses',
  severity: 'error',
  description: 'Node, guest and gateway addresses are unique.',
  check(topology) {
    const owners = new Map<string, string[]>();
    const claim = (address: string, path: string): void => {
      owners.set(address, [...(owners.get(address) ?? []), path]);
    };
    for (const [clusterName, cluster] of Object.entries(topology.proxmox)) {
      for (const [node, spec] of Object.entries(cluster.nodes))
        claim(spec.address, `proxmox.${clusterName}.nodes.${node}.address`);
      const gateways = new Set(Object.values(cluster.networks).map((network) => network.gateway));
      for (const gateway of gateways) {
        const [networkName] = Object.entries(cluster.networks).find(([, network]) => network.gateway === gateway) ?? [];
        claim(gateway, `proxmox.${clusterName}.networks.${networkName}.gateway`);
      }
    }
    for (const [name, guest] of Object.entries(topology.guests)) claim(guest.lan.address, `guests.${name}.lan.address`);
    const findings: RuleFinding[] = [];
    for (const [address, paths] of owners) {
      const [first, ...others] = paths;
      for (const path of others) findings.push({ path, message: `${address} is already used by ${first}` });
    }
    return findings;
  },
};
