import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OmniClient, OmniResource, ResourceKind } from '../src/clients/omni/index.js';
import {
  applyOmni,
  createOmniClient,
  destroyOmni,
  omniKinds,
  OmniUnauthenticatedError,
  planOmniDestroy,
} from '../src/clients/omni/index.js';
import { summarizePlan } from '../src/plan/index.js';
import type { OmniEmulator, TestServiceAccount } from '../src/testing/omni/index.js';
import { createTestServiceAccount } from '../src/testing/omni/index.js';
import { spaceshipsArtifactSet, startAdminSession } from './omni-fixtures.js';

let account: TestServiceAccount;
let dir: string;
const open: { omni: OmniEmulator; client: OmniClient }[] = [];

beforeAll(async () => {
  account = await createTestServiceAccount();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omni-destroy-'));
});
afterEach(async () => {
  for (const { omni, client } of open.splice(0)) {
    client.close();
    await omni.close();
  }
  await rm(dir, { recursive: true, force: true });
});

/** An emulator holding the spaceships example as apply left it. */
async function applied(): Promise<{ omni: OmniEmulator; client: OmniClient }> {
  const session = await startAdminSession(account);
  open.push(session);
  await applyOmni(spaceshipsArtifactSet(), session.client, { providerKey: { file: join(dir, 'provider.key') } });
  return session;
}

const ids = (omni: OmniEmulator, kind: ResourceKind<unknown>): string[] =>
  omni.state.list(kind).map((resource: OmniResource<unknown>) => resource.metadata.id);

/** A cluster a person made in the UI: no ownership annotation. */
const handMadeCluster = { id: 'lab-by-hand', spec: { kubernetesVersion: '1.33.1', talosVersion: '1.10.4' } };

