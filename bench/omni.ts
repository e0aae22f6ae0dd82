/**
 * Omni plan/apply benchmark against the in-process emulator: 1,000 machine classes and 1,000 config patches.
 * Shows that planning costs one List per kind (constant round trips) whatever the number of resources.
 *
 * Run with `npx tsx bench/omni.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applyOmni, createOmniClient, planOmni } from '../src/clients/omni/index.js';
import { summarizePlan } from '../src/plan/index.js';
import { createTestServiceAccount, seedInfraProviderStatus, startOmniEmulator } from '../src/testing/omni/index.js';
import { spaceshipsArtifactSet } from '../test/omni-fixtures.js';

interface Measure {
  readonly roundTrips: number;
  readonly ms: number;
}

async function run(size: number): Promise<void> {
  const account = await createTestServiceAccount();
  const omni = await startOmniEmulator();
  const dir = await mkdtemp(join(tmpdir(), 'omni-bench-'));
  // Admin: apply registers the infra provider's service account on the first run.
  await omni.registerPublicKey(account.armoredPublicKey, { role: 'Admin' });
  seedInfraProviderStatus(omni.state);
  const client = await createOmniClient({ endpoint: omni.endpoint, serviceAccountKey: account.serviceAccountKey });
  const set = spaceshipsArtifactSet({ extraMachineClasses: size, extraClusterPatches: size });
  const measure = async (work: () => Promise<unknown>): Promise<Measure> => {
    omni.resetCalls();
    const started = performance.now();
    await work();
    return { roundTrips: omni.calls.length, ms: Math.round(performance.now() - started) };
  };
  try {
    const emptyPlan = await measure(() => planOmni(set, client));
    const apply = await measure(() =>
      applyOmni(set, client, { concurrency: 16, providerKey: { file: join(dir, 'provider.key') } }),
    );
    let summary = summarizePlan(await planOmni(set, client));
    const fullPlan = await measure(async () => {
      summary = summarizePlan(await planOmni(set, client));
    });
    const row = (label: string, value: Measure): string =>
      `  ${label.padEnd(32)} ${String(value.roundTrips).padStart(6)} round trips ${String(value.ms).padStart(7)} ms`;
    console.log(`${size} machine classes + ${size} config patches (plus the example cluster)`);
    console.log(row('plan (empty Omni)', emptyPlan));
    console.log(row('apply (create everything)', apply));
    console.log(row('plan (everything exists)', fullPlan));
    console.log(`  second plan: ${summary.create} create, ${summary.update} update, ${summary['no-op']} no-op`);
  } finally {
    client.close();
    await omni.close();
    await rm(dir, { recursive: true, force: true });
  }
}

for (const size of [100, 1_000]) await run(size);
