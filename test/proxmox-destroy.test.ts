import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyProxmox } from '../src/clients/proxmox/apply.js';
import { ProxmoxClient } from '../src/clients/proxmox/client.js';
import { destroyProxmox, planProxmoxDestroy } from '../src/clients/proxmox/destroy.js';
import type { Change } from '../src/plan/change.js';
import type { ProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { exampleProxmoxArtifactSet } from './client-fixtures.js';

const ROOT_PASSWORD = 'emulated-root-password';
const open: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

/** The Matrix cluster after apply (as root@pam, so CT 200 gets its tun device and starts), and a client. */
async function appliedMatrix(): Promise<{ pve: ProxmoxEmulator; client: ProxmoxClient }> {
  const pve = await startProxmoxEmulator({ rootPassword: ROOT_PASSWORD, taskDurationMs: 10 });
  open.push(pve);
  const client = new ProxmoxClient({
    url: pve.url,
    credentials: { kind: 'password', username: 'root@pam', password: ROOT_PASSWORD },
    tls: { ca: pve.caPem },
    taskPollMs: 5,
    retry: { baseDelayMs: 1 },
  });
  open.push(client);
  const dir = await mkdtemp(join(tmpdir(), 'pve-destroy-'));
  await applyProxmox(exampleProxmoxArtifactSet(), client, {
    cluster: 'matrix',
    tokenSecret: { envFile: join(dir, 'provider.env') },
  });
  return { pve, client };
}

const actions = (changes: readonly Change[]): string[] =>
  changes.map((change) => `${change.kind} ${change.id} ${change.action}`);

/** Someone's own container on the cluster: no `talos-sdk` tag. */
const personsGuest = {
  type: 'lxc' as const,
  node: 'foxtrot',
  config: { hostname: 'pihole', rootfs: 'vm_ssd:vm-300-disk-0,size=8G' },
  digest: 'd300',
};

describe('destroyProxmox', () => {
  it("stops and destroys CT 200, removes the provider's access, keeps a person's guest, and a second run is a no-op", async () => {
    const { pve, client } = await appliedMatrix();
    pve.state.guests.set(300, { ...personsGuest, config: { ...personsGuest.config } });
    expect(pve.state.guests.get(200)?.running).toBe(true);
    pve.state.requests.splice(0);

    const { plan, applied } = await destroyProxmox(exampleProxmoxArtifactSet(), client, { cluster: 'matrix' });
    expect(plan.changes.every((change) => change.action === 'delete')).toBe(true);
    expect(actions(applied).map((line) => line.split(' ')[0])).toEqual([
      'lxc',
      ...plan.changes.filter((change) => change.kind === 'acl').map(() => 'acl'),
      'token',
      'user',
      'role',
    ]);
    expect(plan.changes.find((change) => change.kind === 'lxc')?.fields).toEqual([
      { path: 'status', before: 'running', after: 'stopped' },
    ]);
    // Stopped (its task waited for) before the DELETE, which PVE refuses for a running guest.
    const calls = pve.state.requests.map((request) => `${request.method} ${request.path.split('?')[0]}`);
    const stop = calls.indexOf('POST /nodes/foxtrot/lxc/200/status/stop');
    const destroy = calls.indexOf('DELETE /nodes/foxtrot/lxc/200');
    expect(stop).toBeGreaterThanOrEqual(0);
    expect(destroy).toBeGreaterThan(stop);
    expect(pve.state.deletions).toEqual(
      expect.arrayContaining([
        'lxc/200',
        'token/omni-provider@pve!omni',
        'user/omni-provider@pve',
        'role/OmniInfraProvider',
      ]),
    );
    expect([...pve.state.guests.keys()]).toEqual([300]);
    expect(pve.state.users.has('omni-provider@pve')).toBe(false);
    expect(pve.state.roles.has('OmniInfraProvider')).toBe(false);
    expect(pve.state.roles.has('Administrator')).toBe(true);
    expect(pve.state.acl).toEqual([]);

    const again = await destroyProxmox(exampleProxmoxArtifactSet(), client, { cluster: 'matrix' });
    expect(again.plan.changes).toEqual([]);
    expect(again.applied).toEqual([]);
  });

  it('keeps a guest at the declared VMID that carries no talos-sdk tag', async () => {
    const { pve, client } = await appliedMatrix();
    const ct = pve.state.guests.get(200)!;
    ct.config = Object.fromEntries(Object.entries(ct.config).filter(([key]) => key !== 'tags'));
    const plan = await planProxmoxDestroy(exampleProxmoxArtifactSet(), client, { cluster: 'matrix' });
    const guest = plan.changes.find((change) => change.kind === 'lxc');
    expect(guest).toMatchObject({ id: '200', action: 'no-op' });
    expect(guest?.note).toMatch(/carries no talos-sdk tag: made by hand or by another tool: kept/);
    await destroyProxmox(exampleProxmoxArtifactSet(), client, { cluster: 'matrix' });
    expect(pve.state.guests.has(200)).toBe(true);
  });

  it('keeps a guest holding a disk the topology does not declare, and removes the rest', async () => {
    const { pve, client } = await appliedMatrix();
    pve.state.guests.get(200)!.config['mp0'] = 'vm_ssd:vm-200-disk-1,mp=/srv/photos,size=500G';
    const { plan, applied } = await destroyProxmox(exampleProxmoxArtifactSet(), client, { cluster: 'matrix' });
    const guest = plan.changes.find((change) => change.kind === 'lxc');
    expect(guest).toMatchObject({ id: '200', action: 'no-op' });
    expect(guest?.note).toContain('mp0 vm_ssd:vm-200-disk-1,mp=/srv/photos,size=500G');
    expect(pve.state.guests.get(200)?.config['mp0']).toBe('vm_ssd:vm-200-disk-1,mp=/srv/photos,size=500G');
    expect(applied.map((change) => change.kind)).toContain('user');
    expect(pve.state.users.has('omni-provider@pve')).toBe(false);
  });

  it("keeps the role while a person's grant uses it, and a user whose comment is not the SDK's", async () => {
    const { pve, client } = await appliedMatrix();
    pve.state.users.set('alice@pve', { comment: 'Alice', enable: 1 });
    pve.state.acl.push({
      path: '/vms/300',
      type: 'user',
      ugid: 'alice@pve',
      roleid: 'OmniInfraProvider',
      propagate: 1,
    });
    pve.state.users.get('omni-provider@pve')!.comment = 'made by hand';
    const { plan } = await destroyProxmox(exampleProxmoxArtifactSet(), client, { cluster: 'matrix' });
    const role = plan.changes.find((change) => change.kind === 'role');
    expect(role?.note).toMatch(/^still used by ACL entries destroy does not remove/);
    expect(role?.note).toContain('/vms/300 user:alice@pve OmniInfraProvider');
    expect(plan.changes.find((change) => change.kind === 'user')?.note).toMatch(/not made by the SDK: kept/);
    expect(pve.state.roles.has('OmniInfraProvider')).toBe(true);
    expect(pve.state.users.has('omni-provider@pve')).toBe(true);
    // The user's grants stay with it; the token (its comment still the SDK's) and its grants go.
    expect(pve.state.acl.some((entry) => entry.ugid === 'omni-provider@pve')).toBe(true);
    expect(pve.state.acl.some((entry) => entry.type === 'token')).toBe(false);
    expect(pve.state.tokens.has('omni-provider@pve!omni')).toBe(false);
  });
  it("destroys Holly (VM 101) with its imported disk and cloud-init drive, and an ISO in its CD-ROM drive doesn't hold it", async () => {
    const pve = await startProxmoxEmulator({
      rootPassword: ROOT_PASSWORD,
      taskDurationMs: 10,
      nodes: ['quantum-1'],
      storages: [
        { storage: 'local-lvm', type: 'lvmthin', shared: 0, content: 'images,rootdir' },
        { storage: 'local', type: 'dir', shared: 0, content: 'iso,vztmpl,import' },
      ],
    });
    open.push(pve);
    const client = new ProxmoxClient({
      url: pve.url,
      credentials: { kind: 'password', username: 'root@pam', password: ROOT_PASSWORD },
      tls: { ca: pve.caPem },
      taskPollMs: 5,
      retry: { baseDelayMs: 1 },
    });
    open.push(client);
    const set = exampleProxmoxArtifactSet();
    await applyProxmox(set, client, { cluster: 'quantum' });
    pve.state.guests.get(101)!.config['ide0'] = 'local:iso/debian-12.8.0-amd64-netinst.iso,media=cdrom';
    const { applied } = await destroyProxmox(set, client, { cluster: 'quantum' });
    expect(actions(applied)).toEqual(['qemu 101 delete']);
    expect(pve.state.guests.size).toBe(0);
  });
});

describe('the emulated destroy endpoints', () => {
  it('refuse a running container as pve-container does, and a built-in role', async () => {
    const { client } = await appliedMatrix();
    await expect(client.request('DELETE', '/nodes/foxtrot/lxc/200')).rejects.toThrow(
      /unable to destroy CT 200 - container is running/,
    );
    await expect(client.request('DELETE', '/access/roles/Administrator')).rejects.toThrow(/special role/);
  });
});
