import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import { ClusterSpec } from '@talos-sdk/omni-client/generated/omni/specs/omni.js';
import { omniKinds } from '@talos-sdk/omni-client';
import { waitForInfraProviders } from '../src/clients/omni/provider-wait.js';
import { OmniWaitTimeoutError, waitForClusterReady } from '@talos-sdk/omni-client';
import type { WaitReporter } from '../src/clients/progress.js';
import { applyProxmox } from '../src/clients/proxmox/apply.js';
import { ProxmoxClient } from '../src/clients/proxmox/client.js';
import { createTestServiceAccount, seedInfraProviderStatus } from '../src/testing/omni/index.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { exampleProxmoxArtifactSet } from './client-fixtures.js';
import { startAdminSession } from './omni-fixtures.js';

/** A wait reporter that records `begin what` and `end what`. */
function recorder(): { onWait: WaitReporter; events: string[] } {
  const events: string[] = [];
  return {
    events,
    onWait: (what) => {
      events.push(`begin ${what}`);
      return () => events.push(`end ${what}`);
    },
  };
}

/** Each begin is followed, later, by its end. */
function balanced(events: readonly string[]): boolean {
  const open: string[] = [];
  for (const event of events) {
    if (event.startsWith('begin ')) open.push(event.slice(6));
    else if (open.pop() !== event.slice(4)) return false;
  }
  return open.length === 0;
}

describe('wait reporters', () => {
  it('Proxmox: each task the apply waits for, named by type, guest and node', async ({
    onTestFinished,
  }: TestContext) => {
    const pve = await startProxmoxEmulator({ rootPassword: 'emulated-root-password', taskDurationMs: 20 });
    onTestFinished(() => pve.close());
    const { onWait, events } = recorder();
    const client = new ProxmoxClient({
      url: pve.url,
      credentials: { kind: 'password', username: 'root@pam', password: 'emulated-root-password' },
      tls: { ca: pve.caPem },
      taskPollMs: 5,
      onWait,
    });
    onTestFinished(() => client.close());
    const envFile = join(await mkdtemp(join(tmpdir(), 'wait-progress-')), 'provider.env');
    await applyProxmox(exampleProxmoxArtifactSet(), client, { cluster: 'matrix', tokenSecret: { envFile } });
    expect(events).toContainEqual(expect.stringMatching(/^begin Proxmox task vzcreate 200 on node \S+$/));
    expect(balanced(events)).toBe(true);
  });

  it('Omni: the cluster-ready wait, ended when it times out', async ({ onTestFinished }: TestContext) => {
    const { omni, client } = await startAdminSession(await createTestServiceAccount());
    onTestFinished(async () => {
      client.close();
      await omni.close();
    });
    omni.state.put(omniKinds.Cluster, { id: 'talos-new', spec: ClusterSpec.fromPartial({}) });
    const { onWait, events } = recorder();
    await expect(waitForClusterReady(client, 'talos-new', { timeoutMs: 200, onWait })).rejects.toBeInstanceOf(
      OmniWaitTimeoutError,
    );
    expect(events).toEqual([
      'begin machine sets of cluster talos-new to be ready',
      'end machine sets of cluster talos-new to be ready',
    ]);
  });

  it('Omni: the provider connection wait', async ({ onTestFinished }: TestContext) => {
    const { omni, client } = await startAdminSession(await createTestServiceAccount(), {}, false);
    onTestFinished(async () => {
      client.close();
      await omni.close();
    });
    seedInfraProviderStatus(omni.state);
    const { onWait, events } = recorder();
    await waitForInfraProviders(client, ['proxmox'], 5_000, {}, undefined, onWait);
    expect(events).toEqual([
      'begin infra providers proxmox to connect',
      'end infra providers proxmox to connect',
      'begin infra providers proxmox to register their status',
      'end infra providers proxmox to register their status',
    ]);
  });
});
