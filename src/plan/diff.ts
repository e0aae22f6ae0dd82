import type { FieldDiff } from './change.js';
import { compareText } from './change.js';

/**
 * Compares two JSON-like values field by field.
 *
 * Objects are walked key by key; arrays and scalars are compared as whole values, because the order of a list is
 * part of its meaning in every target we push to.
 *
 * @param before - The live value (`undefined` when the object does not exist).
 * @param after - The desired value (`undefined` when the object is to be removed).
 * @param prefix - Path prefix for the reported fields.
 * @returns The differing fields, sorted by path; empty when the values are equal.
 *
 * @example
 * ```ts
 * diffFields({ cores: 2, memory: 2048 }, { cores: 4, memory: 2048 });
 * // [{ path: 'cores', before: 2, after: 4 }]
 * ```
 */
export function diffFields(before: unknown, after: unknown, prefix = ''): FieldDiff[] {
  const out: FieldDiff[] = [];
  collect(before, after, prefix, out);
  return out.sort((a, b) => compareText(a.path, b.path));
}

function collect(before: unknown, after: unknown, path: string, out: FieldDiff[]): void {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) collect(before[key], after[key], path ? `${path}.${key}` : key, out);
    return;
  }
  if (deepEqual(before, after)) return;
  const diff: { path: string; before?: unknown; after?: unknown } = {
    path: path || '.',
  };
  if (before !== undefined) diff.before = before;
  if (after !== undefined) diff.after = after;
  out.push(diff);
}

/**
 * Structural equality of JSON-like values (objects compared by keys, arrays by position).
 *
 * @param a - One value.
 * @param b - The other value.
 * @returns `true` when both hold the same data.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keysA = Object.keys(a).filter((key) => a[key] !== undefined);
    const keysB = Object.keys(b).filter((key) => b[key] !== undefined);
    return keysA.length === keysB.length && keysA.every((key) => deepEqual(a[key], b[key]));
  }
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
