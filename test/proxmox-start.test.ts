// Starting guests at the end of a Proxmox apply: a stopped guest is started last, a running one is left alone, a
// guest whose artifact says `start: false` is never touched, and a start whose answer was lost is not sent twice.
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import { applyProxmox } from '../src/clients/proxmox/apply.js';
import { ProxmoxClient } from '../src/clients/proxmox/client.js';
import { planProxmox } from '../src/clients/proxmox/plan.js';
import { defineTopology } from '../src/models/define.js';
import type { ProxmoxEmulator, ProxmoxEmulatorOptions } from '../src/testing/proxmox/index.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { jsonArtifactSet } from './client-fixtures.js';
import { spaceshipsInput } from './fixtures.js';
import { generate } from '../src/generators/generate.js';

const ROOT_PASSWORD = 'emulated-root-password';
/** Holly's cluster: one node, LVM-thin for disks, and `local` holding the cloud image to import. */
const QUANTUM: ProxmoxEmulatorOptions = {
  nodes: ['quantum-1'],
  storages: [
    { storage: 'local-lvm', type: 'lvmthin', shared: 0, content: 'images,rootdir' },
    { storage: 'local', type: 'dir', shared: 0, content: 'iso,vztmpl,import' },
  ],
};

/** VM 101's artifact set, from the example topology with Holly's `start` as given. */
function hollyArtifacts(start: boolean) {
  const input = spaceshipsInput();
  Object.assign(input.guests['holly']!, { start });
  const topology = defineTopology(input);
  const artifact = generate(topology).artifacts.find((item) => item.path === 'proxmox/quantum/qemu-101.json')!;
  return jsonArtifactSet([{ path: artifact.path, kind: artifact.kind, data: JSON.parse(artifact.content) }]);
}

async function setUp(
  { onTestFinished }: TestContext,
  options: ProxmoxEmulatorOptions = {},
): Promise<{ pve: ProxmoxEmulator; client: ProxmoxClient }> {
  const pve = await startProxmoxEmulator({
    rootPassword: ROOT_PASSWORD,
    taskDurationMs: 5,
    ...QUANTUM,
    ...options,
  });
  onTestFinished(() => pve.close());
  const client = new ProxmoxClient({
    url: pve.url,
    credentials: { kind: 'password', username: 'root@pam', password: ROOT_PASSWORD },
    tls: { ca: pve.caPem },
    taskPollMs: 5,
    retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 2 },
  });
  onTestFinished(() => client.close());
  return { pve, client };
}

const starts = (pve: ProxmoxEmulator) =>
  pve.state.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/status/start'));

describe('starting guests', () => {
  it('starts a created VM last, and a guest someone stopped on the next apply; a running one is left alone', async (context) => {
    const { pve, client } = await setUp(context);
    const set = hollyArtifacts(true);
    const first = await applyProxmox(set, client, { cluster: 'quantum' });
    expect(first.applied.map((change) => `${change.id} ${change.action}`).at(-1)).toBe('101 (start) create');
    expect(pve.state.guests.get(101)!.running).toBe(true);

    const idle = await planProxmox(set, client, { cluster: 'quantum' });
    expect(idle.changes.find((change) => change.id === '101 (start)')?.action).toBe('no-op');

    // Someone shut Holly down: the plan says so, and apply starts it again, nothing else.
    pve.state.guests.get(101)!.running = false;
    const plan = await planProxmox(set, client, { cluster: 'quantum' });
    expect(plan.changes.filter((change) => change.action !== 'no-op')).toEqual([
      expect.objectContaining({
        id: '101 (start)',
        action: 'update',
        fields: [{ path: 'status', before: 'stopped', after: 'running' }],
      }),
    ]);
    const again = await applyProxmox(set, client, { cluster: 'quantum' });
    expect(again.applied.map((change) => change.id)).toEqual(['101 (start)']);
    expect(pve.state.guests.get(101)!.running).toBe(true);
    expect(starts(pve)).toHaveLength(2);
  });

  it('with start: false creates the VM stopped and never starts or stops it', async (context) => {
    const { pve, client } = await setUp(context);
    const set = hollyArtifacts(false);
    await applyProxmox(set, client, { cluster: 'quantum' });
    expect(pve.state.guests.get(101)!.running).toBeUndefined();
    pve.state.guests.get(101)!.running = true;
    const plan = await planProxmox(set, client, { cluster: 'quantum' });
    expect(plan.changes.map((change) => change.id)).toEqual(['101']);
    await applyProxmox(set, client, { cluster: 'quantum' });
    expect(pve.state.guests.get(101)!.running).toBe(true);
    expect(starts(pve)).toEqual([]);
  });

  it('after a start whose answer was lost, waits for that start task instead of sending another', async (context) => {
    let lost = false;
    const { pve, client } = await setUp(context, {
      taskDurationMs: 200,
      faults: {
        loseAnswer: (request) =>
          request.method === 'POST' && request.path.endsWith('/status/start') && !lost && (lost = true),
      },
    });
    const set = hollyArtifacts(true);
    const result = await applyProxmox(set, client, {
      cluster: 'quantum',
      roundDelayMs: 1,
    });
    expect(lost).toBe(true);
    expect(pve.state.guests.get(101)!.running).toBe(true);
    // The lost request reached the cluster and its task started the VM; no second start was sent.
    expect(starts(pve)).toHaveLength(1);
    expect([...pve.state.tasks.values()].filter((task) => task.type === 'qmstart')).toHaveLength(1);
    expect(result.applied.map((change) => change.id)).toContain('101 (start)');
  });
});
