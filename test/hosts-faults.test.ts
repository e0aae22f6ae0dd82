import { readdir, readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { applyHosts, HostConnectionError, planHosts } from '../src/clients/hosts/index.js';
import { planHasChanges } from '../src/plan/change.js';
import type { HostsLab } from './hosts-fixtures.js';
import { startHostsLab } from './hosts-fixtures.js';

let lab: HostsLab | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

describe('hosts: a connection dropped mid-upload', () => {
  it('leaves no half-written file in place, and a rerun converges', async () => {
    lab = await startHostsLab();
    await applyHosts(lab.artifacts(), lab.options());
    const dir = `${lab.ct200.root}/opt/talos-sdk/provider-proxmox`;
    const before = await readFile(`${dir}/compose.yaml`, 'utf8');
    const changed = lab.artifacts((input) => {
      input.providers.proxmox.displayName = 'Proxmox Matrix';
      input.providers.proxmox.proxmoxAccess.insecureSkipVerify = false;
    });
    const after = changed.artifacts.find((a) => a.path === 'hosts/ct-200/provider-proxmox/compose.yaml')?.content;
    lab.ct200.dropAfterUploadBytes(400);
    const error = await applyHosts(changed, lab.options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostConnectionError);
    expect(await readFile(`${dir}/compose.yaml`, 'utf8')).toBe(before);
    expect(lab.ct200.docker.composeUps()).toHaveLength(1);

    const rerun = await applyHosts(changed, lab.options());
    expect(rerun.composeUps).toBe(1);
    expect(await readFile(`${dir}/compose.yaml`, 'utf8')).toBe(after);
    expect(
      (await readdir(dir)).filter((name) => name.includes('talos-sdk-tmp') || name.includes('talos-sdk-part')),
    ).toEqual([]);
    expect(planHasChanges(await planHosts(changed, lab.options()))).toBe(false);
  });

  it('a drop during the first delivery leaves no compose file at all, and the rerun delivers and starts the stack', async () => {
    lab = await startHostsLab({ ct200: { dropAfterUploadBytes: 1000 } });
    const set = lab.artifacts();
    await expect(applyHosts(set, lab.options())).rejects.toBeInstanceOf(HostConnectionError);
    const dir = `${lab.ct200.root}/opt/talos-sdk/provider-proxmox`;
    expect((await readdir(dir)).filter((name) => !name.startsWith('.'))).toEqual([]);
    expect(lab.ct200.docker.composeUps()).toHaveLength(0);
    const rerun = await applyHosts(set, lab.options());
    expect(rerun.containers.map((stack) => stack.stack)).toContain('provider-proxmox');
    expect(planHasChanges(await planHosts(set, lab.options()))).toBe(false);
  });
});
