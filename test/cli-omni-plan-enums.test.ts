import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OmniEmulator } from '../src/testing/omni/index.js';
import { createTestServiceAccount, startOmniEmulator } from '../src/testing/omni/index.js';
import { runBuiltCli } from './built-cli.js';

let dir: string;
let omni: OmniEmulator;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talos-topology-omni-enums-'));
  const account = await createTestServiceAccount();
  omni = await startOmniEmulator();
  await omni.registerPublicKey(account.armoredPublicKey, { role: 'Admin' });
  env = { OMNI_ENDPOINT: omni.endpoint, OMNI_SERVICE_ACCOUNT_KEY: account.serviceAccountKey };
  expect((await runBuiltCli(['generate', '--example', '--out', join(dir, 'out')])).code).toBe(0);
});
afterAll(async () => {
  await omni.close();
  await rm(dir, { recursive: true, force: true });
});

interface JsonPlan {
  readonly changes: readonly {
    readonly kind: string;
    readonly fields: readonly { readonly path: string; readonly after?: unknown }[];
  }[];
}

describe('the Omni plan shows enum fields by name (built CLI)', () => {
  it('in text and in JSON', async () => {
    const text = await runBuiltCli(
      ['plan', '--detailed-exitcode', '--target', 'omni', '--out', join(dir, 'out'), '--no-color'],
      env,
    );
    expect(text.code).toBe(2);
    expect(text.out).toContain('spec.updateStrategy: (absent) -> "Rolling"');
    expect(text.out).toContain('spec.deleteStrategy: (absent) -> "Unset"');
    expect(text.out).toContain('spec.autoProvision.grpcTunnel: (absent) -> "');
    expect(text.out).not.toMatch(/Strategy: \(absent\) -> \d/);

    const json = await runBuiltCli(['plan', '--target', 'omni', '--out', join(dir, 'out'), '--json'], env);
    const plan = JSON.parse(json.out) as JsonPlan;
    const machineSetFields = plan.changes.filter((change) => change.kind === 'MachineSet').flatMap((c) => c.fields);
    expect(machineSetFields).toContainEqual(expect.objectContaining({ path: 'spec.updateStrategy', after: 'Rolling' }));
    const allocation = machineSetFields.find((field) => field.path === 'spec.machineAllocation.allocationType');
    expect(allocation?.after).toMatch(/^[A-Za-z]+$/);
  });
});
