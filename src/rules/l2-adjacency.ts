import type { Rule, RuleFinding } from './rule.js';
import { guestLan, sameSegment, talosNetworks } from './topology-facts.js';

/** Why a finding is only a warning: the fact the message states. */
const NOT_REQUIRED =
  'the architecture keeps them on one segment, but the provider does not need it: it reaches the VMs through the Proxmox API and the nocloud join config, not by broadcast; the VMs only need to reach Omni (rule siderolink-address)';

/**
 * The architecture keeps the provider on the same L2 segment as the Talos VMs it provisions: same Proxmox cluster,
 * subnet, bridge and VLAN. Upstream does not need it: the provider creates VMs through the Proxmox API and hands each
 * one Omni's join config on a nocloud drive (omni-infra-provider-proxmox `internal/pkg/provider/provision.go`), never
 * by broadcast, so a finding is a warning. What the VMs do need is to reach Omni, which `siderolink-address` checks.
 */
export const l2AdjacencyRule: Rule = {
  id: 'l2-adjacency',
  severity: 'warning',
  description:
    "The infra provider shares subnet, bridge and VLAN with the Talos VMs it provisions (the architecture's choice, not the provider's need).",
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
          message: `provider host ${provider.host} runs on Proxmox cluster ${host.cluster}, but ${where} puts Talos VMs on ${talos.cluster}; ${NOT_REQUIRED}`,
        });
      } else if (!sameSegment(host.network, talos.network)) {
        findings.push({
          path: where,
          message: `Talos VMs join ${talos.networkName} (${talos.network.subnet} on ${talos.network.bridge}${talos.network.vlan ? ` VLAN ${talos.network.vlan}` : ''}) but provider host ${provider.host} is on ${host.network.subnet} on ${host.network.bridge}${host.network.vlan ? ` VLAN ${host.network.vlan}` : ''} (guests.${provider.host}.lan.network); ${NOT_REQUIRED}`,
        });
      }
    }
    return findings;
  },
};
