import { describe, expect, it } from 'vitest';
import { createTestServiceAccount } from '../src/testing/omni/index.js';
import type { FaultedApply } from './omni-fixtures.js';
import { applyUnderFaults } from './omni-fixtures.js';

const SEEDS = 50;
/** Seeds run side by side: each has its own emulator, and most of a run is waiting on sockets. */
const PARALLEL = 5;

describe('one apply under injected faults', () => {
  it('converges in at least 95 % of 50 seeds at 20 % faults, without a duplicate, with a key that authenticates', async () => {
    const admin = await createTestServiceAccount();
    const runs: FaultedApply[] = [];
    for (let first = 1; first <= SEEDS; first += PARALLEL) {
      const seeds = Array.from({ length: Math.min(PARALLEL, SEEDS - first + 1) }, (_, index) => first + index);
      runs.push(...(await Promise.all(seeds.map((seed) => applyUnderFaults(admin, seed, 0.2)))));
    }
    const converged = runs.filter((run) => run.converged);
    expect(
      converged.length,
      runs.map((run, index) => `${index + 1}: ${String(run.error)}`).join('\n'),
    ).toBeGreaterThanOrEqual(Math.ceil(SEEDS * 0.95));
    expect(runs.flatMap((run) => run.duplicates)).toEqual([]);
    expect(runs.every((run) => run.providerKeys <= 1)).toBe(true);
    expect(converged.every((run) => run.providerKeys === 1 && run.keyAuthenticates)).toBe(true);
  }, 60_000);
});
