import { subnetContains } from '../models/ipv4.js';
import type { Rule, RuleFinding } from './rule.js';
import { gatewayPathInto, guestLan, talosNetworks } from './topology-facts.js';

/**
 * The SideroLink WireGuard address Omni advertises is an IP the Talos VMs can reach: on their own subnet, or through
 * the UniFi gateway, which must reach both the address and the Talos subnet (it serves them, or a static route leads
 * there). It should be the Omni host's own LAN address.
 */
export const siderolinkAddressRule: Rule = {
  id: 'siderolink-address',
  severity: 'error',
  description: 'The advertised SideroLink WireGuard address is reachable from every Talos subnet.',
  check(topology) {
    const address = topology.omni.siderolink.wireguardAddress;
    const path = 'omni.siderolink.wireguardAddress';
    const findings: RuleFinding[] = [];
    const host = guestLan(topology, topology.omni.host);
    if (host && address !== host.address) {
      findings.push({
        path,
        message: `${address} is not the Omni host's LAN address ${host.address} (guests.${host.guest}.lan.address); WireGuard answers from the host's own address`,
      });
    }
    const reported = new Set<string>();
    for (const talos of talosNetworks(topology)) {
      const subnet = talos.network.subnet;
      if (reported.has(subnet) || subnetContains(subnet, address)) continue;
      const reached = gatewayPathInto(topology, `${address}/32`) && gatewayPathInto(topology, subnet);
      if (!reached) {
        reported.add(subnet);
        findings.push({
          path,
          message: `${address} is not reachable from the Talos subnet ${subnet} (machineClasses.${talos.machineClass}.network): it is outside that subnet, and the UniFi gateway does not reach both it and that subnet (unifi.networks, routes)`,
        });
      }
    }
    return findings;
  },
};
