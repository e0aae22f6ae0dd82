import type { Rule, RuleFinding } from './rule.js';
import { nexthopProblem } from './topology-facts.js';

/**
 * A static route's next hop is another router the UniFi gateway is directly connected to: inside a network the
 * gateway serves (`unifi.networks`), not the gateway's own address there, and outside the route's destination. A
 * route through the gateway's own address points back at itself and forwards nothing; one through an address it has
 * no connected network for is unreachable. (`static-route_nexthop` of a `nexthop-route` on `rest/routing`:
 * ubiquiti-community/go-unifi `unifi/routing.generated.go`.)
 */
export const routeNexthopRule: Rule = {
  id: 'route-nexthop',
  severity: 'error',
  description:
    "Every static route's next hop is another router on a network the UniFi gateway serves, outside the route's destination.",
  check(topology) {
    const findings: RuleFinding[] = [];
    topology.routes.forEach((route, index) => {
      const problem = nexthopProblem(topology, route);
      if (problem) findings.push({ path: `routes.${index}.nexthop`, message: problem });
    });
    return findings;
  },
};
