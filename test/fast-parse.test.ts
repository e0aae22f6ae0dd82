// The validator compiled from the schema (scripts/compile-validator.ts) against zod itself: whenever it answers, zod
// accepts the same input and gives the same output, value for value and key for key; and it answers for the examples,
// the starter topologies and every valid topology the property tests make.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { fastParseSource } from '../scripts/compile-validator.js';
import { STARTER_TYPESCRIPT, STARTER_YAML } from '../src/cli/starter-topology.js';
import { fastParseTopology } from '../src/models/generated/topology-fast-parse.js';
import { topologySchema } from '../src/models/topology.js';
import * as z from '../src/models/zod.js';
import { singleSiteInput, spaceshipsInput } from './fixtures.js';
import { validTopology } from './topology-arbitrary.js';

type Path = readonly (string | number)[];

/** Every key path of a value in iteration order, keys whose value is `undefined` included. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((key) => [
    `${prefix}/${key}`,
    ...keyPaths((value as Record<string, unknown>)[key], `${prefix}/${key}`),
  ]);
}

/**
 * Where two values differ, or `undefined` when they are the same: primitives by `Object.is`, objects by prototype and
 * by their own keys in order (`undefined` values count), recursively. Not vitest's `toStrictEqual`, which compares
 * `a.constructor === b.constructor` and so calls two equal objects with an own `constructor: NaN` key different.
 */
