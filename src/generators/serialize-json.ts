/**
 * The serializers that need no YAML library (`manifest.json`, the run journal and every JSON artifact), apart from
 * `serialize.ts` so that `check` with a manifest that vouches for the folder loads no js-yaml.
 *
 * @module
 */

/** The product name written into every generated file that can carry a comment. */
export const GENERATOR = '@talos-sdk/topology';

/**
 * JSON with object keys sorted at every level and two-space indentation, so equal data gives equal bytes.
 *
 * @param value - A JSON-like value.
 * @returns JSON text ending in a newline.
 */
export function toCanonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeysDeep(value), null, 2)}\n`;
}

/**
 * A copy of a JSON-like value whose object keys are sorted at every level.
 *
 * @param value - A JSON-like value.
 * @returns The sorted copy.
 */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== 'object') return value;
  // A loop filling one object, not Object.fromEntries over filtered and mapped pairs: this runs for every object of
  // every JSON artifact, the manifest and the input digest, and the pairs were a quarter of its time for 10,000 guests.
  const record = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    const entry = record[key];
    if (entry === undefined) continue;
    // Assigning `__proto__` would set the copy's prototype instead of adding the key.
    if (key === '__proto__')
      Object.defineProperty(sorted, key, {
        value: sortKeysDeep(entry),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else sorted[key] = sortKeysDeep(entry);
  }
  return sorted;
}

/**
 * A record's entries sorted by key, so generation does not depend on the order a topology was written in.
 *
 * @param record - Any record.
 * @returns `[key, value]` pairs in code-unit order of the keys.
 */
export function sortedEntries<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
