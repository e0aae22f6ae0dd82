import type { FieldDiff } from '../../plan/change.js';

/**
 * The declared fields whose live value differs, compared as the console returns them (numbers and strings alike).
 *
 * @param live - The object as the console returns it.
 * @param desired - The request body from the artifact.
 * @param skip - Fields not compared (the object's identity).
 * @returns One diff per differing field, sorted by field name.
 */
export function fieldDifferences(
  live: Readonly<Record<string, unknown>>,
  desired: Readonly<Record<string, unknown>>,
  skip: readonly string[],
): FieldDiff[] {
  return Object.entries(desired)
    .filter(([key, value]) => !skip.includes(key) && String(live[key]) !== String(value))
    .map(([path, after]) => (live[path] === undefined ? { path, after } : { path, before: live[path], after }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}
