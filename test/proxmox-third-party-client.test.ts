import { X509Certificate } from 'node:crypto';
import type { ProxmoxEngineOptions } from 'proxmox-api';
import proxmoxApi from 'proxmox-api';
import { Agent, fetch } from 'undici';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import type { ProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';

const ROOT_PASSWORD = 'emulated-root-password';
const TOKEN = { tokenId: 'root@pam!thirdparty', secret: '5f0c2a6e-0000-4000-8000-00000000abcd' };
const TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';

type Api = ReturnType<typeof proxmoxApi>;

/**
 * Starts an emulator and a `proxmox-api` client for it, as its users set it up: host, port and credentials, with a
 * `fetch` that trusts the emulator's self-signed certificate (as one would pass a CA for a real node). Tasks run
 * `taskDurationMs` (default 5).
 */
async function setUp(
  { onTestFinished }: TestContext,
  auth: 'token' | 'ticket',
  taskDurationMs = 5,
): Promise<{ pve: ProxmoxEmulator; api: Api }> {
  const pve = await startProxmoxEmulator({
    rootPassword: ROOT_PASSWORD,
    tokens: [{ tokenId: TOKEN.tokenId, secret: TOKEN.secret }],
    taskDurationMs,
  });
  onTestFinished(() => pve.close());
  const agent = new Agent({ connect: { ca: pve.caPem } });
  onTestFinished(() => agent.close());
  const { hostname, port } = new URL(pve.url);
  const credentials =
    auth === 'token'
      ? { tokenID: TOKEN.tokenId, tokenSecret: TOKEN.secret }
      : { username: 'root@pam', password: ROOT_PASSWORD };
  const options = {
    host: hostname,
    port: Number(port),
    ...credentials,
    fetch: (url: string | URL, init?: object) => fetch(url, { ...init, dispatcher: agent }),
  } as unknown as ProxmoxEngineOptions;
  return { pve, api: proxmoxApi(options) };
}

/** Waits for a task the way `proxmox-api` users do: poll its status on its node until it stops. */
async function waitFor(api: Api, upid: string): Promise<string | undefined> {
  const node = upid.split(':')[1]!;
  for (;;) {
    const status = await api.nodes.$(node).tasks.$(upid).status.$get();
    if (status.status === 'stopped') return status.exitstatus;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('proxmox-api (npm) against the emulator', () => {
  it('runs its ordinary flow with a token: version, nodes, nextid, create, list, config, async update, delete', async (context) => {
    const { pve, api } = await setUp(context, 'token');
    expect(await api.version.$get()).toMatchObject({ version: '9.0.3', release: '9.0' });
    expect((await api.nodes.$get()).map((node) => node.node)).toEqual(['foxtrot', 'golf', 'hotel']);

    const ctid = Number(await api.cluster.nextid.$get());
    expect(ctid).toBe(100);
    const ctTask = await api.nodes.$('golf').lxc.$post({
      vmid: ctid,
      ostemplate: TEMPLATE,
      hostname: 'ct100',
      memory: 1024,
      rootfs: 'vm_ssd:8',
      description: 'made by proxmox-api',
    });
    expect(await waitFor(api, ctTask)).toBe('OK');
    expect(await api.nodes.$('golf').lxc.$get()).toMatchObject([{ vmid: ctid, name: 'ct100', status: 'stopped' }]);
    expect(await api.nodes.$('golf').lxc.$(ctid).config.$get()).toMatchObject({
      memory: 1024,
      hostname: 'ct100',
      description: 'made by proxmox-api\n',
    });

    const vmid = Number(await api.cluster.nextid.$get());
    expect(vmid).toBe(101);
    // What `qm-cloud-init` style scripts send: a serial console and the display on it.
    const vmTask = await api.nodes.$('golf').qemu.$post({
      vmid,
      name: 'vm101',
      memory: '2048',
      cores: 1,
      scsi0: 'vm_ssd:8',
      serial0: 'socket',
      vga: 'serial0',
      net0: 'virtio,bridge=vmbr0',
    });
    expect(await waitFor(api, vmTask)).toBe('OK');
    const update = await api.nodes.$('golf').qemu.$(vmid).config.$post({ cores: 2, description: 'resized' });
    expect(update).toMatch(/^UPID:golf:.*:qmconfig:101:/);
    expect(await waitFor(api, update)).toBe('OK');
    expect(await api.nodes.$('golf').qemu.$(vmid).config.$get()).toMatchObject({
      cores: 2,
      serial0: 'socket',
      vga: 'serial0',
      description: 'resized',
    });
    expect(await api.nodes.$('golf').qemu.$get()).toMatchObject([{ vmid, name: 'vm101' }]);

    expect(await waitFor(api, await api.nodes.$('golf').qemu.$(vmid).$delete())).toBe('OK');
    expect(await waitFor(api, await api.nodes.$('golf').lxc.$(ctid).$delete())).toBe('OK');
    expect(await api.nodes.$('golf').qemu.$get()).toEqual([]);
    expect(pve.state.deletions).toEqual(['qemu/101', 'lxc/100']);
  });

  it("reports PVE's refusals from the status line, and logs in again when its ticket expired", async (context) => {
    // The create task must still hold its lock when the delete arrives, however slow the machine running the test.
    const { pve, api } = await setUp(context, 'ticket', 2000);
    await expect(api.nodes.$('golf').lxc.$(999).config.$get()).rejects.toThrow(
      /500 Configuration file 'nodes\/golf\/lxc\/999.conf' does not exist/,
    );
    pve.state.tickets.clear();
    expect(await api.nodes.$get()).toHaveLength(3);
    const upid = await api.nodes.$('golf').qemu.$post({ vmid: 150, scsi0: 'vm_ssd:4' });
    await expect(api.nodes.$('golf').qemu.$(150).$delete()).rejects.toThrow(/500 VM is locked \(create\)/);
    expect(await waitFor(api, upid)).toBe('OK');
  });

  it('presents a certificate of its own, naming a PVE node', async (context) => {
    const { pve } = await setUp(context, 'token');
    expect(new X509Certificate(pve.caPem).subject).toContain('CN=pve.local');
  });
});
