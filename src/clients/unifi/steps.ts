import type { ArtifactSet } from '../../generators/artifact.js';
import type { Change, FieldDiff, Plan, UnmanagedObject } from '../../plan/change.js';
import { createChange, createPlan } from '../../plan/change.js';
import type { StaticRouteBody } from './artifacts.js';
import { dnsRecordId, readUnifiArtifacts } from './artifacts.js';
import type { UnifiClient } from './client.js';

/** Options shared by `planUnifi` and `applyUnifi`. */
export interface UnifiPlanOptions {
  /** Overrides the DNS artifact's `prune`: delete undeclared A/AAAA/CNAME records inside its `zone`. */
  readonly prune?: boolean;
  /** Cancels the requests. */
  readonly signal?: AbortSignal;
}

/** A static DNS record as `GET …/static-dns` returns it. */
export interface StaticDnsRecord {
  /** Record ID. */
  readonly _id: string;
  /** Host name. */
  readonly key: string;
  /** Record type. */
  readonly record_type: string;
  /** Value (address, target…). */
  readonly value: string;
  /** The console will not delete it. */
  readonly attr_no_delete?: boolean;
  /** Hidden from the UI (e.g. created by the console itself). */
  readonly attr_hidden?: boolean;
  /** The console will not edit it. */
  readonly attr_no_edit?: boolean;
  /** Every other field. */
  readonly [field: string]: unknown;
}

/** A static route as `GET …/rest/routing` returns it. */
export interface StaticRoute {
  /** Route ID. */
  readonly _id: string;
  /** Route name; owned by the SDK when it starts with the artifact's prefix. */
  readonly name: string;
  /** Every other field. */
  readonly [field: string]: unknown;
}

/** One planned change with what applying it does. */
interface UnifiStep {
  /** The change as the plan shows it. */
  readonly change: Change;
  /** Apply order: creates and updates first, deletes last. */
  readonly phase: number;
  /** Performs the change; absent for `no-op`. */
  readonly run?: (client: UnifiClient, signal: AbortSignal | undefined) => Promise<void>;
}

/** The plan for a console and the steps behind its changes. */
interface UnifiSteps {
  /** The plan: one change per step, plus live objects left alone. */
  readonly plan: Plan;
  /** The steps, unordered. */
  readonly steps: readonly UnifiStep[];
}

const PRUNABLE_TYPES = new Set(['A', 'AAAA', 'CNAME']);
const enc = encodeURIComponent;

