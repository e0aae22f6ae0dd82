import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeDefineTopology } from '../src/models/define.js';
import { TopologyError } from '../src/models/issue.js';
import { generate } from '../src/generators/generate.js';
import { checkTopology } from '../src/rules/index.js';
import { spaceshipsInput } from './fixtures.js';
import { validTopology } from './topology-arbitrary.js';

describe('property: valid topologies', () => {
  it('generate without throwing, byte-identically twice', () => {
    fc.assert(
      fc.property(validTopology, (input) => {
        const first = safeDefineTopology(input);
        if (!first.success) throw new Error(JSON.stringify(first.issues));
        const again = safeDefineTopology(structuredClone(input));
        if (!again.success) throw new Error('second validation failed');
        expect(generate(again.topology).artifacts).toEqual(generate(first.topology).artifacts);
      }),
      { numRuns: 60 },
    );
  });
});

/** Every path into the seed input, so a mutation can land anywhere. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((item, index) => paths(item, [...prefix, index]))];
  if (value !== null && typeof value === 'object') {
    return [prefix, ...Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key]))];
  }
  return [prefix];
}

const seedPaths = paths(spaceshipsInput()).filter((path) => path.length > 0);
const prototypeNames = fc.constantFrom(
  'constructor',
  'valueOf',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'constructor:import/x.qcow2',
  'constructor:iso/x.iso',
);
const junk = fc.oneof(
  fc.constant(null),
  fc.integer(),
  prototypeNames,
  fc.string(),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.object(),
);

describe('property: invalid input', () => {
  it('gives TopologyError issues with paths and rules, never a TypeError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seedPaths), junk, (path, value) => {
        const input = spaceshipsInput() as Record<string, unknown>;
        let node: Record<string | number, unknown> = input;
        for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
        node[path[path.length - 1] as string | number] = value;
        const result = safeDefineTopology(input);
        if (result.success) {
          // Whatever passed validation must also pass through the rules and the generators without a TypeError.
          expect(() => checkTopology(result.topology)).not.toThrow();
          try {
            generate(result.topology);
          } catch (error) {
            expect(error).toBeInstanceOf(TopologyError);
          }
          return;
        }
        expect(result.issues.length).toBeGreaterThan(0);
        for (const issue of result.issues) {
          expect(typeof issue.path).toBe('string');
          expect(issue.rule).toMatch(/^[a-z0-9-]+$/);
          expect(issue.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
