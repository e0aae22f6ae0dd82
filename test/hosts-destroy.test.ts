import { writeFileSync } from 'node:fs';
import { access, readFile, readdir, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { applyHosts, destroyHosts, planHostsDestroy } from '../src/clients/hosts/index.js';
import type { Change } from '../src/plan/change.js';
import type { HostsLab } from './hosts-fixtures.js';
import { startHostsLab } from './hosts-fixtures.js';

let lab: HostsLab | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

const providerDir = (l: HostsLab): string => `${l.ct200.root}/opt/talos-sdk/provider-proxmox`;
const omniDir = (l: HostsLab): string => `${l.holly.root}/opt/talos-sdk/omni`;
const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );
const deleted = (changes: readonly Change[]): string[] =>
  changes.filter((change) => change.action === 'delete').map((change) => `${change.kind} ${change.id}`);

describe('hosts: destroy over SSH against the emulator', () => {
  it('takes both stacks down, keeps named volumes, removes the SDK files and folders; a second destroy is a no-op', async () => {
    lab = await startHostsLab();
    const set = lab.artifacts();
    await applyHosts(set, lab.options());
    expect(lab.holly.docker.volumes).toEqual(new Set(['omni_omni-tailscale-state']));

    const { plan, applied } = await destroyHosts(set, lab.options());
    expect(deleted(applied).sort()).toEqual(deleted(plan.changes).sort());
    expect(plan.changes.find((change) => change.id === 'holly:omni')?.note).toBe(
      'docker compose down: containers and networks removed, named volumes kept',
    );
    expect(lab.ct200.docker.projects.get('omni-infra-provider-proxmox')?.size).toBe(0);
    expect(lab.holly.docker.projects.get('omni')?.size).toBe(0);
    expect(lab.holly.docker.networks).toEqual(new Set());
    expect(lab.holly.docker.volumes).toEqual(new Set(['omni_omni-tailscale-state']));
    expect(await exists(providerDir(lab))).toBe(false);
    expect(await exists(omniDir(lab))).toBe(false);

    const downs = lab.ct200.docker.invocations.filter((call) => call.args[1] === 'down').length;
    const again = await destroyHosts(set, lab.options());
    expect(again.plan.changes).toEqual([]);
    expect(again.applied).toEqual([]);
    expect(lab.ct200.docker.invocations.filter((call) => call.args[1] === 'down')).toHaveLength(downs);
  });

  it("keeps a hand-edited file, a person's file and a .env with their lines, and removes the rest", async () => {
    lab = await startHostsLab();
    const set = lab.artifacts();
    await applyHosts(set, lab.options());
    await writeFile(`${providerDir(lab)}/provider-config.yaml`, '# tuned by hand\n');
    await writeFile(`${providerDir(lab)}/notes.txt`, 'mine\n');
    await writeFile(`${omniDir(lab)}/.env`, 'MY_OWN=1\n', { flag: 'a' });

    const plan = await planHostsDestroy(set, lab.options());
    const edited = plan.changes.find((change) => change.id.endsWith('provider-proxmox/provider-config.yaml'));
    expect(edited).toMatchObject({ action: 'no-op', note: expect.stringMatching(/edited on the host.*kept/) });
    const env = plan.changes.find((change) => change.kind === 'env' && change.id.startsWith('holly:'));
    expect(env).toMatchObject({ action: 'no-op', note: expect.stringContaining('(MY_OWN)') });

    await destroyHosts(set, lab.options());
    expect((await readdir(providerDir(lab))).sort()).toEqual(['notes.txt', 'provider-config.yaml']);
    expect(await readFile(`${providerDir(lab)}/provider-config.yaml`, 'utf8')).toBe('# tuned by hand\n');
    expect(await readdir(omniDir(lab))).toEqual(['.env']);
    expect(lab.ct200.docker.projects.get('omni-infra-provider-proxmox')?.size).toBe(0);

    // What is left is no longer the SDK's: a second destroy keeps it and changes nothing.
    const again = await destroyHosts(set, lab.options());
    expect(again.plan.changes.every((change) => change.action === 'no-op')).toBe(true);
    expect(again.applied).toEqual([]);
  });

  it('keeps a file edited between the plan and its removal (the hash is checked on the host)', async () => {
    lab = await startHostsLab();
    const set = lab.artifacts();
    await applyHosts(set, lab.options());
    const file = `${providerDir(lab)}/provider-config.yaml`;
    const onProgress = (message: string): void => {
      if (message.startsWith('ct-200: docker compose down')) writeFileSync(file, '# edited just now\n');
    };
    const { plan } = await destroyHosts(set, lab.options({ onProgress }));
    expect(plan.changes.find((change) => change.id.endsWith('/provider-config.yaml'))?.action).toBe('delete');
    expect(await readFile(file, 'utf8')).toBe('# edited just now\n');
  });

  it('removes an edited file and named volumes only when asked (force, removeVolumes)', async () => {
    lab = await startHostsLab();
    const set = lab.artifacts();
    await applyHosts(set, lab.options());
    await writeFile(`${providerDir(lab)}/provider-config.yaml`, '# tuned by hand\n');
    await destroyHosts(set, { ...lab.options({ force: true }), removeVolumes: true });
    expect(await exists(providerDir(lab))).toBe(false);
    expect(lab.holly.docker.volumes).toEqual(new Set());
  });

  it('does not take down a stack whose compose.yaml was edited by hand', async () => {
    lab = await startHostsLab();
    const set = lab.artifacts();
    await applyHosts(set, lab.options());
    const compose = await readFile(`${providerDir(lab)}/compose.yaml`, 'utf8');
    await writeFile(`${providerDir(lab)}/compose.yaml`, `${compose}# tuned by hand\n`);
    const { plan } = await destroyHosts(set, lab.options());
    expect(plan.changes.find((change) => change.id === 'ct-200:provider-proxmox')).toMatchObject({
      action: 'no-op',
      note: expect.stringMatching(/^compose.yaml edited on the host/),
    });
    expect(lab.ct200.docker.projects.get('omni-infra-provider-proxmox')?.size).toBe(2);
    expect(await exists(`${providerDir(lab)}/provider-config.yaml`)).toBe(true);
    expect(await exists(omniDir(lab))).toBe(false);
  });
});