function differences(
  live: Readonly<Record<string, unknown>>,
  desired: Readonly<Record<string, unknown>>,
  skip: readonly string[],
): FieldDiff[] {
  return Object.entries(desired)
    .filter(([key, value]) => !skip.includes(key) && String(live[key]) !== String(value))
    .map(([path, after]) => (live[path] === undefined ? { path, after } : { path, before: live[path], after }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

function inZone(key: string, zone: string | undefined): boolean {
  if (!zone) return false;
  const name = key.toLowerCase().replace(/\.$/, '');
  const suffix = zone.toLowerCase().replace(/\.$/, '');
  return name === suffix || name.endsWith(`.${suffix}`);
}

/**
 * Reads the console and works out what applying the UniFi artifacts would do. Only declared records and routes are
 * created or updated; only routes named with the prefix are deleted; DNS records are deleted only with prune, only
 * A/AAAA/CNAME inside the zone, and never protected ones.
 *
 * @param set - The artifact set.
 * @param client - A client for the console.
 * @param options - Prune override and signal.
 * @returns The plan and its steps: `planUnifi` returns the plan, `applyUnifi` runs the steps.
 */
export async function buildUnifiSteps(
  set: ArtifactSet,
  client: UnifiClient,
  options: UnifiPlanOptions,
): Promise<UnifiSteps> {
  const { dns, routes } = readUnifiArtifacts(set);
  const signal = options.signal;
  const request = signal ? { signal } : {};
  const steps: UnifiStep[] = [];
  const unmanaged: UnmanagedObject[] = [];

  if (dns) {
    const base = `/site/${enc(dns.site)}/static-dns`;
    const live = await client.v2<StaticDnsRecord[]>('GET', base, request);
    const matched = new Set<StaticDnsRecord>();
    for (const desired of dns.records) {
      const id = dnsRecordId(desired);
      const [current, ...duplicates] = live.filter((record) => dnsRecordId(record) === id);
      for (const duplicate of duplicates) {
        matched.add(duplicate);
        unmanaged.push({
          kind: 'static-dns',
          id: `${id} ${duplicate._id}`,
          reason: 'a second record with a declared name and type; left for a person to remove',
        });
      }
      if (!current) {
        const fields = Object.entries(desired).map(([path, after]) => ({ path, after }));
        steps.push({
          phase: 1,
          change: createChange('unifi', 'static-dns', id, 'create', fields),
          run: async (c, s) => void (await c.v2('POST', base, { json: desired, ...(s ? { signal: s } : {}) })),
        });
        continue;
      }
      matched.add(current);
      const fields = differences(current, desired, ['key', 'record_type']);
      if (current.attr_no_edit || current.attr_no_delete || current.attr_hidden) {
        steps.push({
          phase: 1,
          change: createChange(
            'unifi',
            'static-dns',
            id,
            'no-op',
            [],
            [`matches a protected console record${fields.length ? ' that differs' : ''}; never changed`],
          ),
        });
        continue;
      }
      const body = { ...current, ...desired };
      steps.push({
        phase: 1,
        change: createChange('unifi', 'static-dns', id, fields.length ? 'update' : 'no-op', fields),
        ...(fields.length
          ? {
              run: async (c: UnifiClient, s: AbortSignal | undefined) =>
                void (await c.v2('PUT', `${base}/${enc(current._id)}`, { json: body, ...(s ? { signal: s } : {}) })),
            }
          : {}),
      });
    }
    const prune = options.prune ?? dns.prune;
    for (const record of live) {
      if (matched.has(record)) continue;
      const id = dnsRecordId(record);
      const reason =
        record.attr_no_delete || record.attr_hidden
          ? 'protected by the console (attr_no_delete/attr_hidden)'
          : !PRUNABLE_TYPES.has(record.record_type)
            ? `${record.record_type} records are never pruned`
            : !inZone(record.key, dns.zone)
              ? dns.zone
                ? `outside zone ${dns.zone}`
                : 'the DNS artifact declares no zone, so nothing is pruned'
              : !prune
                ? 'not declared; prune is off'
                : undefined;
      if (reason) unmanaged.push({ kind: 'static-dns', id, reason });
      else
        steps.push({
          phase: 2,
          change: createChange(
            'unifi',
            'static-dns',
            id,
            'delete',
            [],
            [`not declared in zone ${dns.zone}; prune is on`],
          ),
          run: async (c, s) => void (await c.v2('DELETE', `${base}/${enc(record._id)}`, s ? { signal: s } : {})),
        });
    }
  }

  if (routes) {
    const base = `/s/${enc(routes.site)}/rest/routing`;
    const live = await client.v1<StaticRoute>('GET', base, request);
    const desiredNames = new Set(routes.routes.map((route) => route.name));
    for (const desired of routes.routes) {
      const [current] = live.filter((route) => route.name === desired.name);
      if (!current) {
        const fields = Object.entries(desired).map(([path, after]) => ({ path, after }));
        steps.push({
          phase: 1,
          change: createChange('unifi', 'static-route', desired.name, 'create', fields),
          run: async (c, s) => void (await c.v1('POST', base, { json: desired, ...(s ? { signal: s } : {}) })),
        });
        continue;
      }
      const fields = differences(current, desired, ['name']);
      const body: StaticRouteBody = { ...current, ...desired };
      steps.push({
        phase: 1,
        change: createChange('unifi', 'static-route', desired.name, fields.length ? 'update' : 'no-op', fields),
        ...(fields.length
          ? {
              run: async (c: UnifiClient, s: AbortSignal | undefined) =>
                void (await c.v1('PUT', `${base}/${enc(current._id)}`, { json: body, ...(s ? { signal: s } : {}) })),
            }
          : {}),
      });
    }
    const firstOfName = new Map<string, StaticRoute>();
    for (const route of live) if (!firstOfName.has(route.name)) firstOfName.set(route.name, route);
    for (const route of live) {
      if (!route.name.startsWith(routes.namePrefix)) {
        unmanaged.push({
          kind: 'static-route',
          id: route.name,
          reason: `name does not start with ${routes.namePrefix}`,
        });
        continue;
      }
      const duplicate = firstOfName.get(route.name) !== route;
      if (desiredNames.has(route.name) && !duplicate) continue;
      steps.push({
        phase: 3,
        change: createChange(
          'unifi',
          'static-route',
          duplicate ? `${route.name} ${route._id}` : route.name,
          'delete',
          [],
          [duplicate ? 'second route with this name' : 'owned (name prefix) but no longer declared'],
        ),
        run: async (c, s) => void (await c.v1('DELETE', `${base}/${enc(route._id)}`, s ? { signal: s } : {})),
      });
    }
  }
  const plan = createPlan(
    'unifi',
    steps.map((step) => step.change),
    unmanaged,
  );
  return { plan, steps };
}
