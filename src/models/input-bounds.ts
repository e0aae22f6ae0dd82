/**
 * What a topology value may be before the schema reads it: plain data (objects, arrays, strings, numbers,
 * booleans, null), without cycles, within documented limits of depth and size. A topology can come from an
 * untrusted YAML or JSON file or from code; the schema and the generators walk it recursively and copy shared
 * parts, so a cycle, a shared-reference bomb or a class instance must be refused here, as an issue.
 *
 * @module
 */
import type { TopologyIssue } from './issue.js';

/**
 * Limits on a topology's value. They are generous for real labs: the 10,000-guest benchmark topology holds about
 * 141,000 values and 1.7 million characters of text, and nests 11 levels deep.
 */
export const INPUT_LIMITS = {
  /** The deepest nesting of objects and arrays. */
  maxDepth: 64,
  /** Values (objects, arrays, scalars), counted at every place they appear: a shared object counts each time. */
  maxValues: 1_000_000,
  /** Characters of keys and strings, counted the same way. */
  maxTextLength: 16 * 1024 * 1024,
} as const;

/** At most this many plain-data issues are reported; one is enough to act on, a hostile input could make millions. */
const MAX_ISSUES = 50;

const PLAIN_DATA_HINT = 'a topology holds plain data only (objects, arrays, strings, numbers, booleans, null)';

/** Stops the walk once a limit is exceeded: nothing after it can be trusted to be cheap. */
class LimitExceeded extends Error {}

/**
 * Checks that a topology value is plain data within {@link INPUT_LIMITS}, without cycles and without own
 * `__proto__` keys (JSON and YAML can carry them; the schema would drop them, and with them a guest or a cluster).
 *
 * @param input - Any value.
 * @returns One issue per finding (rules `plain-data`, `cycle`, `input-limit`, `reserved-name`), empty when the value
 *   may be validated.
 */
export function inputBoundIssues(input: unknown): TopologyIssue[] {
  const issues: TopologyIssue[] = [];
  const ancestors = new Set<object>();
  let values = 0;
  let text = 0;
  const report = (path: readonly string[], rule: string, message: string): void => {
    issues.push({ path: path.join('.'), rule, message, severity: 'error' });
    if (rule === 'input-limit' || issues.length >= MAX_ISSUES) throw new LimitExceeded();
  };

  const visit = (value: unknown, path: string[]): void => {
    values += 1;
    if (values > INPUT_LIMITS.maxValues) {
      report(
        path,
        'input-limit',
        `the topology expands to more than ${INPUT_LIMITS.maxValues} values (shared or aliased parts count at every place they appear)`,
      );
    }
    if (typeof value === 'string') {
      text += value.length;
      if (text > INPUT_LIMITS.maxTextLength) {
        report(
          path,
          'input-limit',
          `the topology expands to more than ${INPUT_LIMITS.maxTextLength} characters of text (shared or aliased parts count at every place they appear)`,
        );
      }
      return;
    }
    if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return;
    if (typeof value !== 'object') {
      report(path, 'plain-data', `is a ${typeof value}; ${PLAIN_DATA_HINT}`);
      return;
    }
    const kind = nonPlainKind(value);
    if (kind !== undefined) {
      report(path, 'plain-data', `is ${kind}; ${PLAIN_DATA_HINT}`);
      return;
    }
    if (ancestors.has(value)) {
      report(
        path,
        'cycle',
        'contains itself (a cycle); a topology is a tree: copy the value instead of referring back to it',
      );
      return;
    }
    if (path.length >= INPUT_LIMITS.maxDepth) {
      report(path, 'input-limit', `nests deeper than ${INPUT_LIMITS.maxDepth} levels`);
    }
    ancestors.add(value);
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) visit(value[index], [...path, String(index)]);
    } else {
      for (const key of Object.keys(value)) visitProperty(value, key, path);
    }
    ancestors.delete(value);
  };

  const visitProperty = (object: object, key: string, path: readonly string[]): void => {
    const keyPath = [...path, key];
    text += key.length;
    if (key === '__proto__') {
      report(
        keyPath,
        'reserved-name',
        'is reserved (it names a built-in property of every object); choose another name',
      );
      return;
    }
    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    if (descriptor && !('value' in descriptor)) {
      report(keyPath, 'plain-data', `is a getter or setter; ${PLAIN_DATA_HINT}`);
      return;
    }
    visit(descriptor?.value, keyPath);
  };

  try {
    visit(input, []);
  } catch (error) {
    if (!(error instanceof LimitExceeded)) throw error;
  }
  return issues;
}

/**
 * Names what a non-plain object is (`a Map`, `a Date`, ...), or `undefined` for a plain object or array.
 *
 * @param value - An object.
 * @returns A short description for the issue message, or `undefined` when the object is plain data.
 */
function nonPlainKind(value: object): string | undefined {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) return prototype === Array.prototype ? undefined : 'an instance of a class based on Array';
  if (prototype === Object.prototype || prototype === null) return undefined;
  if (value instanceof Map) return 'a Map (use a plain object)';
  if (value instanceof Set) return 'a Set (use an array)';
  // YAML reads an unquoted timestamp as a date and !!binary as bytes.
  if (value instanceof Date) return 'a Date (in YAML, quote a timestamp to keep it text)';
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return 'binary data (in YAML, a !!binary value)';
  return 'an instance of a class';
}
