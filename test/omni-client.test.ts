import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OmniClient } from '../src/clients/omni/index.js';
import {
  OmniAlreadyExistsError,
  OmniEulaNotAcceptedError,
  OmniNotFoundError,
  OmniPendingFinalizersError,
  OmniPermissionDeniedError,
  OmniValidationError,
  OmniVersionConflictError,
  createOmniClient,
  omniKinds,
} from '../src/clients/omni/index.js';
import type { OmniEmulator, TestServiceAccount } from '../src/testing/omni/index.js';
import { createTestServiceAccount, seedInfraProviderStatus, startOmniEmulator } from '../src/testing/omni/index.js';

let account: TestServiceAccount;
let omni: OmniEmulator;
let client: OmniClient;

const provision = (providerData: string) => ({
  matchLabels: [],
  autoProvision: { providerId: 'proxmox', kernelArgs: [], metaValues: [], providerData, grpcTunnel: 0 },
});
const cluster = {
  kubernetesVersion: '1.34.2',
  talosVersion: '1.13.9',
  features: undefined,
  backupConfiguration: undefined,
};

beforeAll(async () => {
  account = await createTestServiceAccount();
  omni = await startOmniEmulator({ seed: 3 });
  await omni.registerPublicKey(account.armoredPublicKey, { role: 'Operator' });
  seedInfraProviderStatus(omni.state);
  client = await createOmniClient({ endpoint: omni.endpoint, serviceAccountKey: account.serviceAccountKey });
});
afterAll(async () => {
  client.close();
  await omni.close();
});

