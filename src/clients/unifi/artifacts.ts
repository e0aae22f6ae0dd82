import * as z from '../../models/zod.js';
import type { ArtifactSet } from '../../generators/artifact.js';
import { artifactsOfKind } from '../../generators/artifact.js';
import { ArtifactSetError } from '../../generators/read.js';
import { parseJsonArtifact } from '../json-artifact.js';

const DnsRecordSchema = z.looseObject({
  key: z.string().min(1).max(128),
  record_type: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SRV', 'TXT']),
  value: z.string().min(1).max(256),
  ttl: z.number().int().min(0).max(65535).optional(),
  enabled: z.boolean().optional(),
});

const DnsArtifactSchema = z.object({
  site: z.string().min(1),
  prune: z.boolean(),
  zone: z.string().min(1).optional(),
  records: z.array(DnsRecordSchema),
});

const RouteSchema = z.looseObject({ name: z.string().min(1).max(128) });

const RoutesArtifactSchema = z.object({
  site: z.string().min(1),
  namePrefix: z.string().min(1),
  legacyNamePrefix: z.string().min(1).optional(),
  routes: z.array(RouteSchema),
});

/** A static DNS record body (`POST …/static-dns`), as generated. */
export interface StaticDnsBody {
  /** Host name, e.g. `omni.spaceships.work`. */
  readonly key: string;
  /** `A`, `AAAA`, `CNAME`, `MX`, `NS`, `PTR`, `SOA`, `SRV` or `TXT`. */
  readonly record_type: string;
  /** Address or target. */
  readonly value: string;
  /** Seconds; 0 = default. */
  readonly ttl?: number;
  /** `false` to keep the record but not serve it. */
  readonly enabled?: boolean;
  /** Any other record field (`port`, `priority`, `weight`…). */
  readonly [field: string]: unknown;
}

/** A static route body (`POST …/rest/routing`), as generated. */
export interface StaticRouteBody {
  /** Route name; starts with the artifact's `namePrefix`. */
  readonly name: string;
  /** Every other route field (`static-route_network`, `static-route_nexthop`…). */
  readonly [field: string]: unknown;
}

/** The `unifi-dns-records` artifact. */
export interface DnsRecordsSpec {
  /** Site short name, e.g. `default`. */
  readonly site: string;
  /** Delete undeclared A/AAAA/CNAME records inside `zone`. */
  readonly prune: boolean;
  /** The DNS zone the SDK manages; without it nothing is pruned. */
  readonly zone?: string;
  /** The records. */
  readonly records: readonly StaticDnsBody[];
}

/** The `unifi-static-routes` artifact. */
export interface StaticRoutesSpec {
  /** Site short name, e.g. `default`. */
  readonly site: string;
  /** Ownership marker: routes whose name starts with it belong to this topology, e.g. `talos-sdk:spaceships:`. */
  readonly namePrefix: string;
  /**
   * The marker of routes written before ownership carried the topology, `talos-sdk:`: a route named with it and a
   * declared route's name is renamed to the current prefix on apply; other such routes are left alone.
   */
  readonly legacyNamePrefix?: string;
  /** The routes. */
  readonly routes: readonly StaticRouteBody[];
}

/** The UniFi artifacts of a set; each may be absent. */
export interface UnifiArtifacts {
  /** Static DNS records. */
  readonly dns?: DnsRecordsSpec;
  /** Static routes. */
  readonly routes?: StaticRoutesSpec;
}

/**
 * Reads the UniFi artifacts of a set, checking what the plan relies on: one record per name and type, and every
 * route named with the ownership prefix.
 *
 * @param set - The artifact set.
 * @returns The DNS and route artifacts, when present.
 * @throws `ArtifactSetError` for malformed artifacts.
 */
export function readUnifiArtifacts(set: ArtifactSet): UnifiArtifacts {
  const dnsArtifact = artifactsOfKind(set, 'unifi-dns-records')[0];
  const routesArtifact = artifactsOfKind(set, 'unifi-static-routes')[0];
  const dns = dnsArtifact ? parseJsonArtifact<DnsRecordsSpec>(dnsArtifact, DnsArtifactSchema) : undefined;
  const routes = routesArtifact ? parseJsonArtifact<StaticRoutesSpec>(routesArtifact, RoutesArtifactSchema) : undefined;
  if (dnsArtifact && dns) {
    const seen = new Set<string>();
    for (const record of dns.records) {
      const id = dnsRecordId(record);
      if (seen.has(id))
        throw new ArtifactSetError(dnsArtifact.path, `declares ${id} twice; one record per name and type`);
      seen.add(id);
    }
  }
  if (routesArtifact && routes) {
    const stray = routes.routes.filter((route) => !route.name.startsWith(routes.namePrefix)).map((route) => route.name);
    if (stray.length)
      throw new ArtifactSetError(
        routesArtifact.path,
        `routes ${stray.join(', ')} do not start with namePrefix '${routes.namePrefix}'`,
      );
  }
  return { ...(dns ? { dns } : {}), ...(routes ? { routes } : {}) };
}

/**
 * The identity of a DNS record in a plan: lower-case name and type.
 *
 * @param record - A record with `key` and `record_type`.
 * @returns E.g. `omni.spaceships.work A`.
 */
export function dnsRecordId(record: { readonly key: string; readonly record_type: string }): string {
  return `${record.key.toLowerCase()} ${record.record_type}`;
}
