import type { UnmanagedObject } from '../../plan/change.js';
import { createChange } from '../../plan/change.js';
import { HttpError } from '../http/errors.js';
import type { DnsRecordsSpec, StaticDnsBody } from './artifacts.js';
import { dnsRecordId } from './artifacts.js';
import type { UnifiClient } from './client.js';
import { fieldDifferences } from './field-differences.js';
import type { UnifiStep } from './step.js';
import { withSignal } from './step.js';
import { clientOptionText } from '../../plan/client-option.js';

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

const PRUNABLE_TYPES = new Set(['A', 'AAAA', 'CNAME']);
const enc = encodeURIComponent;

/**
 * Whether a record's name lies inside a zone (the zone itself or a name under it), case-insensitively.
 *
 * @param key - The record's name.
 * @param zone - The zone; without one, nothing is inside.
 * @returns `true` when `key` is `zone` or ends with `.<zone>`.
 */
export function inZone(key: string, zone: string | undefined): boolean {
  if (!zone) return false;
  const name = key.toLowerCase().replace(/\.$/, '');
  const suffix = zone.toLowerCase().replace(/\.$/, '');
  return name === suffix || name.endsWith(`.${suffix}`);
}

/**
 * Whether the console protects a record from changes (`attr_no_edit`, `attr_no_delete`, `attr_hidden`): the SDK
 * never changes or deletes it.
 *
 * @param record - A live record.
 * @returns `true` for a protected record.
 */
export function isProtectedRecord(record: StaticDnsRecord): boolean {
  return Boolean(record.attr_no_edit || record.attr_no_delete || record.attr_hidden);
}

/**
 * Whether an error says the console does not offer `PUT` on a static DNS record: `405 Method Not Allowed`, or
 * `501 Not Implemented`, as Network application versions without the update route answer.
 *
 * @param error - What the `PUT` threw.
 * @returns `true` when the verb itself was refused.
 */
function refusesPut(error: unknown): boolean {
  return error instanceof HttpError && (error.status === 405 || error.status === 501);
}

/**
 * Rewrites a record: `PUT` with the whole record while the console takes it; once it refuses the verb, delete and
 * create (remembered on the client for the rest of the run).
 */
async function rewriteRecord(
  client: UnifiClient,
  base: string,
  current: StaticDnsRecord,
  desired: StaticDnsBody,
  signal: AbortSignal | undefined,
): Promise<void> {
  const id = current._id;
  // The new record keeps the live record's other fields (port, priority, weight…), but not its identity.
  const kept = Object.fromEntries(Object.entries(current).filter(([field]) => field !== '_id' && field !== 'site_id'));
  if (client.staticDnsUpdate === 'put') {
    try {
      await client.v2('PUT', `${base}/${enc(id)}`, { json: { ...current, ...desired }, ...withSignal(signal) });
      return;
    } catch (error) {
      if (!refusesPut(error)) throw error;
      client.staticDnsUpdate = 'replace';
    }
  }
  await client.v2('DELETE', `${base}/${enc(id)}`, withSignal(signal));
  await client.v2('POST', base, { json: { ...kept, ...desired }, ...withSignal(signal) });
}

/**
 * Reads the console's static DNS records and works out the steps for the DNS artifact.
 *
 * A v2 static DNS record has no field that could carry an ownership marker (`_id`, `site_id`, `key`, `record_type`,
 * `value`, `ttl`, `enabled`, `port`, `priority`, `weight`, `attr_*`), so the SDK owns a record only by proof:
 * - a record equal to the artifact's is a no-op, whoever made it;
 * - with prune on, the artifact claims its `zone`: every unprotected A/AAAA/CNAME record inside it is the topology's,
 *   updated when it differs and deleted when undeclared;
 * - any other existing record that differs is planned as `adopt` and rewritten only with the `adopt` option;
 * - records the console protects (`attr_no_delete`, `attr_no_edit`, `attr_hidden`) are never changed.
 *
 * @param dns - The DNS artifact.
 * @param client - A client for the console.
 * @param options - Prune and adopt consent, and the signal.
 * @returns The steps and the records left alone (one `GET`).
 */
