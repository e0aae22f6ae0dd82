import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { applyHosts, HostRefusedError, planHosts } from '../src/clients/hosts/index.js';
import { summarizePlan } from '../src/plan/change.js';
import type { HostsLab } from './hosts-fixtures.js';
import { startHostsLab } from './hosts-fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke values into the input
type Loose = any;

let lab: HostsLab | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

const allowInstall = (input: Loose): void => {
  input.guests.holly.ssh.installDocker = true;
  input.guests['ct-200'].ssh.installDocker = true;
};

/** Docker's documented steps for Debian 12 (docs.docker.com/engine/install/debian), as the fakes record them. */
const DEBIAN_STEPS = [
  'apt-get update',
  'apt-get install -y ca-certificates curl',
  'install -m 0755 -d /etc/apt/keyrings',
  'curl -fsSL https://download.docker.com/linux/debian/gpg -o /etc/apt/keyrings/docker.asc',
  'chmod a+r /etc/apt/keyrings/docker.asc',
  'tee /etc/apt/sources.list.d/docker.list',
  'apt-get update',
  'apt-get install -y docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin',
];

describe('hosts: installing Docker from Docker apt repository', () => {
  it('plans the install on a host without Docker, installs it, then delivers and starts the stack; a second plan is a no-op', async () => {
    lab = await startHostsLab({ holly: { docker: { engineVersion: false } } });
    const set = lab.artifacts(allowInstall);
    const plan = await planHosts(set, lab.options());
    const docker = plan.changes.find((c) => c.kind === 'docker' && c.id === 'holly');
    expect(docker).toMatchObject({ action: 'create' });
    expect(docker?.note).toContain(
      "installs docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin from Docker's apt repository https://download.docker.com/linux/debian bookworm stable",
    );
    expect(plan.changes.find((c) => c.kind === 'docker' && c.id === 'ct-200')?.action).toBe('no-op');

    const progress: string[] = [];
    const result = await applyHosts(set, lab.options({ onProgress: (m) => progress.push(m) }));
    expect(await lab.holly.systemCommands()).toEqual(DEBIAN_STEPS);
    expect(await lab.ct200.systemCommands()).toEqual([]);
    expect(await readFile(`${lab.holly.root}/etc/apt/sources.list.d/docker.list`, 'utf8')).toBe(
      'deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/debian bookworm stable\n',
    );
    expect(progress).toContain('holly: Docker 28.0.1, Compose 2.33.1 installed');
    expect(result.applied.map((c) => `${c.kind} ${c.id}`)).toContain('docker holly');
    expect(lab.holly.docker.projects.get('omni')?.get('omni')?.state).toBe('running');

    const second = await planHosts(set, lab.options());
    expect(summarizePlan(second)).toMatchObject({ create: 0, update: 0, delete: 0 });
    expect(await lab.holly.systemCommands()).toHaveLength(DEBIAN_STEPS.length);
  });

  it('upgrades a Compose too old for configs content through the same steps', async () => {
    lab = await startHostsLab({ ct200: { docker: { composeVersion: '2.20.2' } } });
    const set = lab.artifacts(allowInstall);
    const plan = await planHosts(set, lab.options());
    expect(plan.changes.find((c) => c.kind === 'docker' && c.id === 'ct-200')).toMatchObject({
      action: 'update',
      fields: expect.arrayContaining([{ path: 'compose', before: '2.20.2', after: 'docker-compose-plugin' }]),
    });
    await applyHosts(set, lab.options());
    expect(await lab.ct200.systemCommands()).toEqual(DEBIAN_STEPS);
    expect(lab.ct200.docker.composeUps().length).toBeGreaterThan(0);
    expect(summarizePlan(await planHosts(set, lab.options()))).toMatchObject({ create: 0, update: 0, delete: 0 });
  });

  it('uses the Ubuntu repository on Ubuntu', async () => {
    lab = await startHostsLab({
      holly: { docker: { engineVersion: false }, osRelease: 'ID=ubuntu\nVERSION_CODENAME=noble\n' },
    });
    await applyHosts(lab.artifacts(allowInstall), lab.options());
    expect(await lab.holly.systemCommands()).toContain(
      'curl -fsSL https://download.docker.com/linux/ubuntu/gpg -o /etc/apt/keyrings/docker.asc',
    );
  });

  it('refuses without installDocker, as before, and on a distribution it does not handle, naming the handled ones', async () => {
    lab = await startHostsLab({
      holly: { docker: { engineVersion: false }, osRelease: 'ID=fedora\nVERSION_ID=40\n' },
      ct200: { docker: { engineVersion: false } },
    });
    const refused = await planHosts(lab.artifacts(), lab.options());
    expect(refused.changes.find((c) => c.kind === 'docker' && c.id === 'ct-200')?.note).toMatch(
      /^Docker Engine is not installed .* \(or set guests\.ct-200\.ssh\.installDocker to let apply install it\)$/,
    );
    await expect(applyHosts(lab.artifacts(), lab.options())).rejects.toBeInstanceOf(HostRefusedError);

    const set = lab.artifacts(allowInstall);
    const plan = await planHosts(set, lab.options());
    expect(plan.changes.find((c) => c.kind === 'docker' && c.id === 'holly')?.note).toContain(
      'cannot install Docker on distribution fedora: only debian and ubuntu',
    );
    await expect(applyHosts(set, lab.options())).rejects.toThrow(/holly: .*only debian and ubuntu/);
    expect(await lab.holly.systemCommands()).toEqual([]);
    expect(lab.holly.record.writtenFiles).toEqual([]);
  });
});
