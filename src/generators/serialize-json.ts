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
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .map((key) => [key, sortKeysDeep((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
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