export async function buildDnsSteps(
  dns: DnsRecordsSpec,
  client: UnifiClient,
  options: { readonly prune: boolean; readonly adopt: boolean; readonly signal: AbortSignal | undefined },
): Promise<{ steps: UnifiStep[]; unmanaged: UnmanagedObject[] }> {
  const base = `/site/${enc(dns.site)}/static-dns`;
  const live = await client.v2<StaticDnsRecord[]>('GET', base, withSignal(options.signal));
  const steps: UnifiStep[] = [];
  const unmanaged: UnmanagedObject[] = [];
  const matched = new Set<StaticDnsRecord>();
  const replaceNote =
    client.staticDnsUpdate === 'replace' ? 'delete + create: this console refuses PUT on static-dns' : '';

  for (const desired of dns.records) {
    const id = dnsRecordId(desired);
    const [current, ...duplicates] = live.filter((record) => dnsRecordId(record) === id);
    for (const duplicate of duplicates) {
      matched.add(duplicate);
      unmanaged.push({
        kind: 'static-dns',
        id: `${id} ${duplicate._id}`,
        reason: 'a second record with a declared name and type; left for a person to remove',
        inSdkNamespace: true,
      });
    }
    if (!current) {
      const fields = Object.entries(desired).map(([path, after]) => ({ path, after }));
      steps.push({
        phase: 1,
        change: createChange('unifi', 'static-dns', id, 'create', fields),
        run: async (c, s) => void (await c.v2('POST', base, { json: desired, ...withSignal(s) })),
      });
      continue;
    }
    matched.add(current);
    const fields = fieldDifferences(current, desired, ['key', 'record_type']);
    if (isProtectedRecord(current)) {
      const note = `matches a protected console record${fields.length ? ' that differs' : ''}; never changed`;
      steps.push({ phase: 1, change: createChange('unifi', 'static-dns', id, 'no-op', [], [note]) });
      continue;
    }
    if (!fields.length) {
      steps.push({ phase: 1, change: createChange('unifi', 'static-dns', id, 'no-op') });
      continue;
    }
    const owned = options.prune && inZone(current.key, dns.zone);
    const run = async (c: UnifiClient, s: AbortSignal | undefined): Promise<void> =>
      rewriteRecord(c, base, current, desired, s);
    if (owned) {
      steps.push({
        phase: 1,
        change: createChange('unifi', 'static-dns', id, 'update', fields, [
          `inside the pruned zone ${dns.zone}`,
          replaceNote,
        ]),
        run,
      });
      continue;
    }
    const consent = options.adopt
      ? `taken over: ${clientOptionText('adopt')}`
      : `an existing record the SDK cannot prove it wrote; rewritten only with ${clientOptionText('adopt')}`;
    steps.push({
      phase: 1,
      change: createChange('unifi', 'static-dns', id, 'adopt', fields, [consent, replaceNote]),
      ...(options.adopt ? { run } : { held: true }),
    });
  }

  for (const record of live) {
    if (matched.has(record)) continue;
    const id = dnsRecordId(record);
    const prunable =
      !record.attr_no_delete &&
      !record.attr_hidden &&
      PRUNABLE_TYPES.has(record.record_type) &&
      inZone(record.key, dns.zone);
    const reason =
      record.attr_no_delete || record.attr_hidden
        ? 'protected by the console (attr_no_delete/attr_hidden)'
        : !PRUNABLE_TYPES.has(record.record_type)
          ? `${record.record_type} records are never pruned`
          : !inZone(record.key, dns.zone)
            ? dns.zone
              ? `outside zone ${dns.zone}`
              : 'the DNS artifact declares no zone, so nothing is pruned'
            : !options.prune
              ? `not declared; ${clientOptionText('prune')} is off`
              : undefined;
    // A record --prune would delete (unprotected A/AAAA/CNAME inside the zone) sits in the SDK's namespace.
    if (reason)
      unmanaged.push({ kind: 'static-dns', id, reason, ...(prunable ? { inSdkNamespace: true as const } : {}) });
    else
      steps.push({
        phase: 2,
        change: createChange(
          'unifi',
          'static-dns',
          id,
          'delete',
          [],
          [`not declared in zone ${dns.zone}; ${clientOptionText('prune')} is on`],
        ),
        run: async (c, s) => void (await c.v2('DELETE', `${base}/${enc(record._id)}`, withSignal(s))),
      });
  }
  return { steps, unmanaged };
}
