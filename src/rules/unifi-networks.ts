import { subnetCovers } from '../models/ipv4.js';
import type { Rule, RuleFinding } from './rule.js';
import { gatewayNetworks } from './topology-facts.js';

/**
 * The networks the UniFi gateway serves are distinct (the Network application refuses a network whose subnet
 * overlaps another), and every Proxmox network on one of them names the gateway's address there as its `gateway`:
 * otherwise its guests send their traffic to another router, and the gateway's connected routes say nothing about
 * how they reach the rest of the site.
 */
export const unifiNetworksRule: Rule = {
  id: 'unifi-networks',
  severity: 'error',
  description:
    "The UniFi gateway's networks do not overlap, and a Proxmox network on one of them uses the gateway's address as its gateway.",
  check(topology) {
    const served = gatewayNetworks(topology);
    const findings: RuleFinding[] = [];
    served.forEach((network, index) => {
      const earlier = served
        .slice(0, index)
        .find((other) => subnetCovers(other.subnet, network.subnet) || subnetCovers(network.subnet, other.subnet));
      if (earlier) {
        findings.push({
          path: `${network.where}.subnet`,
          message: `${network.subnet} overlaps ${earlier.where} (${earlier.subnet}); each network the gateway serves has its own subnet`,
        });
      }
    });
    for (const [clusterName, cluster] of Object.entries(topology.proxmox)) {
      for (const [networkName, network] of Object.entries(cluster.networks)) {
        const own = served.find((candidate) => subnetCovers(candidate.subnet, network.subnet));
        if (own && own.gateway !== network.gateway) {
          findings.push({
            path: `proxmox.${clusterName}.networks.${networkName}.gateway`,
            message: `${network.gateway} is not the UniFi gateway's address ${own.gateway} on ${own.where} (${own.subnet}), which serves this subnet; use ${own.gateway}, or drop ${own.where} if another router serves it`,
          });
        }
      }
    }
    return findings;
  },
};
