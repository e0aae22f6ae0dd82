import * as z from './zod.js';
import { lazy } from './lazy.js';
import { cidrSchema, domainSchema, ipv4Schema, nameSchema, refineWith, WHEN_VALID } from './primitives.js';
import { checkDnsRecordValue, checkUniqueRecords } from './refinements.js';

/** A local DNS record served by the UniFi gateway (the inside half of split-horizon DNS). */
export const dnsRecordSchema = lazy(() =>
  refineWith(
    z.strictObject({
      /** The fully qualified name, e.g. `omni.spaceships.work`. */
      name: domainSchema().meta({ description: 'The fully qualified name, e.g. `omni.spaceships.work`.' }),
      /** Record type. */
      type: z.enum(['A', 'CNAME']).default('A').meta({ description: 'Record type.' }),
      /** An IPv4 address for `A`, a domain for `CNAME`. */
      value: z.string().min(1).meta({ description: 'An IPv4 address for `A`, a domain for `CNAME`.' }),
      /** TTL in seconds; 0 lets the gateway choose. */
      ttl: z.int().min(0).max(65535).default(0).meta({ description: 'TTL in seconds; 0 lets the gateway choose.' }),
    }),
    checkDnsRecordValue,
    WHEN_VALID,
  ),
);

/** Local DNS on the UniFi gateway. */
export const dnsSchema = lazy(() =>
  z.strictObject({
    /** The zone the SDK manages; only records inside it are ever pruned. */
    zone: domainSchema().meta({ description: 'The zone the SDK manages; only records inside it are ever pruned.' }),
    /** The records. */
    records: refineWith(z.array(dnsRecordSchema()).default([]), checkUniqueRecords, WHEN_VALID).meta({
      description: 'The records.',
    }),
    /** Delete records in the zone that the topology does not declare. */
    prune: z
      .boolean()
      .default(false)
      .meta({ description: 'Delete records in the zone that the topology does not declare.' }),
  }),
);

/**
 * A static route on the UniFi gateway, to a subnet behind another router. The gateway already routes between the
 * networks it serves ({@link servedNetworkSchema}), so a route into one of them, or through one of its own addresses,
 * means nothing: rules `route-destination` and `route-nexthop` refuse both.
 */
export const staticRouteSchema = lazy(() =>
  z.strictObject({
    /** Route name (named `talos-sdk:<topology>:<name>` on the gateway). */
    name: nameSchema().meta({ description: 'Route name (named `talos-sdk:<topology>:<name>` on the gateway).' }),
    /** Destination subnet: a subnet behind another router, e.g. a lab LAN behind a second router. */
    network: cidrSchema().meta({
      description: 'Destination subnet: a subnet behind another router, e.g. a lab LAN behind a second router.',
    }),
    /**
     * Next-hop router address: the other router's address on a network the UniFi gateway serves (directly connected),
     * never the gateway's own address.
     */
    nexthop: ipv4Schema().meta({
      description:
        "Next-hop router address: the other router's address on a network the UniFi gateway serves (directly connected), never the gateway's own address.",
    }),
    /** Administrative distance. */
    distance: z.int().min(1).max(255).default(1).meta({ description: 'Administrative distance.' }),
  }),
);

/**
 * A network the UniFi gateway serves: one of its own LANs or VLANs (Settings > Networks; `rest/networkconf` with
 * `purpose: corporate`, whose `ip_subnet` is the gateway's address with the prefix, e.g. `192.168.3.1/24`). The
 * gateway routes between the networks it serves without any static route.
 *
 * A Proxmox network on the same subnet must name this address as its `gateway` (rule `unifi-networks`).
 *
 * @example
 * ```ts
 * unifi: { networks: { matrix: { subnet: '192.168.3.0/24', gateway: '192.168.3.1' } } }
 * ```
 */
export const servedNetworkSchema = lazy(() =>
  z.strictObject({
    /** The network's IPv4 subnet, e.g. `192.168.3.0/24`. */
    subnet: cidrSchema().meta({ description: "The network's IPv4 subnet, e.g. `192.168.3.0/24`." }),
    /** The gateway's own address on it, e.g. `192.168.3.1` (the address part of UniFi's "Gateway IP/Subnet"). */
    gateway: ipv4Schema().meta({
      description:
        'The gateway\'s own address on it, e.g. `192.168.3.1` (the address part of UniFi\'s "Gateway IP/Subnet").',
    }),
  }),
);

/** The UniFi Network application that serves local DNS and routes. */
export const unifiSchema = lazy(() =>
  z
    .strictObject({
      /** Site short name. */
      site: z
        .string()
        .regex(/^[a-z0-9_-]+$/)
        .default('default')
        .meta({ description: 'Site short name.' }),
      /**
       * The networks the UniFi gateway serves, by name, e.g. `matrix`. Subnets listed here reach each other through the
       * gateway with no static route; routes are only for subnets behind other routers.
       */
      networks: z.record(nameSchema(), servedNetworkSchema()).default({}).meta({
        description:
          'The networks the UniFi gateway serves, by name, e.g. `matrix`. Subnets listed here reach each other through the gateway with no static route; routes are only for subnets behind other routers.',
      }),
    })
    .default({ site: 'default', networks: {} }),
);

/** A DNS record, validated. */
export type DnsRecord = z.output<ReturnType<typeof dnsRecordSchema>>;
/** Local DNS, validated. */
export type Dns = z.output<ReturnType<typeof dnsSchema>>;
/** A static route, validated. */
export type StaticRoute = z.output<ReturnType<typeof staticRouteSchema>>;
/** A network the UniFi gateway serves, validated. */
export type ServedNetwork = z.output<ReturnType<typeof servedNetworkSchema>>;
/** UniFi settings, validated. */
export type Unifi = z.output<ReturnType<typeof unifiSchema>>;
