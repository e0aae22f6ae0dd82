import { subnetCovers } from '../models/ipv4.js';
import type { Rule, RuleFinding } from './rule.js';
import { gatewayNetworks } from './topology-facts.js';

/**
 * A static route leads to a subnet behind another router. A subnet inside a network the UniFi gateway serves is one of
 * its connected routes already: the gateway delivers there itself, and a static route into it would only compete with
 * the connected route. A route covering a served network, such as a summary `/16`, stays valid: the longer connected
 * prefix wins for the served part.
 */
export const routeDestinationRule: Rule = {
  id: 'route-destination',
  severity: 'error',
  description:
    'Every static route leads to a subnet behind another router, never into a network the UniFi gateway serves.',
  check(topology) {
    const served = gatewayNetworks(topology);
    const findings: RuleFinding[] = [];
    topology.routes.forEach((route, index) => {
      const own = served.find((network) => subnetCovers(network.subnet, route.network));
      if (own) {
        findings.push({
          path: `routes.${index}.network`,
          message: `${route.network} is served by the UniFi gateway itself (${own.where} ${own.subnet}, gateway ${own.gateway}); it already routes there, so remove this route`,
        });
      }
    });
    return findings;
  },
};
