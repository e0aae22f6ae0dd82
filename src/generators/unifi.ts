import type { Topology } from '../models/define.js';
import type { Artifact } from './artifact.js';
import { createArtifact } from './artifact.js';
import { ROUTE_NAME_PREFIX, routeNamePrefix } from './ownership.js';
import { toCanonicalJson } from './serialize.js';

/**
 * `unifi/dns-records.json`: the local DNS records as `static-dns` request bodies, with the zone and prune setting
 * that bound what the client may delete.
 *
 * @param topology - A validated topology.
 * @returns The artifact; records sorted by name then type.
 */
export function unifiDnsArtifact(topology: Topology): Artifact {
  const records = [...topology.dns.records]
    .sort((a, b) => (a.name + a.type < b.name + b.type ? -1 : 1))
    .map((record) => ({
      enabled: true,
      key: record.name,
      record_type: record.type,
      ttl: record.ttl,
      value: record.value,
    }));
  return createArtifact(
    'unifi/dns-records.json',
    'unifi-dns-records',
    toCanonicalJson({ site: topology.unifi.site, zone: topology.dns.zone, prune: topology.dns.prune, records }),
  );
}

/**
 * `unifi/static-routes.json`: the static routes as `rest/routing` request bodies (`static-route_type:
 * nexthop-route`); every name carries the prefix `talos-sdk:<topology>:` that marks the routes this topology owns, and
 * `legacyNamePrefix` names the prefix of routes written before ownership carried the topology (`talos-sdk:`), which
 * the client renames when their route is declared here. Only routes to
 * subnets behind other routers exist here: the rules refuse a route into a network the gateway serves or through its
 * own address before anything is generated. The file is written even with no routes, so that applying it deletes
 * routes the SDK created earlier and no longer declares (never routes without the prefix).
 *
 * @param topology - A validated topology.
 * @returns The artifact; routes sorted by name.
 */
export function unifiRoutesArtifact(topology: Topology): Artifact {
  const namePrefix = routeNamePrefix(topology.name);
  const routes = [...topology.routes]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((route) => ({
      enabled: true,
      gateway_type: 'default',
      name: `${namePrefix}${route.name}`,
      'static-route_distance': route.distance,
      'static-route_network': route.network,
      'static-route_nexthop': route.nexthop,
      'static-route_type': 'nexthop-route',
      type: 'static-route',
    }));
  return createArtifact(
    'unifi/static-routes.json',
    'unifi-static-routes',
    toCanonicalJson({ site: topology.unifi.site, namePrefix, legacyNamePrefix: ROUTE_NAME_PREFIX, routes }),
  );
}