describe('destroyOmni', () => {
  it("removes everything the SDK made, cluster teardown waited for, and leaves a person's cluster and patch", async () => {
    const { omni, client } = await applied();
    omni.state.put(omniKinds.Cluster, handMadeCluster);
    omni.state.put(omniKinds.ConfigPatch, {
      id: '500-ui-tweak',
      labels: { 'omni.sidero.dev/cluster': 'lab-by-hand' },
      spec: { data: 'machine:\n  sysctls:\n    vm.swappiness: "10"\n', compressedData: Buffer.alloc(0) },
    });
    const waits: string[] = [];
    const { plan, applied: removed } = await destroyOmni(spaceshipsArtifactSet(), client, {
      onWait: (what) => {
        waits.push(what);
        return () => undefined;
      },
    });
    expect(summarizePlan(plan)).toMatchObject({ create: 0, update: 0, delete: 11 });
    expect(removed).toHaveLength(11);
    expect(plan.unmanaged).toEqual(
      expect.arrayContaining([
        { kind: 'Cluster', id: 'lab-by-hand', reason: expect.stringContaining('no talos-sdk.dev/managed-by') },
        { kind: 'ConfigPatch', id: '500-ui-tweak', reason: expect.stringContaining('no talos-sdk.dev/managed-by') },
      ]),
    );
    const cluster = plan.changes.find((change) => change.kind === 'Cluster');
    expect(cluster?.note).toMatch(/torn down asynchronously/);
    expect(plan.changes.find((change) => change.kind === 'InfraProvider')?.note).toMatch(
      /service account infra-provider:proxmox is removed first/,
    );
    // The provider's account went with it, after the cluster (whose machines the provider releases with it) and
    // before the InfraProvider itself.
    expect((await client.listServiceAccounts()).map((sa) => sa.name)).not.toContain('infra-provider:proxmox');
    const order = (found: (call: (typeof omni.calls)[number]) => boolean): number => {
      const index = omni.calls.findIndex(found);
      expect(index).toBeGreaterThanOrEqual(0);
      return index;
    };
    const account = order((call) => call.method.endsWith('/DestroyServiceAccount') && call.code === 0);
    expect(account).toBeGreaterThan(order((call) => call.method.endsWith('/Destroy') && call.id === 'talos-matrix'));
    expect(account).toBeLessThan(order((call) => call.method.endsWith('/Teardown') && call.id === 'proxmox'));
    expect(waits.some((what) => what.includes('Cluster') && what.includes('talos-matrix'))).toBe(true);
    expect(ids(omni, omniKinds.Cluster)).toEqual(['lab-by-hand']);
    expect(ids(omni, omniKinds.ConfigPatch)).toEqual(['500-ui-tweak']);
    expect(ids(omni, omniKinds.MachineSet)).toEqual([]);
    expect(ids(omni, omniKinds.MachineClass)).toEqual([]);
    expect(ids(omni, omniKinds.InfraProvider)).toEqual([]);

    const again = await destroyOmni(spaceshipsArtifactSet(), client);
    expect(again.plan.changes.filter((change) => change.action !== 'no-op')).toEqual([]);
    expect(again.applied).toEqual([]);
  });

  it('keeps a machine class a machine set of a person still uses, and removes the rest', async () => {
    const { omni, client } = await applied();
    omni.state.put(omniKinds.Cluster, handMadeCluster);
    omni.state.put(omniKinds.MachineSet, {
      id: 'lab-by-hand-workers',
      labels: { 'omni.sidero.dev/cluster': 'lab-by-hand', 'omni.sidero.dev/role-worker': '' },
      spec: {
        updateStrategy: 1,
        machineClass: undefined,
        bootstrapSpec: undefined,
        deleteStrategy: 0,
        updateStrategyConfig: undefined,
        deleteStrategyConfig: undefined,
        machineAllocation: { name: 'matrix-worker', machineCount: 1, allocationType: 0 },
        upgradeStrategy: 0,
        upgradeStrategyConfig: undefined,
      },
    });
    const plan = await planOmniDestroy(spaceshipsArtifactSet(), client);
    const worker = plan.changes.find((change) => change.kind === 'MachineClass' && change.id === 'matrix-worker');
    expect(worker).toMatchObject({ action: 'no-op' });
    expect(worker?.note).toMatch(/in use by machine set lab-by-hand-workers/);
    await destroyOmni(plan, client);
    expect(ids(omni, omniKinds.MachineClass)).toEqual(['matrix-worker']);
    expect(ids(omni, omniKinds.MachineSet)).toEqual(['lab-by-hand-workers']);
    expect(ids(omni, omniKinds.Cluster)).toEqual(['lab-by-hand']);
  });

  it('keeps a declared cluster that a person made (no annotation) as a no-op with the reason', async () => {
    const session = await startAdminSession(account);
    open.push(session);
    session.omni.state.put(omniKinds.Cluster, { ...handMadeCluster, id: 'talos-matrix' });
    const { plan, applied: removed } = await destroyOmni(spaceshipsArtifactSet(), session.client);
    expect(plan.changes).toEqual([
      expect.objectContaining({
        kind: 'Cluster',
        id: 'talos-matrix',
        action: 'no-op',
        note: expect.stringMatching(/not made by the SDK/),
      }),
    ]);
    expect(removed).toEqual([]);
    expect(ids(session.omni, omniKinds.Cluster)).toEqual(['talos-matrix']);
  });

  it("finishes a destroy stopped between the provider's service account and the provider", async () => {
    const { omni, client } = await applied();
    const providerKey = (await readFile(join(dir, 'provider.key'), 'utf8')).trim();
    const provider = await createOmniClient({
      endpoint: omni.endpoint,
      env: { OMNI_SERVICE_ACCOUNT_KEY: providerKey },
    });
    await provider.list(omniKinds.InfraProvider);
    // A destroy stopped after the account went and before the InfraProvider did.
    expect(await client.destroyServiceAccount('infra-provider:proxmox')).toBe(true);
    await expect(provider.list(omniKinds.InfraProvider)).rejects.toBeInstanceOf(OmniUnauthenticatedError);
    expect(await client.destroyServiceAccount('infra-provider:proxmox')).toBe(false);
    expect(ids(omni, omniKinds.InfraProvider)).toEqual(['proxmox']);

    const { applied: removed } = await destroyOmni(spaceshipsArtifactSet(), client);
    expect(removed.map((change) => `${change.kind}/${change.id}`)).toContain('InfraProvider/proxmox');
    expect(ids(omni, omniKinds.InfraProvider)).toEqual([]);
    provider.close();
  });
});
