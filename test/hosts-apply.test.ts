import { readFile, stat, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { applyHosts, HostRefusedError, planHosts } from '../src/clients/hosts/index.js';
import { formatPlan } from '../src/plan/format.js';
import { summarizePlan } from '../src/plan/change.js';
import type { HostsLab } from './hosts-fixtures.js';
import { SECRETS, startHostsLab } from './hosts-fixtures.js';

let lab: HostsLab | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

const providerDir = (l: HostsLab): string => `${l.ct200.root}/opt/talos-sdk/provider-proxmox`;

describe('hosts: apply over SSH against the emulator', () => {
  it('delivers both stacks, writes .env 0600, starts them and reports states; a second apply writes and starts nothing', async () => {
    lab = await startHostsLab();
    const set = lab.artifacts();
    const progress: string[] = [];
    const first = await applyHosts(set, lab.options({ onProgress: (m) => progress.push(m) }));
    expect(first.composeUps).toBe(2);
    expect(first.containers).toEqual([
      {
        guest: 'ct-200',
        stack: 'provider-proxmox',
        containers: expect.arrayContaining([
          expect.objectContaining({ service: 'proxmox-provider', state: 'running' }),
        ]),
      },
      {
        guest: 'holly',
        stack: 'omni',
        containers: expect.arrayContaining([expect.objectContaining({ service: 'omni', state: 'running' })]),
      },
    ]);
    const compose = set.artifacts.find((a) => a.path === 'hosts/ct-200/provider-proxmox/compose.yaml');
    expect(await readFile(`${providerDir(lab)}/compose.yaml`, 'utf8')).toBe(compose?.content);
    const env = await readFile(`${providerDir(lab)}/.env`, 'utf8');
    expect(env).toContain(`PROXMOX_TOKEN_SECRET='${SECRETS.PROXMOX_TOKEN_SECRET}'\n`);
    expect((await stat(`${providerDir(lab)}/.env`)).mode & 0o777).toBe(0o600);
    expect(
      progress.some((m) => m.startsWith('ct-200/provider-proxmox: ') && m.includes('proxmox-provider running')),
    ).toBe(true);

    const writesBefore = lab.ct200.record.writtenFiles.length + lab.holly.record.writtenFiles.length;
    const upsBefore = lab.ct200.docker.composeUps().length + lab.holly.docker.composeUps().length;
    const second = await applyHosts(set, lab.options());
    expect(second).toMatchObject({ writes: 0, composeUps: 0, applied: [] });
    expect(summarizePlan(second.plan)).toMatchObject({ create: 0, update: 0, delete: 0 });
    expect(lab.ct200.record.writtenFiles.length + lab.holly.record.writtenFiles.length).toBe(writesBefore);
    expect(lab.ct200.docker.composeUps().length + lab.holly.docker.composeUps().length).toBe(upsBefore);
  });

  it('plans with one connection and one command per host', async () => {
    lab = await startHostsLab();
    await planHosts(lab.artifacts(), lab.options());
    for (const host of [lab.holly, lab.ct200]) {
      expect(host.record.connections).toBe(1);
      expect(host.record.execs).toHaveLength(1);
      expect(host.record.sftpRequests).toBe(0);
    }
  });

  it('refuses a file edited by hand on the host, writing nothing anywhere, and overwrites it only with force', async () => {
    lab = await startHostsLab();
    const set = lab.artifacts();
    await applyHosts(set, lab.options());
    await writeFile(`${providerDir(lab)}/compose.yaml`, '# tuned by hand\n');
    const written = lab.ct200.record.writtenFiles.length + lab.holly.record.writtenFiles.length;
    const plan = await planHosts(set, lab.options());
    expect(formatPlan(plan)).toContain('edited on the host since the SDK wrote it');
    const error = await applyHosts(set, lab.options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostRefusedError);
    expect((error as Error).message).toMatch(
      /^ct-200: .*provider-proxmox\/compose\.yaml differ from what the SDK last wrote/,
    );
    expect(lab.ct200.record.writtenFiles.length + lab.holly.record.writtenFiles.length).toBe(written);
    expect(await readFile(`${providerDir(lab)}/compose.yaml`, 'utf8')).toBe('# tuned by hand\n');
    await applyHosts(set, lab.options({ force: true }));
    expect(await readFile(`${providerDir(lab)}/compose.yaml`, 'utf8')).not.toBe('# tuned by hand\n');
  });

  it('recreates only the service whose config content changed, e.g. a rotated Proxmox token', async () => {
    lab = await startHostsLab();
    const set = lab.artifacts();
    await applyHosts(set, lab.options());
    const generation = (service: string) =>
      lab?.ct200.docker.projects.get('omni-infra-provider-proxmox')?.get(service)?.generation;
    expect(generation('proxmox-provider')).toBe(1);
    const result = await applyHosts(
      set,
      lab.options({ env: { TS_AUTHKEY: SECRETS.TS_AUTHKEY, PROXMOX_TOKEN_SECRET: 'a-new-token-secret-value' } }),
    );
    expect(generation('proxmox-provider')).toBe(2);
    expect(generation('worker-tailscale')).toBe(1);
    expect(lab.ct200.docker.composeUps().at(-2)?.args).toEqual([
      'compose',
      'up',
      '-d',
      '--force-recreate',
      '--no-deps',
      'proxmox-provider',
    ]);
    expect(result.plan.changes.find((c) => c.kind === 'stack' && c.id === 'ct-200:provider-proxmox')?.note).toContain(
      'recreates proxmox-provider',
    );
    expect(lab.holly.docker.composeUps()).toHaveLength(1);
  });

  it('recreates only the touched service when the topology changes the provider config', async () => {
    lab = await startHostsLab();
    await applyHosts(lab.artifacts(), lab.options());
    const changed = lab.artifacts((input) => (input.providers.proxmox.proxmoxAccess.insecureSkipVerify = false));
    await applyHosts(changed, lab.options());
    const containers = lab.ct200.docker.projects.get('omni-infra-provider-proxmox');
    expect(containers?.get('proxmox-provider')?.generation).toBe(2);
    expect(containers?.get('worker-tailscale')?.generation).toBe(1);
  });

  it('starts a stopped container again, and leaves a stack whose variables have no value unstarted', async () => {
    lab = await startHostsLab();
    const set = lab.artifacts();
    const withoutTs = { PROXMOX_TOKEN_SECRET: SECRETS.PROXMOX_TOKEN_SECRET };
    const partial = await applyHosts(set, lab.options({ env: withoutTs }));
    expect(partial.skipped.map((c) => c.id).sort()).toEqual(['ct-200:provider-proxmox', 'holly:omni']);
    expect(partial.composeUps).toBe(0);
    await applyHosts(set, lab.options());
    lab.holly.docker.setContainerState('omni', 'omni', { state: 'exited' });
    const rerun = await applyHosts(set, lab.options());
    expect(rerun).toMatchObject({ writes: 0, composeUps: 1 });
    expect(lab.holly.docker.projects.get('omni')?.get('omni')?.state).toBe('running');
  });

  it('waits for health with progress, and reports a container that never becomes ready', async () => {
    lab = await startHostsLab({
      holly: { docker: { serviceStates: { omni: { health: 'starting' } }, healthyAfterPolls: 3 } },
      ct200: { docker: { serviceStates: { 'proxmox-provider': { state: 'restarting' } } } },
    });
    const progress: string[] = [];
    const waits: string[] = [];
    const result = await applyHosts(
      lab.artifacts(),
      lab.options({
        // Long enough for holly's three polls on a busy machine; ct-200's container never gets ready and waits it out.
        waitTimeoutMs: 5_000,
        onProgress: (m) => progress.push(m),
        onWait: (what) => {
          waits.push(`begin ${what}`);
          return () => waits.push(`end ${what}`);
        },
      }),
    );
    // Each wait is reported once, begun and ended, so the CLI can print its elapsed time.
    expect(waits).toContain('begin holly/omni containers running or healthy');
    expect(waits).toContain('end holly/omni containers running or healthy');
    // A line per change of state, not per poll (the wait reporter tells the elapsed time).
    expect(
      progress.filter((m) => m.startsWith('holly/omni: omni')).map((m) => /omni running \((\w+)\)/.exec(m)?.[1]),
    ).toEqual(['starting', 'healthy']);
    expect(result.skipped).toEqual([
      expect.objectContaining({
        id: 'ct-200:provider-proxmox',
        note: expect.stringMatching(/^started, but not ready after 5 s: proxmox-provider restarting/),
      }),
    ]);
    expect(result.applied.map((c) => c.id)).toContain('holly:omni');
  });

  it('refuses a Compose older than 2.23.1 for stacks with configs content, and a host without Docker', async () => {
    lab = await startHostsLab({
      ct200: { docker: { composeVersion: '2.20.2' } },
      holly: { docker: { engineVersion: false } },
    });
    const plan = await planHosts(lab.artifacts(), lab.options());
    const docker = plan.changes.filter((c) => c.kind === 'docker').map((c) => `${c.id}: ${c.note ?? ''}`);
    expect(docker).toEqual([
      expect.stringMatching(/^ct-200: Docker Compose 2\.20\.2 is older than 2\.23\.1/),
      expect.stringMatching(/^holly: Docker Engine is not installed/),
    ]);
    await expect(applyHosts(lab.artifacts(), lab.options())).rejects.toBeInstanceOf(HostRefusedError);
    expect(lab.ct200.record.writtenFiles).toEqual([]);
  });
});
