import { isReservedHostAddress, subnetContains } from '../models/ipv4.js';
import type { Rule, RuleFinding } from './rule.js';

/**
 * Every static address and gateway (of Proxmox networks and of the networks the UniFi gateway serves) lies inside its
 * network's subnet and is a usable host address.
 */
export const addressInSubnetRule: Rule = {
  id: 'address-in-subnet',
  severity: 'error',
  description: 'Guest addresses and gateways lie inside their subnet and are usable host addresses.',
  check(topology) {
    const findings: RuleFinding[] = [];
    const checkAddress = (path: string, address: string, subnet: string, source: string): void => {
      if (!subnetContains(subnet, address)) {
        findings.push({ path, message: `${address} is outside ${subnet} (${source})` });
      } else if (isReservedHostAddress(subnet, address)) {
        findings.push({ path, message: `${address} is the network or broadcast address of ${subnet} (${source})` });
      }
    };
    for (const [clusterName, cluster] of Object.entries(topology.proxmox)) {
      for (const [networkName, network] of Object.entries(cluster.networks)) {
        const path = `proxmox.${clusterName}.networks.${networkName}`;
        checkAddress(`${path}.gateway`, network.gateway, network.subnet, `${path}.subnet`);
      }
    }
    for (const [name, network] of Object.entries(topology.unifi.networks)) {
      const path = `unifi.networks.${name}`;
      checkAddress(`${path}.gateway`, network.gateway, network.subnet, `${path}.subnet`);
    }
    for (const [name, guest] of Object.entries(topology.guests)) {
      const network = topology.proxmox[guest.cluster]?.networks[guest.lan.network];
      if (!network) continue;
      checkAddress(
        `guests.${name}.lan.address`,
        guest.lan.address,
        network.subnet,
        `proxmox.${guest.cluster}.networks.${guest.lan.network}.subnet`,
      );
    }
    return findings;
  },
};
