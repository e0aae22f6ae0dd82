import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { unquoteDotenvValue } from '../src/clients/dotenv-value.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OmniClient, SecretDestination } from '../src/clients/omni/index.js';
import {
  InfraProviderNotConnectedError,
  OmniPermissionDeniedError,
  applyOmni,
  createOmniClient,
  omniKinds,
  parseServiceAccountKey,
  planOmni,
  waitForClusterReady,
} from '../src/clients/omni/index.js';
import { summarizePlan } from '../src/plan/index.js';
import type { OmniEmulator, OmniEmulatorOptions, TestServiceAccount } from '../src/testing/omni/index.js';
import { connectInfraProvider, createTestServiceAccount } from '../src/testing/omni/index.js';
import { keyIdOf, spaceshipsArtifactSet, startAdminSession } from './omni-fixtures.js';

let account: TestServiceAccount;
let dir: string;
let providerKey: SecretDestination;
const open: { omni: OmniEmulator; client: OmniClient }[] = [];

beforeAll(async () => {
  account = await createTestServiceAccount();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omni-apply-'));
  providerKey = { file: join(dir, 'provider.key') };
});
afterEach(async () => {
  for (const { omni, client } of open.splice(0)) {
    client.close();
    await omni.close();
  }
  await rm(dir, { recursive: true, force: true });
});

