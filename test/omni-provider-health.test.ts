import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  InfraProviderNotConnectedError,
  OmniPermissionDeniedError,
  applyOmni,
  createOmniClient,
  omniKinds,
} from '../src/clients/omni/index.js';
import type { TestServiceAccount } from '../src/testing/omni/index.js';
import { createTestServiceAccount, seedInfraProviderHeartbeat, startInfraProvider } from '../src/testing/omni/index.js';
import type { AdminSession } from './omni-fixtures.js';
import { spaceshipsArtifactSet, startAdminSession } from './omni-fixtures.js';

const MINUTE = 60_000;
let admin: TestServiceAccount;
let provider: TestServiceAccount;
const open: { close(): unknown }[] = [];

beforeAll(async () => {
  admin = await createTestServiceAccount();
  provider = await createTestServiceAccount('infra-provider:proxmox');
});
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

/**
 * Omni with provider `proxmox` registered outside the SDK (so apply does not register it), whose status is there
 * and whose last heartbeat is `ageMs` old (with `error`, when given).
 */
async function withProviderSilentFor(ageMs: number, error?: string): Promise<AdminSession> {
  const session = await startAdminSession(admin);
  open.push(session.omni, session.client);
  session.omni.state.put(omniKinds.InfraProvider, { id: 'proxmox', spec: {} });
  await session.omni.registerPublicKey(provider.armoredPublicKey, { role: 'InfraProvider', name: provider.name });
  seedInfraProviderHeartbeat(session.omni.state, 'proxmox', {
    at: new Date(Date.now() - ageMs),
    ...(error === undefined ? {} : { error }),
  });
  return session;
}

describe('waiting for an infra provider', () => {
  it('does not take the status a stopped provider left behind for a connection, and says when it last beat', async () => {
    const { omni, client } = await withProviderSilentFor(3 * MINUTE);
    const progress: string[] = [];
    const error = await applyOmni(spaceshipsArtifactSet(), client, {
      providerTimeoutMs: 300,
      onProgress: (message) => progress.push(message),
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InfraProviderNotConnectedError);
    expect((error as Error).message).toBe(
      'provider proxmox has not connected to Omni (waited 0.3 s; last heartbeat 3 m ago): start it ' +
        '(hosts/ct-200/provider-proxmox/compose.yaml) with its infra-provider:proxmox service-account key, then apply again',
    );
    expect(progress).toEqual(['provider proxmox: last heartbeat 3 m ago; waiting for a fresh heartbeat']);
    expect(omni.state.list(omniKinds.MachineClass)).toEqual([]);
  });

  it('says which error the provider last reported', async () => {
    const { client } = await withProviderSilentFor(2 * MINUTE, 'cannot reach https://pve.lan:8006');
    await expect(applyOmni(spaceshipsArtifactSet(), client, { providerTimeoutMs: 200 })).rejects.toThrow(
      '(waited 0.2 s; last heartbeat 2 m ago, reported error: cannot reach https://pve.lan:8006)',
    );
  });

  it('goes on once a provider that heartbeats starts, and a stopped provider heartbeats no more', async () => {
    const { omni, client } = await withProviderSilentFor(10 * MINUTE);
    let running: Promise<{ stop(): Promise<void> }> | undefined;
    const { applied } = await applyOmni(spaceshipsArtifactSet(), client, {
      providerTimeoutMs: 10_000,
      onProgress: () => {
        running ??= startInfraProvider(omni.endpoint, provider.serviceAccountKey, { heartbeatIntervalMs: 20 });
      },
    });
    expect(running).toBeDefined();
    expect(applied.filter((change) => change.kind === 'MachineClass')).toHaveLength(2);
    const started = await running;
    await started?.stop();
    const last = omni.state.get(omniKinds.InfraProviderHealthStatus, 'proxmox')?.spec.lastHeartbeatTimestamp;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(omni.state.get(omniKinds.InfraProviderHealthStatus, 'proxmox')?.spec.lastHeartbeatTimestamp).toEqual(last);
  });

  it('lets a provider write its own heartbeat only, and no user write any', async () => {
    const { omni, client } = await withProviderSilentFor(MINUTE);
    await expect(
      client.create(omniKinds.InfraProviderHealthStatus, {
        id: 'other',
        spec: { lastHeartbeatTimestamp: new Date(), error: '' },
      }),
    ).rejects.toBeInstanceOf(OmniPermissionDeniedError);
    const asProvider = await createOmniClient({
      endpoint: omni.endpoint,
      serviceAccountKey: provider.serviceAccountKey,
    });
    open.push(asProvider);
    await expect(
      asProvider.create(omniKinds.InfraProviderHealthStatus, {
        id: 'other',
        spec: { lastHeartbeatTimestamp: new Date(), error: '' },
      }),
    ).rejects.toBeInstanceOf(OmniPermissionDeniedError);
    const running = await startInfraProvider(omni.endpoint, provider.serviceAccountKey);
    open.push({ close: () => running.stop() });
    const beat = omni.state.get(omniKinds.InfraProviderHealthStatus, 'proxmox')?.spec.lastHeartbeatTimestamp;
    expect(Date.now() - (beat?.getTime() ?? 0)).toBeLessThan(5_000);
  });
});