describe('OmniClient against the emulator', () => {
  it('creates with version 1 and phase running, and refuses a second create of the ID', async () => {
    const created = await client.create(omniKinds.MachineClass, {
      id: 'small',
      spec: provision('cores: 1\nmemory: 2048\ndisk_size: 5\nstorage_selector: "true"\n'),
    });
    expect(created.metadata).toMatchObject({ version: 1, phase: 'running', owner: '' });
    await expect(
      client.create(omniKinds.MachineClass, {
        id: 'small',
        spec: provision('cores: 2\nmemory: 2048\ndisk_size: 5\nstorage_selector: "true"\n'),
      }),
    ).rejects.toBeInstanceOf(OmniAlreadyExistsError);
  });

  it('refuses an update with a stale version as a version conflict', async () => {
    const live = await client.get(omniKinds.MachineClass, 'small');
    await client.update(omniKinds.MachineClass, { ...live, metadata: { ...live.metadata, labels: { tier: 'a' } } });
    const error = await client
      .update(omniKinds.MachineClass, { ...live, metadata: { ...live.metadata, labels: { tier: 'b' } } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OmniVersionConflictError);
    expect((await client.get(omniKinds.MachineClass, 'small')).metadata).toMatchObject({
      version: 2,
      labels: { tier: 'a' },
    });
  });

  it('reports Omni validation with the text after "failed to validate: "', async () => {
    const invalid = await client
      .create(omniKinds.MachineClass, {
        id: 'broken',
        spec: provision('cores: 0\nmemory: 2048\ndisk_size: 5\nstorage_selector: x\n'),
      })
      .catch((caught: unknown) => caught);
    expect(invalid).toBeInstanceOf(OmniValidationError);
    expect((invalid as OmniValidationError).validation).toContain('/cores: must be >= 1');
    const both = await client
      .create(omniKinds.MachineClass, { id: 'both', spec: { ...provision('cores: 1'), matchLabels: ['a'] } })
      .catch((caught: unknown) => caught);
    expect((both as OmniValidationError).validation).toMatch(/exactly one/);
  });

  it('rejects JSON6902 and forbidden config patch fields', async () => {
    await client.create(omniKinds.Cluster, { id: 'c1', spec: cluster });
    const patch = (id: string, data: string) =>
      client.create(omniKinds.ConfigPatch, {
        id,
        labels: { 'omni.sidero.dev/cluster': 'c1' },
        spec: { data, compressedData: Buffer.alloc(0) },
      });
    await expect(patch('200-json', '- op: add\n  path: /machine\n  value: {}\n')).rejects.toThrow(/JSON6902/);
    await expect(patch('201-token', 'machine:\n  token: abc\n')).rejects.toBeInstanceOf(OmniValidationError);
  });

  it('checks MachineSet IDs and labels', async () => {
    const set = (id: string, labels: Record<string, string>) =>
      client.create(omniKinds.MachineSet, {
        id,
        labels,
        spec: {
          updateStrategy: 1,
          machineClass: undefined,
          bootstrapSpec: undefined,
          deleteStrategy: 0,
          updateStrategyConfig: undefined,
          deleteStrategyConfig: undefined,
          machineAllocation: { name: 'small', machineCount: 1, allocationType: 0 },
          upgradeStrategy: 0,
          upgradeStrategyConfig: undefined,
        },
      });
    const cp = { 'omni.sidero.dev/cluster': 'c1', 'omni.sidero.dev/role-controlplane': '' };
    await expect(set('c1-cp', cp)).rejects.toThrow(/c1-control-planes/);
    await expect(set('c1-workers', { 'omni.sidero.dev/cluster': 'c1' })).rejects.toThrow(/exactly one/);
    await expect(set('c1-control-planes', cp)).resolves.toBeDefined();
  });

  it('refuses Destroy while finalizers are pending, and writes to controller-owned resources', async () => {
    await client.create(omniKinds.Cluster, { id: 'c2', spec: cluster });
    omni.state.put(omniKinds.Cluster, { id: 'c3', spec: cluster, finalizers: ['ClusterController'] });
    await expect(client.destroy(omniKinds.Cluster, 'c3')).rejects.toBeInstanceOf(OmniPendingFinalizersError);
    await expect(client.destroy(omniKinds.ClusterStatus, 'c1')).rejects.toBeInstanceOf(OmniPermissionDeniedError);
  });

  it('lists with label queries (equal, in, exists, inverted, numeric)', async () => {
    for (const [id, rack] of [
      ['r1', '1'],
      ['r2', '2'],
      ['r10', '10'],
    ] as const) {
      omni.state.put(omniKinds.ExtensionsConfiguration, {
        id,
        labels: { rack, zone: id === 'r2' ? 'b' : 'a' },
        spec: { extensions: [] },
      });
    }
    const ids = async (labels: Parameters<OmniClient['list']>[1]) =>
      (await client.list(omniKinds.ExtensionsConfiguration, labels)).map((resource) => resource.metadata.id);
    expect(await ids({ labels: [{ key: 'zone', op: 'equal', value: 'a' }] })).toEqual(['r1', 'r10']);
    expect(await ids({ labels: [{ key: 'rack', op: 'in', values: ['1', '2'] }] })).toEqual(['r1', 'r2']);
    expect(await ids({ labels: [{ key: 'rack', op: 'lt-numeric', value: '3' }] })).toEqual(['r1', 'r2']);
    expect(await ids({ labels: [{ key: 'rack', op: 'lt', value: '2' }] })).toEqual(['r1', 'r10']);
    expect(await ids({ labels: [{ key: 'zone', op: 'equal', value: 'a', invert: true }] })).toEqual(['r2']);
    expect(
      await ids({
        labels: [
          { key: 'zone', op: 'exists' },
          { key: 'rack', op: 'equal', value: '10' },
        ],
      }),
    ).toEqual(['r10']);
    expect(await ids({ idRegexp: '^r1' })).toEqual(['r1', 'r10']);
  });
});

describe('EULA gate', () => {
  it('fails every call with OmniEulaNotAcceptedError until accepted', async () => {
    const gated = await startOmniEmulator({ eulaAccepted: false });
    await gated.registerPublicKey(account.armoredPublicKey, { role: 'Admin' });
    const gatedClient = await createOmniClient({
      endpoint: gated.endpoint,
      serviceAccountKey: account.serviceAccountKey,
    });
    try {
      await expect(gatedClient.list(omniKinds.Cluster)).rejects.toBeInstanceOf(OmniEulaNotAcceptedError);
      gated.acceptEula();
      await expect(gatedClient.list(omniKinds.Cluster)).resolves.toEqual([]);
    } finally {
      gatedClient.close();
      await gated.close();
    }
  });
});

describe('service accounts', () => {
  it('lists each account with its key fingerprints, renews with another key, and refuses keys it never registered', async () => {
    const omniAdmin = await startOmniEmulator();
    await omniAdmin.registerPublicKey(account.armoredPublicKey, { role: 'Admin', name: account.name });
    const admin = await createOmniClient({
      endpoint: omniAdmin.endpoint,
      serviceAccountKey: account.serviceAccountKey,
    });
    const connectAs = async (key: TestServiceAccount): Promise<OmniClient> =>
      createOmniClient({ endpoint: omniAdmin.endpoint, serviceAccountKey: key.serviceAccountKey });
    const [first, second, never] = await Promise.all(
      [1, 2, 3].map(() => createTestServiceAccount('infra-provider:lab')),
    );
    if (!first || !second || !never) throw new Error('keys missing');
    const clients = await Promise.all([first, second, never].map(connectAs));
    try {
      const role = 'InfraProvider';
      expect(await admin.createServiceAccount({ ...first, role })).toBe(first.fingerprint);
      await expect(admin.createServiceAccount({ ...second, role })).rejects.toBeInstanceOf(OmniAlreadyExistsError);
      expect(await admin.renewServiceAccount(first.name, second.armoredPublicKey)).toBe(second.fingerprint);
      await expect(admin.renewServiceAccount(first.name, second.armoredPublicKey)).rejects.toBeInstanceOf(
        OmniAlreadyExistsError,
      );
      await expect(admin.renewServiceAccount('infra-provider:none', never.armoredPublicKey)).rejects.toBeInstanceOf(
        OmniNotFoundError,
      );
      expect(await admin.listServiceAccounts()).toEqual([
        { name: 'automation', role: 'Admin', publicKeyIds: [account.fingerprint] },
        { name: 'infra-provider:lab', role, publicKeyIds: [first.fingerprint, second.fingerprint] },
      ]);
      // Both registered keys of the account sign calls; a key of the same name that was never registered does not.
      omniAdmin.state.put(omniKinds.InfraProvider, { id: 'lab', spec: {} });
      for (const registered of clients.slice(0, 2)) {
        await expect(registered?.list(omniKinds.InfraProvider)).resolves.toHaveLength(1);
      }
      await expect(clients[2]?.list(omniKinds.InfraProvider)).rejects.toThrow(/invalid signature/);
      await expect(clients[0]?.listServiceAccounts()).rejects.toBeInstanceOf(OmniPermissionDeniedError);
    } finally {
      for (const item of [admin, ...clients]) item.close();
      await omniAdmin.close();
    }
  });
});
