import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OmniClient } from '../src/clients/omni/index.js';
import { applyOmni, createOmniClient, omniKinds, planOmni, waitForClusterReady } from '../src/clients/omni/index.js';
import { summarizePlan } from '../src/plan/index.js';
import type { OmniEmulator, OmniEmulatorOptions, TestServiceAccount } from '../src/testing/omni/index.js';
import { createTestServiceAccount, seedInfraProviderStatus, startOmniEmulator } from '../src/testing/omni/index.js';
import { spaceshipsArtifactSet } from './omni-fixtures.js';

let account: TestServiceAccount;
const open: { omni: OmniEmulator; client: OmniClient }[] = [];

beforeAll(async () => {
  account = await createTestServiceAccount();
});
afterEach(async () => {
  for (const { omni, client } of open.splice(0)) {
    client.close();
    await omni.close();
  }
});

async function connect(options: OmniEmulatorOptions = {}): Promise<{ omni: OmniEmulator; client: OmniClient }> {
  const omni = await startOmniEmulator(options);
  await omni.registerPublicKey(account.armoredPublicKey, { role: 'Operator' });
  seedInfraProviderStatus(omni.state);
  const client = await createOmniClient({
    endpoint: omni.endpoint,
    serviceAccountKey: account.serviceAccountKey,
    retry: { attempts: 12, baseDelayMs: 1, maxDelayMs: 20 },
  });
  open.push({ omni, client });
  return { omni, client };
}

const uiPatch = {
  id: '500-ui-tweak',
  labels: { 'omni.sidero.dev/cluster': 'talos-matrix' },
  spec: { data: 'machine:\n  sysctls:\n    vm.swappiness: "10"\n', compressedData: Buffer.alloc(0) },
};

