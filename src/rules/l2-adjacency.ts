import type { Rule, RuleFinding } from './rule.js';
import { guestLan, sameSegment, talosNetworks } from './topology-facts.js';

/**
 * The provider must share L2 with the Talos VMs it provisions: same Proxmox cluster, subnet, bridge and VLAN.
 * SideroLink registration of a booting Talos VM depends on it.
 */
export const l2AdjacencyRule: Rule = {
  id: 'l2-adjacency',
  severity: 'error',
  description: 'The infra provider shares subnet, bridge and VLAN with the Talos VMs it provisions.',
  check(topology) {
    const findings: RuleFinding[] = [];
    for (const talos of talosNetworks(topology)) {
      const provider = topology.providers[talos.provider];
      const host = provider && guestLan(topology, provider.host);
      if (!provider || !host) continue;
      const where = `machineClasses.${talos.machineClass}.network`;
      if (host.cluster !== talos.cluster) {
        findings.push({
          path: `providers.${talos.provider}.host`,
          message: `provider host ${provider.host} runs on Proxmox cluster ${host.cluster}, but ${where} puts Talos VMs on ${talos.cluster}; run the provider on ${talos.cluster}`,
        });
      } else if (!sameSegment(host.network, talos.network)) {
        findings.push({
          path: where,
          message: `Talos VMs join ${talos.networkName} (${talos.network.subnet} on ${talos.network.bridge}${talos.network.vlan ? ` VLAN ${talos.network.vlan}` : ''}) but provider host ${provider.host} is on ${host.network.subnet} on ${host.network.bridge}${host.network.vlan ? ` VLAN ${host.network.vlan}` : ''} (guests.${provider.host}.lan.network); put both on one segment`,
        });
      }
    }
    return findings;
  },
};
