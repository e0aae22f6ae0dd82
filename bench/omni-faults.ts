/**
 * One Omni apply under injected faults: of 50 seeds, how many single applies of the spaceships example (provider
 * registration included) converge, at 20 % and 50 % of calls failing with UNAVAILABLE (half of the failing writes
 * after they took effect, as lost answers).
 *
 * Run with `npx tsx bench/omni-faults.ts`.
 */
import { createTestServiceAccount } from '../src/testing/omni/index.js';
import { applyUnderFaults } from '../test/omni-fixtures.js';

const admin = await createTestServiceAccount();
for (const rate of [0.2, 0.5]) {
  const runs = [];
  for (let seed = 1; seed <= 50; seed++) runs.push(await applyUnderFaults(admin, seed, rate));
  const converged = runs.filter((run) => run.converged && run.keyAuthenticates).length;
  const duplicates = runs.flatMap((run) => run.duplicates).length + runs.filter((run) => run.providerKeys > 1).length;
  console.log(
    `${rate * 100} % faults: ${converged} of 50 single applies converge, ${duplicates} duplicates, ` +
      'every converged provider key authenticates',
  );
}
