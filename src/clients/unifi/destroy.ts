/**
 * Destroy for UniFi: removes the static DNS records and static routes the SDK can prove are the topology's, and
 * nothing else.
 *
 * @module
 */
import type { ArtifactSet } from '../../generators/artifact.js';
import type { Change, Plan, UnmanagedObject } from '../../plan/change.js';
import { createChange, createPlan } from '../../plan/change.js';
import { applyInRounds } from '../apply-rounds.js';
import type { UnifiApplyOptions } from './apply.js';
import type { DnsRecordsSpec, StaticRoutesSpec } from './artifacts.js';
import { dnsRecordId, readUnifiArtifacts } from './artifacts.js';
import type { UnifiClient } from './client.js';
import type { StaticDnsRecord } from './dns-steps.js';
import { inZone, isProtectedRecord } from './dns-steps.js';
import { fieldDifferences } from './field-differences.js';
import type { StaticRoute } from './route-steps.js';
import type { UnifiStep } from './step.js';
import { withSignal } from './step.js';

/**
 * Options of {@link planUnifiDestroy} and {@link destroyUnifi}: those of apply but `adopt`. `prune` overrides the DNS
 * artifact's: whether its `zone` is the topology's, so that every declared record inside it is owned.
 */
export type UnifiDestroyOptions = Omit<UnifiApplyOptions, 'adopt'>;

/** What {@link destroyUnifi} did. */
export interface UnifiDestroyResult {
  /** The plan it worked from (read fresh from the console). */
  readonly plan: Plan;
  /** The deletions that took effect, in order. */
  readonly applied: readonly Change[];
  /** Always empty: nothing here waits for consent. */
  readonly skipped: readonly Change[];
}

const enc = encodeURIComponent;

interface DestroySteps {
  readonly steps: UnifiStep[];
  readonly unmanaged: UnmanagedObject[];
}

/**
 * The DNS records to delete: a declared record (by name and type) that the console does not protect and that the SDK
 * can prove is the topology's: inside the zone a pruned artifact claims, or holding exactly the declared values (what
 * apply writes; a record that differs was never rewritten without `adopt`, so it is a person's). Second records with a
 * declared name and type, and undeclared records, are kept: a static DNS record has no field for a marker.
 */
async function dnsDestroySteps(
  dns: DnsRecordsSpec,
  prune: boolean,
  client: UnifiClient,
  signal: AbortSignal | undefined,
): Promise<DestroySteps> {
  const base = `/site/${enc(dns.site)}/static-dns`;
  const live = await client.v2<StaticDnsRecord[]>('GET', base, withSignal(signal));
  const steps: UnifiStep[] = [];
  const unmanaged: UnmanagedObject[] = [];
  const declared = new Map(dns.records.map((record) => [dnsRecordId(record), record]));
  const seen = new Set<string>();
  for (const record of live) {
    const id = dnsRecordId(record);
    const desired = declared.get(id);
    const keep = (reason: string): void => void unmanaged.push({ kind: 'static-dns', id, reason });
    if (!desired) {
      keep('not declared by the topology; kept');
      continue;
    }
    if (seen.has(id)) {
      keep(`a second record with a declared name and type (${record._id}); kept for a person to remove`);
      continue;
    }
    seen.add(id);
    if (isProtectedRecord(record)) {
      steps.push({
        phase: 1,
        change: createChange('unifi', 'static-dns', id, 'no-op', [], ['a protected console record; never deleted']),
      });
      continue;
    }
    const claimed = prune && inZone(record.key, dns.zone);
    if (!claimed && fieldDifferences(record, desired, ['key', 'record_type']).length > 0) {
      keep('differs from the declared record outside a pruned zone: the SDK cannot prove it wrote it; kept');
      continue;
    }
    steps.push({
      phase: 1,
      change: createChange(
        'unifi',
        'static-dns',
        id,
        'delete',
        [],
        [claimed ? `inside the pruned zone ${dns.zone}` : 'holds exactly the declared record'],
      ),
      run: async (c, s) => void (await c.v2('DELETE', `${base}/${enc(record._id)}`, withSignal(s))),
    });
  }
  return { steps, unmanaged };
}

/**
 * The routes to delete: every route named with the topology's prefix (duplicates too), and a route named with the
 * legacy prefix and a declared route's name (apply renames it, so it is the topology's). Other routes are kept.
 */
