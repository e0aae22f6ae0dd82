import { describe, expect, it } from 'vitest';
import { syntheticTopology } from '../../bench/synthetic-topology.js';
import { spaceshipsInput } from '../../test/fixtures.js';
import { safeDefineTopology } from './define.js';
import { INPUT_LIMITS } from './input-bounds.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke invalid values into the input
type Loose = any;

/** The issues safeDefineTopology gives for the spaceships example after a change; it must not throw. */
function issuesOf(mutate: (input: Loose) => void): { path: string; rule: string; message: string }[] {
  const input = spaceshipsInput() as Loose;
  mutate(input);
  const result = safeDefineTopology(input);
  if (result.success) throw new Error('expected the topology to be refused');
  return result.issues.map(({ path, rule, message }) => ({ path, rule, message }));
}

/** A patch holding one document, for poking values where the schema accepts anything. */
function patchWith(input: Loose, machine: unknown): void {
  input.clusters['talos-matrix'].patches = [{ name: 'hostile', documents: [{ machine }] }];
}

const PATCH = 'clusters.talos-matrix.patches.0.documents.0.machine';

describe('topology input bounds', () => {
  it('refuses a cycle with its path, quickly, instead of overflowing the stack', () => {
    const started = Date.now();
    const issues = issuesOf((input) => {
      input.guests.holly.lan.self = input.guests.holly;
      const loop: Loose[] = [];
      loop.push(loop);
      patchWith(input, { loop });
    });
    expect(issues.map(({ path, rule }) => [path, rule])).toEqual([
      [`${PATCH}.loop.0`, 'cycle'],
      ['guests.holly.lan.self', 'cycle'],
    ]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses a shared-reference bomb by its expanded size, and accepts a value shared a few times', () => {
    let bomb: unknown = ['lol'];
    for (let level = 0; level < 40; level++) bomb = [bomb, bomb];
    const started = Date.now();
    const issues = issuesOf((input) => patchWith(input, { bomb }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ rule: 'input-limit', message: expect.stringContaining('1000000 values') });
    expect(Date.now() - started).toBeLessThan(5_000);

    const input = spaceshipsInput() as Loose;
    const shared = { name: 'shared', documents: [{ machine: { sysctls: { 'vm.swappiness': '10' } } }] };
    const cluster = input.clusters['talos-matrix'];
    cluster.patches = [shared];
    for (const workers of Object.values(cluster.workers) as Loose[]) workers.patches = [shared];
    expect(safeDefineTopology(input).success).toBe(true);
    const text = 'x'.repeat(INPUT_LIMITS.maxTextLength / 8);
    expect(issuesOf((loose) => patchWith(loose, { text: Array(9).fill(text) }))[0]).toMatchObject({
      rule: 'input-limit',
      message: expect.stringContaining('characters of text'),
    });
  });

  it('refuses nesting deeper than the limit at its path instead of overflowing the stack', () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 6_000; level++) deep = { deeper: deep };
    const issues = issuesOf((input) => patchWith(input, deep));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      rule: 'input-limit',
      message: `nests deeper than ${INPUT_LIMITS.maxDepth} levels`,
    });
    expect(issues[0]?.path.startsWith(`${PATCH}.deeper.deeper`)).toBe(true);
  });

  it('refuses values that are not plain data, each with its path and rule plain-data', () => {
    class Disk {
      size = 1;
    }
    const values: Record<string, unknown> = {
      map: new Map([['a', 1]]),
      set: new Set([1]),
      date: new Date(0),
      instance: new Disk(),
      symbol: Symbol('s'),
      bigint: 1n,
      function: () => 1,
      bytes: new Uint8Array(2),
    };
    const issues = issuesOf((input) => {
      patchWith(input, values);
      Object.defineProperty(input.guests.holly, 'cores', { get: () => 4, enumerable: true });
    });
    expect(issues.map(({ path, rule }) => [path, rule])).toEqual([
      ...Object.keys(values)
        .sort()
        .map((key) => [`${PATCH}.${key}`, 'plain-data']),
      ['guests.holly.cores', 'plain-data'],
    ]);
    expect(issues.find((issue) => issue.path.endsWith('.map'))?.message).toContain('is a Map');
  });

  it('never throws, even when reading the input throws', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw null;
        },
      },
    );
    for (const input of [hostile, { guests: hostile }]) {
      const result = safeDefineTopology(input);
      expect(result.success).toBe(false);
      expect(result.success ? [] : result.issues).toEqual([
        expect.objectContaining({
          path: '',
          rule: 'plain-data',
          message: expect.stringContaining('could not be read'),
        }),
      ]);
    }
  });

  it('keeps a 10,000-guest topology valid', () => {
    expect(safeDefineTopology(syntheticTopology(10_000)).success).toBe(true);
  });
});