describe('planOmni / applyOmni', () => {
  it('creates everything in order, then plans only no-ops', async () => {
    const { omni, client } = await connect();
    const set = spaceshipsArtifactSet();
    const { applied } = await applyOmni(set, client);
    expect(applied.map((change) => change.kind)).toEqual([
      'InfraProvider',
      'MachineClass',
      'MachineClass',
      'Cluster',
      'ExtensionsConfiguration',
      'ConfigPatch',
      'ConfigPatch',
      'ConfigPatch',
      'ConfigPatch',
      'MachineSet',
      'MachineSet',
    ]);
    const again = await planOmni(set, client);
    expect(summarizePlan(again)).toEqual({ create: 0, update: 0, delete: 0, 'no-op': 11 });
    expect(omni.state.get(omniKinds.Cluster, 'talos-matrix')?.spec.talosVersion).toBe('1.13.9');
    await expect(waitForClusterReady(client, 'talos-matrix', { timeoutMs: 20_000 })).resolves.toMatchObject({
      cluster: { ready: true },
    });
  });

  it('reads live state with one List per kind, whatever the count', async () => {
    const { omni, client } = await connect();
    await applyOmni(spaceshipsArtifactSet({ extraMachineClasses: 30 }), client);
    omni.resetCalls();
    await planOmni(spaceshipsArtifactSet({ extraMachineClasses: 30 }), client);
    expect(omni.calls.map((call) => call.method.split('/').at(-1))).toEqual(Array(6).fill('List'));
  });

  it('shows field-level updates and applies them, copying version and finalizers', async () => {
    const { omni, client } = await connect();
    await applyOmni(spaceshipsArtifactSet(), client);
    const plan = await planOmni(spaceshipsArtifactSet({ workers: 5 }), client);
    const update = plan.changes.find((change) => change.action === 'update');
    expect(update).toMatchObject({
      kind: 'MachineSet',
      id: 'talos-matrix-workers',
      fields: [{ path: 'spec.machineAllocation.machineCount', before: 3, after: 5 }],
    });
    const before = omni.state.get(omniKinds.MachineSet, 'talos-matrix-workers');
    await applyOmni(plan, client);
    const after = omni.state.get(omniKinds.MachineSet, 'talos-matrix-workers');
    expect(after?.spec.machineAllocation?.machineCount).toBe(5);
    expect(after?.metadata.finalizers).toEqual(before?.metadata.finalizers);
    expect(after?.metadata.created).toEqual(before?.metadata.created);
  });

  it('retries an update that hits a version conflict', async () => {
    const { omni, client } = await connect();
    await applyOmni(spaceshipsArtifactSet(), client);
    const plan = await planOmni(spaceshipsArtifactSet({ workerCores: 6 }), client);
    const live = omni.state.get(omniKinds.MachineClass, 'matrix-worker');
    if (!live) throw new Error('matrix-worker missing');
    omni.state.put(omniKinds.MachineClass, {
      id: 'matrix-worker',
      labels: { ...live.metadata.labels, 'added-by': 'someone-else' },
      annotations: live.metadata.annotations,
      spec: live.spec,
    });
    await applyOmni(plan, client);
    const after = omni.state.get(omniKinds.MachineClass, 'matrix-worker');
    expect(after?.spec.autoProvision?.providerData).toContain('cores: 6');
    expect(after?.metadata.labels['added-by']).toBe('someone-else');
    expect(omni.calls.filter((call) => call.method.endsWith('/Update') && call.code === 9)).toHaveLength(1);
  });

  it('leaves a UI-made config patch alone through apply and prune', async () => {
    const { omni, client } = await connect();
    await applyOmni(spaceshipsArtifactSet(), client);
    omni.state.put(omniKinds.ConfigPatch, uiPatch);
    const { plan } = await applyOmni(spaceshipsArtifactSet({ withoutWorkerPatch: true }), client);
    expect(plan.changes.filter((change) => change.action === 'delete').map((change) => change.id)).toEqual([
      '400-talos-matrix-workers-node-labels',
    ]);
    expect(plan.unmanaged).toContainEqual({
      kind: 'ConfigPatch',
      id: '500-ui-tweak',
      reason: 'no talos-sdk.dev/managed-by annotation',
    });
    expect(omni.state.get(omniKinds.ConfigPatch, '500-ui-tweak')?.spec.data).toBe(uiPatch.spec.data);
    expect(omni.state.get(omniKinds.ConfigPatch, '400-talos-matrix-workers-node-labels')).toBeUndefined();
  });

  it('deletes machine sets before the cluster, waiting for finalizers', async () => {
    const { omni, client } = await connect();
    const set = spaceshipsArtifactSet();
    await applyOmni(set, client);
    omni.state.put(omniKinds.ConfigPatch, uiPatch);
    omni.resetCalls();
    const manifestOnly = { artifacts: set.artifacts.filter((artifact) => artifact.kind === 'manifest') };
    const { plan } = await applyOmni(manifestOnly, client);
    expect(summarizePlan(plan).delete).toBe(11);
    const destroys = omni.calls.filter((call) => call.method.endsWith('/Destroy') && call.code === 0);
    expect(destroys).toHaveLength(11);
    expect(omni.calls.some((call) => call.code === 9)).toBe(false);
    expect(omni.state.list(omniKinds.MachineSet)).toEqual([]);
    expect(omni.state.list(omniKinds.Cluster)).toEqual([]);
    expect(omni.state.list(omniKinds.ConfigPatch).map((patch) => patch.metadata.id)).toEqual(['500-ui-tweak']);
  });

  it('converges under 20% injected UNAVAILABLE without duplicate creates', async () => {
    const { omni, client } = await connect({ faults: { unavailableRate: 0.2 }, seed: 42 });
    const set = spaceshipsArtifactSet({ extraMachineClasses: 20, extraClusterPatches: 10 });
    await applyOmni(set, client);
    omni.setFaults({});
    const again = await planOmni(set, client);
    expect(summarizePlan(again)).toEqual({ create: 0, update: 0, delete: 0, 'no-op': again.changes.length });
    const faulted = omni.calls.filter((call) => call.code === 14);
    expect(faulted.length).toBeGreaterThan(0);
    const created = omni.state.list(omniKinds.MachineClass).map((resource) => resource.metadata);
    expect(created).toHaveLength(22);
    expect(created.every((metadata) => metadata.version === 1)).toBe(true);
    expect(client.stats.retries).toBeGreaterThan(0);
    const reconciled = omni.calls.filter((call) => call.method.endsWith('/Create') && call.code === 6);
    expect(reconciled.length).toBeGreaterThan(0);
  });
});