async function routeDestroySteps(
  routes: StaticRoutesSpec,
  client: UnifiClient,
  signal: AbortSignal | undefined,
): Promise<DestroySteps> {
  const base = `/s/${enc(routes.site)}/rest/routing`;
  const live = await client.v1<StaticRoute>('GET', base, withSignal(signal));
  const legacyNames = new Set(
    routes.legacyNamePrefix === undefined
      ? []
      : routes.routes.map((route) => routes.legacyNamePrefix + route.name.slice(routes.namePrefix.length)),
  );
  const steps: UnifiStep[] = [];
  const unmanaged: UnmanagedObject[] = [];
  const named = new Set<string>();
  for (const route of live) {
    const owned = route.name.startsWith(routes.namePrefix) || legacyNames.has(route.name);
    if (!owned) {
      unmanaged.push({
        kind: 'static-route',
        id: route.name,
        reason: `name does not start with ${routes.namePrefix}; kept`,
      });
      continue;
    }
    const id = named.has(route.name) ? `${route.name} ${route._id}` : route.name;
    named.add(route.name);
    steps.push({
      phase: 2,
      change: createChange('unifi', 'static-route', id, 'delete', [], ['owned (name prefix)']),
      run: async (c, s) => void (await c.v1('DELETE', `${base}/${enc(route._id)}`, withSignal(s))),
    });
  }
  return { steps, unmanaged };
}

/**
 * Reads the console (one `GET` of the records and one of the routes, concurrently) and works out what destroying the
 * UniFi artifacts removes.
 *
 * @param set - The artifact set.
 * @param client - A client for the console.
 * @param options - Prune override and signal.
 * @returns The plan (`delete` per owned object, records and routes kept listed as unmanaged) and its steps.
 */
export async function buildUnifiDestroySteps(
  set: ArtifactSet,
  client: UnifiClient,
  options: UnifiDestroyOptions = {},
): Promise<{ plan: Plan; steps: UnifiStep[] }> {
  const { dns, routes } = readUnifiArtifacts(set);
  const parts = await Promise.all([
    dns ? dnsDestroySteps(dns, options.prune ?? dns.prune, client, options.signal) : undefined,
    routes ? routeDestroySteps(routes, client, options.signal) : undefined,
  ]);
  const steps = parts.flatMap((part) => part?.steps ?? []);
  const unmanaged = parts.flatMap((part) => part?.unmanaged ?? []);
  const plan = createPlan(
    'unifi',
    steps.map((step) => step.change),
    unmanaged,
  );
  return { plan, steps };
}

/**
 * Plans the destroy of the UniFi artifacts: which records and routes the SDK owns and would delete. Reads only.
 *
 * A static DNS record has no field for an ownership marker, so a declared record is deleted only when the SDK can
 * prove it is the topology's: inside the zone of an artifact with `prune`, or holding exactly the declared values.
 * Undeclared records, records that differ outside a pruned zone and records the console protects stay. A route is
 * owned by its name prefix (`talos-sdk:<topology>:`).
 *
 * @param set - The artifact set.
 * @param client - A client for the console.
 * @param options - Prune override and signal.
 * @returns The plan: a `delete` per owned record and route; the others listed as unmanaged.
 *
 * @example
 * ```ts
 * import { formatPlan, readArtifactSet } from '@talos-sdk/topology';
 * import { UnifiClient, planUnifiDestroy, unifiOptionsFromEnv } from '@talos-sdk/topology/unifi';
 *
 * const { url, credentials, tls } = unifiOptionsFromEnv();
 * const client = new UnifiClient({ url, credentials, tls });
 * console.log(formatPlan(await planUnifiDestroy(await readArtifactSet('out'), client)));
 * await client.close();
 * ```
 */
export async function planUnifiDestroy(
  set: ArtifactSet,
  client: UnifiClient,
  options: UnifiDestroyOptions = {},
): Promise<Plan> {
  return (await buildUnifiDestroySteps(set, client, options)).plan;
}

/**
 * Plans the destroy (see {@link planUnifiDestroy}), then deletes the owned records and routes (`DELETE` per object).
 * A delete that fails or goes unanswered is not repeated blindly: the console is read again and an object gone counts
 * as deleted, for a bounded number of rounds, as apply does. Running it again finds nothing to delete.
 *
 * @param set - The artifact set.
 * @param client - A client for the console.
 * @param options - Prune override, rounds and signal.
 * @returns The first plan and the deletions that took effect.
 * @throws HTTP errors: fatal ones at once, a refusal, or the last error when the rounds run out.
 *
 * @example
 * ```ts
 * import { readArtifactSet } from '@talos-sdk/topology';
 * import { UnifiClient, destroyUnifi, unifiOptionsFromEnv } from '@talos-sdk/topology/unifi';
 *
 * const { url, credentials, tls } = unifiOptionsFromEnv();
 * const client = new UnifiClient({ url, credentials, tls });
 * const { applied } = await destroyUnifi(await readArtifactSet('out'), client);
 * console.log(`deleted ${applied.length}`);
 * await client.close();
 * ```
 */
export async function destroyUnifi(
  set: ArtifactSet,
  client: UnifiClient,
  options: UnifiDestroyOptions = {},
): Promise<UnifiDestroyResult> {
  const { plan, applied } = await applyInRounds(() => buildUnifiDestroySteps(set, client, options), client, options);
  return { plan, applied, skipped: [] };
}
