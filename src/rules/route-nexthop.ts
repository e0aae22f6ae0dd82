import { subnetContains } from '../models/ipv4.js';
import type { Rule, RuleFinding } from './rule.js';

/**
 * A static route's next hop is directly connected: it lies inside one of the topology's networks, and not inside
 * the route's own destination (a route into a subnet through an address in that subnet leads nowhere).
 */
export const routeNexthopRule: Rule = {
  id: 'route-nexthop',
  severity: 'error',
  description: "Every static route's next hop is on a declared network and outside the route's destination.",
  check(topology) {
    const networks = Object.entries(topology.proxmox).flatMap(([cluster, spec]) =>
      Object.entries(spec.networks).map(([name, network]) => ({
        where: `proxmox.${cluster}.networks.${name}`,
        network,
      })),
    );
    const findings: RuleFinding[] = [];
    topology.routes.forEach((route, index) => {
      const path = `routes.${index}.nexthop`;
      if (subnetContains(route.network, route.nexthop)) {
        findings.push({ path, message: `${route.nexthop} lies inside the route's own destination ${route.network}` });
      } else if (!networks.some(({ network }) => subnetContains(network.subnet, route.nexthop))) {
        findings.push({
          path,
          message: `${route.nexthop} is on none of the declared networks (${networks.map(({ where, network }) => `${where} ${network.subnet}`).join(', ')}); the gateway could not reach it`,
        });
      }
    });
    return findings;
  },
};
