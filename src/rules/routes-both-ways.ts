import type { Rule, RuleFinding } from './rule.js';
import { gatewayPathInto, guestLan, talosNetworks } from './topology-facts.js';

/** What is missing when the UniFi gateway cannot reach a subnet, and the two ways to fix it. */
const MISSING_PATH =
  'the UniFi gateway does not serve it (unifi.networks) and no static route with a usable next hop leads there; declare it in unifi.networks if the gateway serves it, or add a route to it via the router it sits behind';

/**
 * Omni's subnet and every Talos subnet reach each other through the UniFi gateway, in both directions: the gateway
 * serves the destination subnet (`unifi.networks`, a connected network) or a static route with a usable next hop
 * leads there. When the gateway serves both subnets no route is needed. A subnet behind another router relies on
 * that router sending the way back through the UniFi gateway (its default route), which the topology cannot see.
 */
export const routesBothWaysRule: Rule = {
  id: 'routes-both-ways',
  severity: 'error',
  description:
    'The Omni subnet and every Talos subnet reach each other: the UniFi gateway serves both, or routes lead each way.',
  check(topology) {
    const omni = guestLan(topology, topology.omni.host);
    if (!omni) return [];
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    for (const talos of talosNetworks(topology)) {
      const subnet = talos.network.subnet;
      if (subnet === omni.network.subnet || seen.has(subnet)) continue;
      seen.add(subnet);
      if (!gatewayPathInto(topology, subnet)) {
        findings.push({
          path: 'routes',
          message: `no way into the Talos subnet ${subnet} (machineClasses.${talos.machineClass}.network) from the Omni subnet ${omni.network.subnet} (guests.${omni.guest}.lan): ${MISSING_PATH}`,
        });
      }
      if (!gatewayPathInto(topology, omni.network.subnet)) {
        findings.push({
          path: 'routes',
          message: `no way back into the Omni subnet ${omni.network.subnet} (guests.${omni.guest}.lan) from the Talos subnet ${subnet} (machineClasses.${talos.machineClass}.network): ${MISSING_PATH}; SideroLink needs both directions`,
        });
      }
    }
    return findings;
  },
};
