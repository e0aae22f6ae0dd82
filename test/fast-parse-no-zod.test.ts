// The happy path runs no zod: with every zod function replaced by one that records its call and throws, a valid
// topology still validates (through the compiled validator), and an invalid one reaches zod.
import { describe, expect, it, vi } from 'vitest';
import { safeDefineTopology } from '../src/models/define.js';
import { singleSiteInput, spaceshipsInput } from './fixtures.js';

const zodCalls = vi.hoisted((): string[] => []);

vi.mock('../src/models/zod.js', async (importOriginal) => {
  const real = await importOriginal<Record<string, unknown>>();
  return Object.fromEntries(
    Object.keys(real).map((name) => [
      name,
      () => {
        zodCalls.push(name);
        throw new Error(`zod.${name} called`);
      },
    ]),
  );
});

describe('validating a valid topology', () => {
  it('builds no zod schema and runs no zod', () => {
    zodCalls.length = 0;
    for (const input of [spaceshipsInput(), singleSiteInput()]) expect(safeDefineTopology(input).success).toBe(true);
    expect(zodCalls).toEqual([]);
  });

  it('hands an invalid one to zod (so the spy above would see zod if the happy path used it)', () => {
    zodCalls.length = 0;
    const input = spaceshipsInput();
    input.name = 'Not A Name';
    expect(safeDefineTopology(input).success).toBe(false);
    expect(zodCalls.length).toBeGreaterThan(0);
  });
});
