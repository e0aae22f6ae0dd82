/**
 * `plan` and `apply` across targets, in-process against the emulators over real sockets: one document in dependency
 * order, targets left out with their reason, a failure stopping only what depends on it, and a rerun continuing.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import spaceships from '../examples/spaceships/topology.js';
import type { ArtifactSet } from '../src/generators/artifact.js';
import { generate } from '../src/generators/generate.js';
import { manifestArtifact } from '../src/generators/manifest.js';
import { writeArtifacts } from '../src/generators/output-folder.js';
import { startAuth0Emulator } from '../src/testing/auth0/index.js';
import { createTestServiceAccount, seedInfraProviderStatus, startOmniEmulator } from '../src/testing/omni/index.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import { AUTH0_SCOPES, auth0ArtifactSet } from './auth0-fixtures.js';
import { CLIENT_KEY, SECRETS, startHostsLab } from './hosts-fixtures.js';
import { emulatorEnv } from './emulator-env.js';
import { runCliWith } from './run-cli.js';
import { API_KEY as TS_API_KEY, startTailnet } from './tailscale-fixtures.js';

const ROOT_PASSWORD = 'emulated-root-password-1';
const UNIFI_API_KEY = 'emulated-unifi-api-key-0002';
let dir: string;
const open: { close(): Promise<void> }[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talos-topology-all-'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
  await rm(dir, { recursive: true, force: true });
});

/** Every emulator but the hosts, the example's artifacts in `<dir>/out` (Auth0's pointed at the tenant), and the env. */
async function startLab(base: ArtifactSet = generate(spaceships)) {
  const [pve, unifi, auth0, tailnet, omni, account] = await Promise.all([
    startProxmoxEmulator({ rootPassword: ROOT_PASSWORD, taskDurationMs: 5 }),
    startUnifiEmulator({ apiKey: UNIFI_API_KEY }),
    startAuth0Emulator(),
    startTailnet(),
    startOmniEmulator(),
    createTestServiceAccount(),
  ]);
  open.push(pve, unifi, auth0, tailnet, omni);
  await omni.registerPublicKey(account.armoredPublicKey, { role: 'Admin' });
  const clientId = auth0.addApplication({ name: 'Omni', callbacks: ['http://localhost:3000/cb'] })['client_id'];
  const m2m = auth0.addM2mApplication(AUTH0_SCOPES);
  const tenantApplication = auth0ArtifactSet(auth0, clientId as string).artifacts.filter(
    (artifact) => artifact.kind === 'auth0-application',
  );
  const artifacts = [
    ...base.artifacts.filter((artifact) => artifact.kind !== 'auth0-application' && artifact.kind !== 'manifest'),
    ...tenantApplication,
  ];
  const out = join(dir, 'out');
  await writeArtifacts({ artifacts: [...artifacts, manifestArtifact('spaceships', artifacts)] }, out);
  const env = emulatorEnv({
    proxmox: { ...pve, rootPassword: ROOT_PASSWORD },
    unifi: { ...unifi, apiKey: UNIFI_API_KEY },
    auth0: { ...auth0, ...m2m },
    tailscale: { ...tailnet, apiKey: TS_API_KEY },
    omni: { ...omni, ...account },
  });
  return { pve, unifi, auth0, tailnet, omni, out, env };
}

/** The apply report that follows the plan document apply prints first. */
function applyReport(text: string): string {
  return text.slice(text.search(/^apply: /m));
}

/** The section headings of a plan or apply document, in order. */
function headings(text: string): string[] {
  return [...text.matchAll(/^== (\S+)/gm)].map((match) => match[1]!);
}

