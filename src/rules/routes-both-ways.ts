import { subnetContains, subnetCovers } from '../models/ipv4.js';
import type { Topology } from '../models/define.js';
import type { Rule, RuleFinding } from './rule.js';
import { guestLan, talosNetworks } from './topology-facts.js';

/**
 * Tells whether a topology routes traffic into a subnet: a static route covers it, through a next hop outside it.
 *
 * @param topology - A validated topology.
 * @param subnet - The destination subnet.
 * @returns `true` when a route leads there.
 */
function routesInto(topology: Topology, subnet: string): boolean {
  return topology.routes.some((route) => subnetCovers(route.network, subnet) && !subnetContains(subnet, route.nexthop));
}

/** When Omni and the Talos VMs sit on different subnets, static routes must exist in both directions. */
export const routesBothWaysRule: Rule = {
  id: 'routes-both-ways',
  severity: 'error',
  description: 'Static routes connect the Omni subnet and every Talos subnet in both directions.',
  check(topology) {
    const omni = guestLan(topology, topology.omni.host);
    if (!omni) return [];
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    for (const talos of talosNetworks(topology)) {
      const subnet = talos.network.subnet;
      if (subnet === omni.network.subnet || seen.has(subnet)) continue;
      seen.add(subnet);
      const via = `machineClasses.${talos.machineClass}.network`;
      if (!routesInto(topology, subnet)) {
        findings.push({
          path: 'routes',
          message: `no static route into the Talos subnet ${subnet} (${via}) from the Omni subnet ${omni.network.subnet} (guests.${omni.guest}.lan); add one with a next hop outside ${subnet}`,
        });
      }
      if (!routesInto(topology, omni.network.subnet)) {
        findings.push({
          path: 'routes',
          message: `no static route back into the Omni subnet ${omni.network.subnet} (guests.${omni.guest}.lan) from the Talos subnet ${subnet} (${via}); SideroLink registration needs both directions`,
        });
      }
    }
    return findings;
  },
};
