import * as z from './zod.js';
import { lazy } from './lazy.js';
import { repeats } from './repeats.js';
import { IPV4_PATTERN } from './ipv4.js';
import {
  addRuleIssue,
  cidrSchema,
  DOMAIN_PATTERN,
  domainSchema,
  ipv4Schema,
  nameSchema,
  WHEN_VALID,
} from './primitives.js';

/** A local DNS record served by the UniFi gateway (the inside half of split-horizon DNS). */
export const dnsRecordSchema = lazy(() =>
  z
    .strictObject({
      /** The fully qualified name, e.g. `omni.spaceships.work`. */
      name: domainSchema(),
      /** Record type. */
      type: z.enum(['A', 'CNAME']).default('A'),
      /** An IPv4 address for `A`, a domain for `CNAME`. */
      value: z.string().min(1),
      /** TTL in seconds; 0 lets the gateway choose. */
      ttl: z.int().min(0).max(65535).default(0),
    })
    .superRefine((record, ctx) => {
      const valid = record.type === 'A' ? IPV4_PATTERN.test(record.value) : DOMAIN_PATTERN.test(record.value);
      if (!valid) {
        addRuleIssue(ctx, {
          rule: 'format',
          path: ['value'],
          message: record.type === 'A' ? 'an A record needs an IPv4 address' : 'a CNAME record needs a domain name',
        });
      }
    }, WHEN_VALID),
);

/** Local DNS on the UniFi gateway. */
export const dnsSchema = lazy(() =>
  z.strictObject({
    /** The zone the SDK manages; only records inside it are ever pruned. */
    zone: domainSchema(),
    /** The records. */
    records: z
      .array(dnsRecordSchema())
      .default([])
      .superRefine((records, ctx) => {
        for (const { item, index, first } of repeats(records, (record) => record.name)) {
          addRuleIssue(ctx, {
            rule: 'unique-record',
            path: [index],
            message: `${item.name} is already declared at dns.records.${first}; a name has one A record or one CNAME, not both`,
          });
        }
      }, WHEN_VALID),
    /** Delete records in the zone that the topology does not declare. */
    prune: z.boolean().default(false),
  }),
);

/** A static route on the UniFi gateway. */
export const staticRouteSchema = lazy(() =>
  z.strictObject({
    /** Route name (prefixed with `talos-sdk:` on the gateway). */
    name: nameSchema(),
    /** Destination subnet. */
    network: cidrSchema(),
    /** Next-hop router address. */
    nexthop: ipv4Schema(),
    /** Administrative distance. */
    distance: z.int().min(1).max(255).default(1),
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
        .default('default'),
    })
    .default({ site: 'default' }),
);

/** A DNS record, validated. */
export type DnsRecord = z.output<ReturnType<typeof dnsRecordSchema>>;
/** Local DNS, validated. */
export type Dns = z.output<ReturnType<typeof dnsSchema>>;
/** A static route, validated. */
export type StaticRoute = z.output<ReturnType<typeof staticRouteSchema>>;
/** UniFi settings, validated. */
export type Unifi = z.output<ReturnType<typeof unifiSchema>>;