function difference(a: unknown, b: unknown, path = ''): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object')
    return `${path || '/'}: ${String(a)} ≠ ${String(b)}`;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path || '/'}: prototypes differ`;
  const keysA = Reflect.ownKeys(a);
  const keysB = Reflect.ownKeys(b);
  if (keysA.join('\u0000') !== keysB.join('\u0000'))
    return `${path || '/'}: keys ${keysA.join(',')} ≠ ${keysB.join(',')}`;
  for (const key of keysA) {
    const found = difference(
      (a as Record<string | symbol, unknown>)[key],
      (b as Record<string | symbol, unknown>)[key],
      `${path}/${String(key)}`,
    );
    if (found) return found;
  }
  return undefined;
}

/** The starter TypeScript topology's object, read from its `defineTopology({...})` call. */
function starterTypeScriptInput(): unknown {
  const body = STARTER_TYPESCRIPT.replace(/^import .*$/m, '').replace('export default defineTopology(', 'return (');
  return new Function(body)();
}

/** The committed YAML example, its `{ file }` references left out (the CLI resolves them before validation). */
function yamlExampleInput(): unknown {
  return load(readFileSync(new URL('../examples/spaceships/topology.yaml', import.meta.url), 'utf8'));
}

const SEEDS: readonly (readonly [string, () => unknown])[] = [
  ['examples/spaceships/topology.ts', spaceshipsInput],
  ['examples/single-site/topology.ts', singleSiteInput],
  ['examples/spaceships/topology.yaml', yamlExampleInput],
  ['init --yaml', () => load(STARTER_YAML)],
  ['init --ts', starterTypeScriptInput],
];

/**
 * Asserts the compiled validator never disagrees with zod: it may decline (`undefined`), but what it accepts zod
 * accepts too, with the same output (deep, strict: `undefined` keys count) and the same key order, in both of zod's
 * object parsers (the JIT a library user gets, and the interpreter the CLI turns on).
 *
 * @returns Whether the compiled validator answered.
 */
function agreesWithZod(input: unknown): boolean {
  const fast = fastParseTopology(structuredClone(input));
  if (fast === undefined) return false;
  for (const jitless of [false, true]) {
    const zod = topologySchema().safeParse(structuredClone(input), {
      jitless,
    } as z.core.ParseContext<z.core.$ZodIssue>);
    expect(zod.success, `zod refuses what the compiled validator accepted: ${JSON.stringify(zod.error?.issues)}`).toBe(
      true,
    );
    expect(difference(fast.value, zod.data)).toBeUndefined();
    expect(keyPaths(fast.value)).toEqual(keyPaths(zod.data));
    expect(JSON.stringify(fast.value)).toBe(JSON.stringify(zod.data));
  }
  return true;
}

/** Bounds the schema declares (numbers, lengths), for edge values just inside and just outside each. */
function schemaBounds(): { numbers: number[]; lengths: number[] } {
  const numbers = new Set<number>([0, -0, 1, -1, 0.5, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2]);
  const lengths = new Set<number>([0, 1]);
  const seen = new Set<unknown>();
  const visit = (schema: unknown): void => {
    if (schema === null || typeof schema !== 'object' || seen.has(schema) || !('_zod' in schema)) return;
    seen.add(schema);
    const def = (schema as { _zod: { def: Record<string, unknown> } })._zod.def;
    for (const check of [schema, ...((def.checks as unknown[]) ?? [])]) {
      const checkDef = (check as { _zod: { def: Record<string, unknown> } })._zod.def;
      for (const bound of [checkDef.value, checkDef.minimum, checkDef.maximum]) {
        if (typeof bound !== 'number') continue;
        const into = checkDef.check === 'min_length' || checkDef.check === 'max_length' ? lengths : numbers;
        for (const edge of [bound - 1, bound - 0.5, bound, bound + 0.5, bound + 1])
          if (edge >= 0 || into === numbers) into.add(edge);
      }
    }
    for (const child of Object.values(def)) {
      if (Array.isArray(child)) child.forEach(visit);
      else if (child && typeof child === 'object' && !('_zod' in child)) Object.values(child).forEach(visit);
      else visit(child);
    }
  };
  visit(topologySchema());
  return { numbers: [...numbers], lengths: [...lengths].filter((length) => Number.isInteger(length) && length < 300) };
}

/** Every path into a value (objects and arrays, and their leaves). */
function paths(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((item, index) => paths(item, [...prefix, index]))];
  if (value !== null && typeof value === 'object') {
    return [prefix, ...Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key]))];
  }
  return [prefix];
}

/** Strings of the seeds: a valid value of one field is often a near miss for another. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

const { numbers, lengths } = schemaBounds();
const seedStrings = [...new Set(SEEDS.flatMap(([, seed]) => strings(seed())))];

/** A value to put somewhere: junk, edge numbers and lengths, other fields' valid values, near-miss strings. */
const replacement = fc.oneof(
  fc.constantFrom<unknown>(undefined, null, true, false, NaN, Infinity, -Infinity, '', ' ', [], {}, { env: 'X' }),
  fc.constantFrom(...numbers),
  fc.constantFrom(...lengths).map((length) => 'a'.repeat(length)),
  fc.constantFrom(...seedStrings),
  fc
    .tuple(
      fc.constantFrom(...seedStrings),
      fc.constantFrom(' ', '\n', '\t', '-', '.', 'A', '😀', '\u0000', ':x'),
      fc.boolean(),
    )
    .map(([text, extra, before]) => (before ? extra + text : text + extra)),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.object({ maxDepth: 1 }),
);

/** One change to a copy of a seed. */
type Mutation =
  | { readonly kind: 'delete' | 'reorder' | 'duplicate-item'; readonly at: number }
  | { readonly kind: 'set' | 'add-key'; readonly at: number; readonly value: unknown; readonly key: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete' as const, 'reorder' as const, 'duplicate-item' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constantFrom('set' as const, 'add-key' as const),
    at: fc.nat(),
    value: replacement,
    key: fc.oneof(
      fc.constantFrom('extra', 'constructor', '__proto__', 'type', 'toString'),
      fc.constantFrom(...seedStrings),
    ),
  }),
);

function mutate(seed: unknown, mutations: readonly Mutation[]): unknown {
  const root: { value: unknown } = { value: structuredClone(seed) };
  for (const change of mutations) {
    const all = paths(root.value);
    const path = all[change.at % all.length] ?? [];
    const parentPath = path.slice(0, -1);
    let parent: unknown = root.value;
    for (const key of parentPath) parent = (parent as Record<string | number, unknown>)[key];
    const last = path.at(-1);
    const container = (last === undefined ? root : parent) as Record<string | number, unknown>;
    const key = last === undefined ? 'value' : last;
    const target = container[key];
    switch (change.kind) {
      case 'delete':
        if (Array.isArray(container)) container.splice(Number(key), 1);
        else delete container[key];
        break;
      case 'set':
        container[key] = change.value;
        break;
      case 'add-key':
        if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
          Object.defineProperty(target, change.key, {
            value: change.value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        break;
      case 'reorder':
        if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
          container[key] = Object.fromEntries(Object.entries(target).reverse());
        } else if (Array.isArray(target)) target.reverse();
        break;
      case 'duplicate-item':
        if (Array.isArray(target) && target.length > 0) target.push(structuredClone(target[0]));
        break;
    }
  }
  return root.value;
}

/** The modules a module imports values from, transitively (type-only imports do not load anything). */
function valueImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const [, what, from] of source.matchAll(/^import (type )?[^;]*?from '([^']+)';/gms)) {
    if (what) continue;
    if (from!.startsWith('.')) valueImports(join(dirname(file), from!.replace(/\.js$/, '.ts')), seen);
    else seen.add(from!);
  }
  return seen;
}

describe('the comparison the tests use', () => {
  it('tells apart key order, undefined keys and prototypes, and takes an own constructor key as a value', () => {
    expect(difference({ constructor: NaN, a: [1] }, { constructor: NaN, a: [1] })).toBeUndefined();
    expect(difference({ a: 1, b: undefined }, { a: 1 })).toBeDefined();
    expect(difference({ a: 1, b: 2 }, { b: 2, a: 1 })).toBeDefined();
    expect(difference(Object.create(null), {})).toBeDefined();
    expect(difference([0], [-0])).toBeDefined();
  });
});

describe('the compiled validator', () => {
  it('imports no zod, directly or through the check functions it calls', () => {
    const generated = fileURLToPath(new URL('../src/models/generated/topology-fast-parse.ts', import.meta.url));
    const loaded = [...valueImports(generated)];
    expect(loaded.filter((module) => module === 'zod' || module.endsWith('/zod.ts'))).toEqual([]);
    expect(loaded.some((module) => module.endsWith('/refinements.ts'))).toBe(true);
  });

  it('is generated from the current schema (npm run gen:validator)', async () => {
    const committed = readFileSync(new URL('../src/models/generated/topology-fast-parse.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await fastParseSource());
  });

  it.each(SEEDS)('answers for %s, exactly as zod', (_, seed) => {
    expect(agreesWithZod(seed())).toBe(true);
  });

  it('answers for every valid topology of the property tests, exactly as zod', () => {
    fc.assert(
      fc.property(validTopology, (input) => {
        expect(agreesWithZod(input)).toBe(true);
      }),
      { numRuns: 80 },
    );
  });

  it('never accepts what zod refuses, nor answers differently, for mutated topologies', () => {
    let answered = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS.map(([, seed]) => seed())),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (seed, mutations) => {
          if (agreesWithZod(mutate(seed, mutations))) answered++;
        },
      ),
      { numRuns: 1500 },
    );
    // The mutations keep a share of the topologies valid (a default left out, a key moved), so the comparison above
    // covers accepted output too, not only refusals.
    expect(answered).toBeGreaterThan(100);
  });

  it('fails the build on a construct it does not know, rather than accept what zod refuses', async () => {
    await expect(fastParseSource(z.string().regex(/x/).trim())).rejects.toThrow(
      /the check "overwrite" is not supported/,
    );
    await expect(fastParseSource(z.strictObject({ a: z.string().refine((text) => text.length > 1) }))).rejects.toThrow(
      /a refine whose function is not an export of/,
    );
    await expect(fastParseSource(z.string().superRefine(() => undefined))).rejects.toThrow(/not made by refineWith/);
    await expect(fastParseSource(z.looseObject({}))).rejects.toThrow(/catchall of type "unknown"/);
  });
});