describe('talos-topology plan and apply across targets', () => {
  it('plans every target with credentials in one document, in dependency order, naming what is left out', async () => {
    const { out, env } = await startLab();
    // One Proxmox emulator is one cluster: the example's matrix (quantum is another API).
    const plan = await runCliWith(
      env,
      'plan',
      '--detailed-exitcode',
      '--out',
      out,
      '--cluster',
      'matrix',
      '--no-color',
    );
    expect(plan.code, plan.err).toBe(2);
    expect(headings(plan.out)).toEqual(['proxmox:matrix', 'unifi', 'auth0', 'tailscale', 'omni']);
    expect(plan.out).toMatch(/^plan: proxmox:matrix, unifi, auth0, tailscale, omni \(in dependency order\)$/m);
    expect(plan.out).toMatch(
      /^left out: hosts: no credentials \(no SSH credentials: .*SSH_AUTH_SOCK.*HOSTS_SSH_KEY_FILE/m,
    );
    expect(plan.out).toContain('== omni (after proxmox:matrix, unifi) ==');
    // Field-level diffs from the shared formatter, a summary line per target and in total.
    expect(plan.out).toContain('value: (absent) -> "192.168.10.20"');
    expect(plan.out).toMatch(/^ {2}unifi: 1 to create, 0 to update, 0 to delete, 0 unchanged$/m);
    expect(plan.out).toMatch(/^ {2}auth0: 0 to create, 1 to update, 0 to delete, 0 unchanged$/m);
    expect(plan.out).toMatch(/^ {2}total: \d+ to create, 2 to update, 0 to delete, \d+ unchanged$/m);

    const json = await runCliWith(env, 'plan', '--detailed-exitcode', '--out', out, '--cluster', 'matrix', '--json');
    expect(json.code).toBe(2);
    const document = JSON.parse(json.out);
    expect(document.ok).toBe(true);
    expect(document.targets.map((target: { node: string }) => target.node)).toEqual(headings(plan.out));
    expect(document.targets[0]).toMatchObject({ target: 'proxmox', cluster: 'matrix', status: 'planned', needs: [] });
    expect(document.targets[4]).toMatchObject({ target: 'omni', needs: ['proxmox:matrix', 'unifi'] });
    expect(document.leftOut).toEqual([
      { target: 'hosts', reason: 'no-credentials', message: expect.stringContaining('HOSTS_SSH_KEY_FILE') },
    ]);
    expect(document.summary.update).toBe(2);
    for (const secret of [env['UNIFI_API_KEY']!, env['AUTH0_CLIENT_SECRET']!, env['TS_API_KEY']!]) {
      expect(`${plan.out}${plan.err}${json.out}`).not.toContain(secret);
    }
  });

  it('plans each Proxmox cluster against its own API from its PROXMOX_*__<CLUSTER> variables, and leaves out a cluster without them', async () => {
    const { pve, out, env } = await startLab();
    const quantum = await startProxmoxEmulator({
      nodes: ['quantum-1'],
      rootPassword: 'emulated-quantum-password-2',
      taskDurationMs: 5,
    });
    open.push(quantum);
    const shared = Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('PROXMOX_')));
    const matrixOnly = {
      ...shared,
      PROXMOX_URL__MATRIX: pve.url,
      PROXMOX_ROOT_PASSWORD__MATRIX: ROOT_PASSWORD,
      PROXMOX_FINGERPRINT__MATRIX: pve.fingerprint256,
    };
    const both = {
      ...matrixOnly,
      PROXMOX_URL__QUANTUM: quantum.url,
      PROXMOX_ROOT_PASSWORD__QUANTUM: 'emulated-quantum-password-2',
      PROXMOX_FINGERPRINT__QUANTUM: quantum.fingerprint256,
    };
    // Each password works only on its own emulator: both plans succeed only when each cluster reaches its own API.
    const plan = JSON.parse((await runCliWith(both, 'plan', '--out', out, '--json')).out);
    expect(plan.ok).toBe(true);
    const proxmox = plan.targets.filter((target: { target: string }) => target.target === 'proxmox');
    expect(proxmox.map((target: { node: string; status: string }) => [target.node, target.status])).toEqual([
      ['proxmox:matrix', 'planned'],
      ['proxmox:quantum', 'planned'],
    ]);
    const partial = await runCliWith(matrixOnly, 'plan', '--out', out, '--no-color');
    expect(partial.out).toMatch(/^left out: proxmox:quantum: no credentials \(PROXMOX_URL is not set/m);
    expect(headings(partial.out)[0]).toBe('proxmox:matrix');
    for (const secret of [ROOT_PASSWORD, 'emulated-quantum-password-2']) {
      expect(`${partial.out}${partial.err}`).not.toContain(secret);
    }
  });

  it('narrows to the targets named, and names the variable of a named target without credentials', async () => {
    const { out, env } = await startLab();
    const withoutTailscale = Object.fromEntries(Object.entries(env).filter(([name]) => name !== 'TS_API_KEY'));
    const plan = await runCliWith(
      withoutTailscale,
      'plan',
      '--detailed-exitcode',
      '--out',
      out,
      '--target',
      'auth0',
      '--target',
      'unifi',
    );
    expect(plan.code, plan.err).toBe(2);
    expect(headings(plan.out)).toEqual(['unifi', 'auth0']);
    expect(plan.out).toContain('left out: omni: not asked for');
    const missing = await runCliWith(
      withoutTailscale,
      'plan',
      '--out',
      out,
      '--target',
      'unifi',
      '--target',
      'tailscale',
    );
    expect(missing).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^talos-topology: no Tailscale credentials: set TS_API_KEY/),
    });
    const none = await runCliWith({}, 'plan', '--out', out);
    expect(none).toMatchObject({ code: 1, out: expect.stringMatching(/^plan: no targets/) });
    // Each Proxmox cluster is its own API with its own credentials, so each is left out on its own line.
    expect(none.out.match(/^left out: [\w:]+: no credentials/gm)).toHaveLength(7);
    expect(none.out).toMatch(/^left out: proxmox:matrix: no credentials/m);
    const everything = await runCliWith(withoutTailscale, 'plan', '--out', out, '--cluster', 'matrix');
    expect(everything.out).toMatch(/^left out: tailscale: no credentials \(no Tailscale credentials: set TS_API_KEY/m);
  });

  it('stops what depends on a failed Proxmox apply, finishes the rest, and a rerun applies only what is left', async () => {
    const hosts = await startHostsLab();
    open.push(hosts);
    const { out, env, unifi, omni, pve } = await startLab(hosts.artifacts());
    const providerEnv = join(out, 'hosts/ct-200/provider-proxmox/.env');
    // The Omni key as apply --target omni --provider-key-env-file left it in the provider's .env on an earlier run.
    await writeFile(providerEnv, `OMNI_SERVICE_ACCOUNT_KEY=${SECRETS.OMNI_SERVICE_ACCOUNT_KEY}\n`, { mode: 0o600 });
    const keyFile = join(dir, 'id_ed25519');
    await writeFile(keyFile, CLIENT_KEY.private, { mode: 0o600 });
    const lab = { ...env, HOSTS_SSH_KEY_FILE: keyFile, TS_AUTHKEY: SECRETS.TS_AUTHKEY };
    const common = [
      '--out',
      out,
      '--cluster',
      'matrix',
      '--provider-key-env-file',
      providerEnv,
      '--provider-timeout',
      '5',
    ];

    // Proxmox creates the provider's token, but no --token-secret-env-file says where its secret goes.
    const first = await runCliWith(lab, 'apply', '--yes', ...common, '--no-color');
    expect(first.code).toBe(1);
    // Approved up front: no separate plan first; the report holds each node's plan and what its apply did.
    expect(first.out).not.toMatch(/^plan: /m);
    expect(first.out).toMatch(/^apply: proxmox:matrix, hosts, unifi, auth0, tailscale, omni \(in dependency order\)$/m);
    expect(headings(applyReport(first.out))).toEqual([
      'proxmox:matrix',
      'hosts',
      'unifi',
      'auth0',
      'tailscale',
      'omni',
    ]);
    expect(first.out).toMatch(/^ {2}proxmox:matrix: failed: .*--token-secret-env-file/m);
    expect(first.out).toMatch(/^ {2}hosts: not attempted: depends on proxmox:matrix which failed$/m);
    expect(first.out).toMatch(/^ {2}omni: not attempted: depends on proxmox:matrix which failed$/m);
    expect(first.out).toMatch(/^ {2}unifi: applied 1 change$/m);
    expect(first.out).toMatch(/^ {2}auth0: applied 1 change$/m);
    expect(first.out).toMatch(/^ {2}tailscale: applied 1 change$/m);
    expect(first.out).toMatch(/^ {2}total: 3 applied, 1 failed, 2 not attempted$/m);
    expect(unifi.state.dnsRecords).toHaveLength(1);

    // Fixed: the token secret goes where the provider's stack reads it; the provider connects once started.
    seedInfraProviderStatus(omni.state);
    const fixed = ['--token-secret-env-file', providerEnv, '--wait', '--timeout', '30', '--json'];
    const rerun = await runCliWith(lab, 'apply', '--yes', ...common, ...fixed);
    expect(rerun.code, rerun.out).toBe(0);
    // The lab's last step: Omni's apply waits for the cluster it synced to be ready.
    expect(rerun.err).toContain('omni: cluster talos-matrix is ready');
    const report = JSON.parse(rerun.out);
    const applied = Object.fromEntries(
      report.targets.map((target: { node: string; status: string; applied: unknown[] }) => [
        target.node,
        [target.status, target.applied.length > 0],
      ]),
    );
    expect(applied).toEqual({
      'proxmox:matrix': ['applied', true],
      hosts: ['applied', true],
      unifi: ['applied', false],
      auth0: ['applied', false],
      tailscale: ['applied', false],
      omni: ['applied', true],
    });
    expect(report.summary).toEqual({ applied: 6, failed: 0, notAttempted: 0 });
    expect(pve.state.tokens.has('omni-provider@pve!omni')).toBe(true);
    const secret = pve.state.tokens.get('omni-provider@pve!omni')?.secret ?? 'missing';
    // The secret Proxmox returned reached the provider's host through the hosts target that ran after it.
    const hostEnv = await readFile(join(hosts.ct200.root, 'opt/talos-sdk/provider-proxmox/.env'), 'utf8');
    expect(hostEnv).toContain(`PROXMOX_TOKEN_SECRET='${secret}'`);
    expect(`${first.out}${first.err}${rerun.out}${rerun.err}`).not.toContain(secret);
  });
});
