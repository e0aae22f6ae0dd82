import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OmniClient } from '../src/clients/omni/index.js';
import {
  OmniUnauthenticatedError,
  applyOmni,
  createOmniClient,
  omniKinds,
  planOmni,
} from '../src/clients/omni/index.js';
import { summarizePlan } from '../src/plan/index.js';
import type { OmniEmulator, TestServiceAccount } from '../src/testing/omni/index.js';
import { connectInfraProvider, createTestServiceAccount } from '../src/testing/omni/index.js';
import type { AdminSession } from './omni-fixtures.js';
import { keyIdOf, spaceshipsArtifactSet, startAdminSession } from './omni-fixtures.js';

const CREATE = '/management.ManagementService/CreateServiceAccount';
const RENEW = '/management.ManagementService/RenewServiceAccount';
const ACCOUNT = 'infra-provider:proxmox';

let admin: TestServiceAccount;
let dir: string;
let file: string;
const open: { close(): unknown }[] = [];

beforeAll(async () => {
  admin = await createTestServiceAccount();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omni-provider-key-'));
  file = join(dir, 'provider.key');
});
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
  await rm(dir, { recursive: true, force: true });
});

async function session(retry?: Parameters<typeof startAdminSession>[3]): Promise<AdminSession> {
  const started = await startAdminSession(admin, {}, true, retry);
  open.push(started.omni, started.client);
  return started;
}

/** The fingerprints Omni holds for the provider's account. */
async function accountKeys(client: OmniClient): Promise<readonly string[]> {
  return (await client.listServiceAccounts()).find((account) => account.name === ACCOUNT)?.publicKeyIds ?? [];
}

const destinationKey = async (): Promise<string> => (await readFile(file, 'utf8')).trim();
const registrations = (omni: OmniEmulator): number =>
  omni.calls.filter((call) => call.method === CREATE || call.method === RENEW).length;

describe('the provider key at its destination is one Omni holds', () => {
  it('reproducer: a lost answer, then a failing registration, then a rerun: the key at the destination connects', async () => {
    const { omni, client } = await session();
    const set = spaceshipsArtifactSet();

    // Run 1: CreateServiceAccount takes effect, its answer is lost, and this client does not retry.
    const once = await createOmniClient({
      endpoint: omni.endpoint,
      serviceAccountKey: admin.serviceAccountKey,
      retry: { attempts: 1 },
    });
    open.push(once);
    omni.setFaults({ methods: { [CREATE]: { kind: 'unavailable', afterEffect: true } } });
    await expect(applyOmni(set, once, { providerKey: { file } })).rejects.toThrow(/got no answer/);
    const key1 = await destinationKey();
    expect(await accountKeys(client)).toEqual([await keyIdOf(key1)]);

    // Run 2: every CreateServiceAccount fails before it takes effect. Omni holds the key at the destination, so
    // nothing is registered or written, and the apply finishes.
    omni.setFaults({ methods: { [CREATE]: { kind: 'unavailable' } } });
    omni.resetCalls();
    await applyOmni(set, client, { providerKey: { file } });
    expect(await destinationKey()).toBe(key1);
    expect(registrations(omni)).toBe(0);

    // Run 3: the provider starts with the key at the destination and is accepted.
    omni.setFaults({});
    expect(summarizePlan(await planOmni(set, client))).toEqual({ create: 0, update: 0, delete: 0, 'no-op': 11 });
    await expect(connectInfraProvider(omni.endpoint, key1)).resolves.toBe('proxmox');
  });

  it('registers the key the destination holds when Omni holds another key of the account, and keeps it', async () => {
    const { omni, client } = await session();
    // The state run 3 met: Omni holds key #1, the destination holds key #2, which Omni never registered.
    const key1 = await createTestServiceAccount(ACCOUNT);
    await client.createServiceAccount({ ...key1, role: 'InfraProvider' });
    const key2 = await createTestServiceAccount(ACCOUNT);
    await writeFile(file, `${key2.serviceAccountKey}\n`, { mode: 0o600 });
    await expect(connectInfraProvider(omni.endpoint, key2.serviceAccountKey)).rejects.toBeInstanceOf(
      OmniUnauthenticatedError,
    );

    await applyOmni(spaceshipsArtifactSet(), client, { providerKey: { file } });
    expect(await destinationKey()).toBe(key2.serviceAccountKey);
    expect(await accountKeys(client)).toEqual([key1.fingerprint, key2.fingerprint]);
    expect(omni.calls.filter((call) => call.method === RENEW && call.code === 0)).toHaveLength(1);
    expect(omni.state.get(omniKinds.InfraProvider, 'proxmox')?.metadata.annotations).toMatchObject({
      'talos-sdk.dev/provider-account': 'registered',
    });
    await expect(connectInfraProvider(omni.endpoint, key2.serviceAccountKey)).resolves.toBe('proxmox');
  });

  it('ends with a key at the destination that authenticates, whichever answers are lost along the way', async () => {
    const set = spaceshipsArtifactSet();
    for (let seed = 1; seed <= 12; seed++) {
      // Three attempts per call and 25 % faults: runs fail part way, some right after a registration took effect.
      const { omni, client } = await startAdminSession(admin, { seed }, true, { attempts: 3, baseDelayMs: 1 });
      try {
        const management = { kind: 'unavailable' as const, afterEffect: seed % 4 !== 0 };
        // Four runs under faults (each may stop anywhere), the first with its registration's answers lost, then one
        // without faults.
        for (let run = 1; run <= 4; run++) {
          omni.setFaults({
            unavailableRate: 0.25,
            lostResponseRate: 0.5,
            ...(run === 1 ? { methods: { [CREATE]: management } } : {}),
          });
          await applyOmni(set, client, { providerKey: { file }, providerTimeoutMs: 2_000 }).catch(() => undefined);
        }
        omni.setFaults({});
        const finished = await applyOmni(set, client, { providerKey: { file } }).then(
          () => true,
          (error: unknown) => error,
        );
        expect(finished, `seed ${seed}`).toBe(true);
        const key = await destinationKey();
        expect(await accountKeys(client), `seed ${seed}`).toContain(await keyIdOf(key));
        await expect(connectInfraProvider(omni.endpoint, key), `seed ${seed}`).resolves.toBe('proxmox');
      } finally {
        client.close();
        await omni.close();
        await rm(file, { force: true });
      }
    }
  }, 60_000);
});