/** An emulator with an Admin key (registering a provider's service account needs Admin). */
async function connect(
  options: OmniEmulatorOptions = {},
  providerStarted = true,
): Promise<{ omni: OmniEmulator; client: OmniClient }> {
  const session = await startAdminSession(account, options, providerStarted);
  open.push(session);
  return session;
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
    const { applied } = await applyOmni(set, client, { providerKey });
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

  it('reads live state with one List per kind plus one of provider statuses, whatever the count', async () => {
    const { omni, client } = await connect();
    await applyOmni(spaceshipsArtifactSet({ extraMachineClasses: 30 }), client, { providerKey });
    omni.resetCalls();
    await planOmni(spaceshipsArtifactSet({ extraMachineClasses: 30 }), client);
    expect(omni.calls.map((call) => call.method.split('/').at(-1))).toEqual(Array(7).fill('List'));
  });

  it('shows field-level updates and applies them, copying version and finalizers', async () => {
    const { omni, client } = await connect();
    await applyOmni(spaceshipsArtifactSet(), client, { providerKey });
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
    await applyOmni(spaceshipsArtifactSet(), client, { providerKey });
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
    await applyOmni(spaceshipsArtifactSet(), client, { providerKey });
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
    await applyOmni(set, client, { providerKey });
    omni.state.put(omniKinds.ConfigPatch, uiPatch);
    omni.resetCalls();
    const manifestOnly = { artifacts: set.artifacts.filter((artifact) => artifact.kind === 'manifest') };
    const { plan } = await applyOmni(manifestOnly, client);
    expect(summarizePlan(plan).delete).toBe(11);
    const destroys = omni.calls.filter((call) => call.method.endsWith('/Destroy') && call.code === 0);
    expect(destroys).toHaveLength(11);
    expect(omni.calls.some((call) => call.code === 9)).toBe(false);
    const phase = new Map([
      [omniKinds.MachineSet.type, 0],
      [omniKinds.ConfigPatch.type, 1],
      [omniKinds.ExtensionsConfiguration.type, 1],
      [omniKinds.Cluster.type, 1],
      [omniKinds.MachineClass.type, 2],
      [omniKinds.InfraProvider.type, 3],
    ]);
    const removals = omni.calls
      .filter((call) => /\/(Teardown|Destroy)$/.test(call.method))
      .map((call) => `${call.method.split('/').at(-1)} ${phase.get(call.type ?? '') ?? -1}`);
    const teardowns = removals.filter((call) => call.startsWith('Teardown')).map((call) => call.split(' ')[1]);
    expect(teardowns).toEqual(['0', '0', '1', '1', '1', '1', '1', '1', '2', '2', '3']);
    // Each phase is destroyed before the next one is torn down.
    const phases = removals.map((call) => Number(call.split(' ')[1]));
    expect(phases).toEqual([...phases].sort((a, b) => a - b));
    expect(omni.state.list(omniKinds.MachineSet)).toEqual([]);
    expect(omni.state.list(omniKinds.Cluster)).toEqual([]);
    expect(omni.state.list(omniKinds.ConfigPatch).map((patch) => patch.metadata.id)).toEqual(['500-ui-tweak']);
  });

  it('converges under 20% injected UNAVAILABLE without duplicate creates', async () => {
    const { omni, client } = await connect({ seed: 42 });
    const set = spaceshipsArtifactSet({ extraMachineClasses: 20, extraClusterPatches: 10 });
    // Registration is one Admin step (a service account cannot be created twice), done before the faults start.
    const registration = (artifact: { kind: string }) => ['manifest', 'omni-infra-provider'].includes(artifact.kind);
    await applyOmni({ artifacts: set.artifacts.filter(registration) }, client, { providerKey });
    omni.setFaults({ unavailableRate: 0.2 });
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

describe('infra provider registration', () => {
  it('on a fresh Omni: registers the provider, writes its key, waits for it, then converges', async () => {
    const { omni, client } = await connect({}, false);
    const set = spaceshipsArtifactSet();
    const envFile = join(dir, '.env');
    const options = { providerKey: { envFile }, providerTimeoutMs: 300 };
    const plan = await planOmni(set, client, options);
    expect(plan.changes.find((change) => change.kind === 'InfraProvider')).toMatchObject({
      action: 'create',
      note: `registers service account infra-provider:proxmox (role InfraProvider); its key is written to OMNI_SERVICE_ACCOUNT_KEY in ${envFile}`,
    });
    expect(plan.changes.find((change) => change.id === 'matrix-worker')?.note).toBe(
      'provider proxmox has not connected to Omni yet; apply waits for its heartbeat and InfraProviderStatus',
    );

    const progress: string[] = [];
    const error = await applyOmni(set, client, { ...options, onProgress: (message) => progress.push(message) }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InfraProviderNotConnectedError);
    expect(progress).toEqual([
      `provider proxmox: key written to OMNI_SERVICE_ACCOUNT_KEY in ${envFile}; start hosts/ct-200/provider-proxmox/compose.yaml now; ` +
        'waiting up to 0.3 s for it to connect',
    ]);
    expect(omni.state.get(omniKinds.InfraProvider, 'proxmox')?.metadata.annotations).toMatchObject({
      'talos-sdk.dev/provider-account': 'registered',
    });
    expect((error as Error).message).toBe(
      'provider proxmox has not connected to Omni (waited 0.3 s; no heartbeat): start it ' +
        `(hosts/ct-200/provider-proxmox/compose.yaml) with the key written to OMNI_SERVICE_ACCOUNT_KEY in ${envFile}, then apply again`,
    );
    expect(omni.state.get(omniKinds.InfraProvider, 'proxmox')).toBeDefined();
    expect(omni.state.list(omniKinds.MachineClass)).toEqual([]);
    expect((await stat(envFile)).mode & 0o777).toBe(0o600);
    const lines = (await readFile(envFile, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const key = unquoteDotenvValue(lines[0]?.replace(/^OMNI_SERVICE_ACCOUNT_KEY=/, '') ?? '');
    expect(parseServiceAccountKey(key, 'OMNI_SERVICE_ACCOUNT_KEY').name).toBe('infra-provider:proxmox');
    expect(String(error)).not.toContain(key.slice(0, 40));

    // The written key is registered with role InfraProvider: it may write its own status, and nothing else.
    const asProvider = await createOmniClient({ endpoint: omni.endpoint, serviceAccountKey: key });
    open.push({ omni, client: asProvider });
    await expect(asProvider.list(omniKinds.Cluster)).rejects.toBeInstanceOf(OmniPermissionDeniedError);
    await connectInfraProvider(omni.endpoint, key);

    const { applied } = await applyOmni(set, client, options);
    expect(applied.map((change) => change.kind)).not.toContain('InfraProvider');
    expect(applied).toHaveLength(10);
    expect(summarizePlan(await planOmni(set, client))).toEqual({ create: 0, update: 0, delete: 0, 'no-op': 11 });
    expect(await readFile(envFile, 'utf8')).toBe(`OMNI_SERVICE_ACCOUNT_KEY='${key}'\n`);
  });

  it('refuses to register a provider without a place for its key, before changing anything', async () => {
    const { omni, client } = await connect();
    omni.resetCalls();
    await expect(applyOmni(spaceshipsArtifactSet(), client)).rejects.toThrow(
      /give the providerKey option \(a file, or an env file/,
    );
    expect(omni.calls.every((call) => call.method.endsWith('/List'))).toBe(true);
    expect(omni.state.list(omniKinds.InfraProvider)).toEqual([]);
  });

  it('keeps a provider registered with omnictl as it is (a no-op), and applies the rest', async () => {
    const { omni, client } = await connect();
    omni.state.put(omniKinds.InfraProvider, { id: 'proxmox', spec: {} });
    const set = spaceshipsArtifactSet();
    const plan = await planOmni(set, client);
    expect(plan.changes.find((change) => change.kind === 'InfraProvider')).toMatchObject({
      action: 'no-op',
      note: 'registered outside the SDK; left as it is',
    });
    expect(plan.unmanaged).toEqual([]);
    await applyOmni(plan, client);
    expect(omni.state.get(omniKinds.InfraProvider, 'proxmox')?.metadata).toMatchObject({ version: 1, annotations: {} });
    expect(summarizePlan(await planOmni(set, client))).toEqual({ create: 0, update: 0, delete: 0, 'no-op': 11 });
  });

  it('renews an account left by an earlier registration with a fresh key, keeping the other lines of the destination', async () => {
    const { omni, client } = await connect();
    // Left behind by an SDK-made InfraProvider that was pruned earlier; its key is gone.
    const earlier = await createTestServiceAccount('infra-provider:proxmox');
    await client.createServiceAccount({ ...earlier, role: 'InfraProvider' });
    const envFile = join(dir, '.env');
    await writeFile(envFile, 'OTHER=1\nOMNI_SERVICE_ACCOUNT_KEY=something-else\n# trailing comment', { mode: 0o640 });
    await applyOmni(spaceshipsArtifactSet(), client, { providerKey: { envFile } });
    const lines = (await readFile(envFile, 'utf8')).split('\n');
    expect(lines[0]).toBe('OTHER=1');
    expect(lines[2]).toBe('# trailing comment');
    const key = unquoteDotenvValue(lines[1]?.replace(/^OMNI_SERVICE_ACCOUNT_KEY=/, '') ?? '');
    expect(omni.calls.filter((call) => call.method.endsWith('/RenewServiceAccount'))).toHaveLength(1);
    const [account] = await client.listServiceAccounts().then((all) => all.filter((sa) => sa.name === earlier.name));
    expect(account?.publicKeyIds).toEqual([earlier.fingerprint, await keyIdOf(key)]);
    await expect(connectInfraProvider(omni.endpoint, key)).resolves.toBe('proxmox');
  });

  it('restores the destination and removes the InfraProvider when the key lacks Admin', async () => {
    const { omni } = await connect();
    const operator = await createTestServiceAccount('operator');
    await omni.registerPublicKey(operator.armoredPublicKey, { role: 'Operator' });
    const client = await createOmniClient({ endpoint: omni.endpoint, serviceAccountKey: operator.serviceAccountKey });
    open.push({ omni, client });
    const error = await applyOmni(spaceshipsArtifactSet(), client, { providerKey }).catch((caught: unknown) => caught);
    expect(String(error)).toMatch(/registering service account infra-provider:proxmox failed; .* was left as it was/);
    expect((error as Error).cause).toBeInstanceOf(OmniPermissionDeniedError);
    await expect(stat((providerKey as { file: string }).file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(omni.state.list(omniKinds.InfraProvider)).toEqual([]);
  });

  it('reads a lost CreateServiceAccount answer back by fingerprint and finishes in the same apply', async () => {
    const { omni, client } = await connect();
    const set = spaceshipsArtifactSet();
    const method = '/management.ManagementService/CreateServiceAccount';
    omni.setFaults({ methods: { [method]: { kind: 'unavailable', afterEffect: true } } });
    await applyOmni(set, client, { providerKey });
    omni.setFaults({});
    const key = (await readFile((providerKey as { file: string }).file, 'utf8')).trim();
    const account = (await client.listServiceAccounts()).find((sa) => sa.name === 'infra-provider:proxmox');
    expect(account?.publicKeyIds).toEqual([await keyIdOf(key)]);
    expect(omni.state.get(omniKinds.InfraProvider, 'proxmox')?.metadata.annotations).toMatchObject({
      'talos-sdk.dev/provider-account': 'registered',
    });
    await connectInfraProvider(omni.endpoint, key);
    expect(summarizePlan(await planOmni(set, client))).toEqual({ create: 0, update: 0, delete: 0, 'no-op': 11 });
  });
});
