import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/cli/args.js';
import type { CliResult } from './run-cli.js';
import { runCliWith } from './run-cli.js';
import { TARGETS } from '../src/cli/targets.js';
import { readArtifactSet } from '../src/generators/read.js';
import type { OmniEmulator, TestServiceAccount } from '../src/testing/omni/index.js';
import { createTestServiceAccount, seedInfraProviderStatus, startOmniEmulator } from '../src/testing/omni/index.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import singleSite from '../examples/single-site/topology.js';
import { generate } from '../src/generators/generate.js';
import { writeArtifacts } from '../src/generators/output-folder.js';

const ROOT_PASSWORD = 'emulated-root-password-1';
const API_KEY = 'emulated-unifi-api-key-0002';
let dir: string;
const open: { close(): Promise<void> }[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talos-topology-targets-'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
  await rm(dir, { recursive: true, force: true });
});

function cli(env: Record<string, string>, ...argv: string[]): Promise<CliResult> {
  return runCliWith(env, ...argv);
}

/** An Omni emulator with an Admin service account, and the example generated into `<dir>/out`. */
async function omniWithGeneratedExample(): Promise<{ account: TestServiceAccount; omni: OmniEmulator; out: string }> {
  const account = await createTestServiceAccount();
  const omni = await startOmniEmulator();
  open.push(omni);
  await omni.registerPublicKey(account.armoredPublicKey, { role: 'Admin' });
  const out = join(dir, 'out');
  await cli({}, 'generate', '--example', '--out', out);
  return { account, omni, out };
}

describe('talos-topology plan and apply', () => {
  it('plans UniFi changes (exit 2), applies them, then plans nothing (exit 0)', async () => {
    const unifi = await startUnifiEmulator({ apiKey: API_KEY });
    open.push(unifi);
    const out = join(dir, 'out');
    expect((await cli({}, 'generate', '--example', '--out', out)).code).toBe(0);
    const env = { UNIFI_URL: unifi.url, UNIFI_API_KEY: API_KEY, UNIFI_FINGERPRINT: unifi.fingerprint256 };
    const plan = await cli(env, 'plan', '--detailed-exitcode', '--target', 'unifi', '--out', out, '--no-color');
    expect(plan.code).toBe(2);
    expect(plan.out).toContain('+ omni.spaceships.work A');
    const apply = await cli(env, 'apply', '--yes', '--target', 'unifi', '--out', out);
    expect(apply).toMatchObject({ code: 0, out: expect.stringContaining('applied 1 change') });
    const again = await cli(env, 'plan', '--target', 'unifi', '--out', out, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out).summary).toEqual({ create: 0, update: 0, delete: 0, 'no-op': 1 });
    expect(`${plan.out}${plan.err}${apply.out}${apply.err}${again.out}`).not.toContain(API_KEY);
  });

  it('skips a hand-made UniFi record without --adopt (exit 2, the record untouched) and takes it over with it', async () => {
    const unifi = await startUnifiEmulator({ apiKey: API_KEY });
    open.push(unifi);
    unifi.state.dnsRecords.push({
      _id: 'hand-made',
      site_id: 'site-default',
      key: 'omni.spaceships.work',
      record_type: 'A',
      value: '192.168.10.99',
      ttl: 0,
      enabled: true,
    });
    const out = join(dir, 'out');
    await cli({}, 'generate', '--example', '--out', out);
    const env = { UNIFI_URL: unifi.url, UNIFI_API_KEY: API_KEY, UNIFI_FINGERPRINT: unifi.fingerprint256 };
    const plan = await cli(env, 'plan', '--detailed-exitcode', '--target', 'unifi', '--out', out, '--no-color');
    expect(plan).toMatchObject({ code: 2, out: expect.stringContaining('> omni.spaceships.work A') });
    const skipped = await cli(env, 'apply', '--yes', '--target', 'unifi', '--out', out);
    expect(skipped).toMatchObject({
      code: 2,
      err: expect.stringContaining('skipped: static-dns omni.spaceships.work A'),
    });
    expect(unifi.state.dnsRecords[0]).toMatchObject({ value: '192.168.10.99' });
    const adopted = await cli(env, 'apply', '--yes', '--target', 'unifi', '--out', out, '--adopt');
    expect(adopted).toMatchObject({ code: 0, out: expect.stringContaining('applied 1 change') });
    expect(unifi.state.dnsRecords).toEqual([expect.objectContaining({ _id: 'hand-made', value: '192.168.10.20' })]);
  });

  it('creates CT 200 and the provider access as root@pam, keeping the token secret out of the output', async () => {
    const pve = await startProxmoxEmulator({ rootPassword: ROOT_PASSWORD, taskDurationMs: 5 });
    open.push(pve);
    const out = join(dir, 'out');
    await cli({}, 'generate', '--example', '--out', out);
    const env = { PROXMOX_URL: pve.url, PROXMOX_ROOT_PASSWORD: ROOT_PASSWORD, PROXMOX_FINGERPRINT: pve.fingerprint256 };
    const envFile = join(dir, 'provider.env');
    const apply = await cli(
      env,
      'apply',
      '--yes',
      '--target',
      'proxmox',
      '--cluster',
      'matrix',
      '--out',
      out,
      '--token-secret-env-file',
      envFile,
    );
    expect(apply.err).toBe('');
    expect(apply.code).toBe(0);
    const secret = pve.state.tokens.get('omni-provider@pve!omni')?.secret ?? 'missing';
    expect(await readFile(envFile, 'utf8')).toBe(`PROXMOX_TOKEN_SECRET='${secret}'\n`);
    expect(apply.out).not.toContain(secret);
    expect(apply.out).not.toContain(ROOT_PASSWORD);
    expect((await cli(env, 'plan', '--target', 'proxmox', '--cluster', 'matrix', '--out', out)).code).toBe(0);
  });

  it('registers the provider, waits for it to connect, applies the example to Omni, then waits for the cluster', async () => {
    const { account, omni, out } = await omniWithGeneratedExample();
    const env = { OMNI_ENDPOINT: omni.endpoint, OMNI_SERVICE_ACCOUNT_KEY: account.serviceAccountKey };
    const plan = await cli(env, 'plan', '--detailed-exitcode', '--target', 'omni', '--out', out, '--json');
    expect(plan.code).toBe(2);
    expect(
      JSON.parse(plan.out).changes.map((change: { kind: string; id: string }) => `${change.kind}/${change.id}`),
    ).toEqual(
      expect.arrayContaining([
        'Cluster/talos-matrix',
        'ConfigPatch/200-cluster-talos-matrix-lan-resolver',
        'MachineClass/matrix-worker',
        'MachineSet/talos-matrix-control-planes',
        'InfraProvider/proxmox',
      ]),
    );
    const refused = await cli(env, 'apply', '--yes', '--target', 'omni', '--out', out);
    expect(refused).toMatchObject({ code: 1, err: expect.stringContaining('--provider-key-env-file PATH') });

    const envFile = join(out, 'hosts/ct-200/provider-proxmox/.env');
    const keyFlags = ['--provider-key-env-file', envFile, '--provider-timeout', '1'];
    const first = await cli(env, 'apply', '--yes', '--target', 'omni', '--out', out, ...keyFlags);
    expect(first.code).toBe(1);
    expect(first.err).toBe(
      `provider proxmox: key written to OMNI_SERVICE_ACCOUNT_KEY in ${envFile}; start hosts/ct-200/provider-proxmox/compose.yaml now; ` +
        'waiting up to 1 s for it to connect\n' +
        'talos-topology: provider proxmox has not connected to Omni (waited 1 s; no heartbeat): ' +
        `start it (hosts/ct-200/provider-proxmox/compose.yaml) with the key written to OMNI_SERVICE_ACCOUNT_KEY in ${envFile}, ` +
        'then apply again\n',
    );
    expect((await stat(envFile)).mode & 0o777).toBe(0o600);
    const providerKey = (await readFile(envFile, 'utf8')).replace(/^OMNI_SERVICE_ACCOUNT_KEY=/, '').trimEnd();
    expect(`${first.out}${first.err}`).not.toContain(providerKey.slice(0, 40));

    seedInfraProviderStatus(omni.state);
    const apply = await cli(env, 'apply', '--yes', '--target', 'omni', '--out', out, ...keyFlags);
    expect(apply.err).toBe('');
    expect(apply.code).toBe(0);
    expect(`${apply.out}`).not.toContain(providerKey.slice(0, 40));
    expect((await cli(env, 'plan', '--target', 'omni', '--out', out)).code).toBe(0);
    // Nothing to change: without --wait apply stops there, with it it still waits for the cluster to be ready.
    const unchanged = await cli(env, 'apply', '--target', 'omni', '--out', out, ...keyFlags);
    expect(unchanged).toMatchObject({ code: 0, out: expect.stringContaining('no changes: nothing to apply') });
    expect(unchanged.err).not.toContain('is ready');
    const waited = await cli(env, 'apply', '--target', 'omni', '--out', out, ...keyFlags, '--wait', '--timeout', '30');
    expect(waited).toMatchObject({ code: 0, out: expect.stringContaining('no changes: nothing to apply') });
    expect(waited.err).toMatch(/^cluster talos-matrix is ready$/m);
    const status = await cli(env, 'status', '--cluster', 'talos-matrix', '--wait', '--timeout', '30');
    expect(status).toMatchObject({
      code: 0,
      out: expect.stringContaining('cluster talos-matrix is ready: 2 machine sets'),
    });
    expect(`${plan.out}${plan.err}${status.out}`).not.toContain(account.serviceAccountKey.slice(0, 40));
    const caMissing = await cli(
      { ...env, OMNI_CA_FILE: join(dir, 'no-ca.pem') },
      'status',
      '--cluster',
      'talos-matrix',
      '--wait',
    );
    expect(caMissing).toMatchObject({
      code: 1,
      err: expect.stringContaining(`OMNI_CA_FILE ${join(dir, 'no-ca.pem')} cannot be read`),
    });
  });

  it('names missing credentials and unknown targets without a stack trace', async () => {
    const out = join(dir, 'out');
    await cli({}, 'generate', '--example', '--out', out);
    const missing = await cli({}, 'plan', '--target', 'unifi', '--out', out);
    expect(missing).toMatchObject({ code: 1, err: expect.stringMatching(/^talos-topology: .*UNIFI_URL/) });
    expect((await cli({}, 'plan', '--target', 'aws', '--out', out)).err).toContain('unknown target "aws"');
    expect((await cli({}, 'plan', '--target', 'unifi', '--out', join(dir, 'none'))).err).toContain(
      'manifest.json: cannot be read',
    );
  });

  it('tells where the Omni provider key went and what to start before waiting for it, without the key', async () => {
    const { account, omni, out } = await omniWithGeneratedExample();
    const envFile = join(out, 'hosts/ct-200/provider-proxmox/.env');
    const argv = ['apply', '--yes', '--target', 'omni', '--out', out, '--provider-key-env-file', envFile];
    const line = parseCliArgs([...argv, '--provider-timeout', '1']);
    if (line.kind !== 'run') throw new Error('expected a command to run');
    const env = { OMNI_ENDPOINT: omni.endpoint, OMNI_SERVICE_ACCOUNT_KEY: account.serviceAccountKey };
    const progress: string[] = [];
    const session = await TARGETS.omni?.(line.args, env, (message) => progress.push(message), {
      warn: (message) => progress.push(message),
    });
    open.push({ close: async () => session?.close() });
    await expect(session?.apply(await readArtifactSet(out))).rejects.toThrow(/has not connected/);
    expect(progress).toEqual([
      `provider proxmox: key written to OMNI_SERVICE_ACCOUNT_KEY in ${envFile}; start hosts/ct-200/provider-proxmox/compose.yaml now; ` +
        'waiting up to 1 s for it to connect',
    ]);
    const providerKey = (await readFile(envFile, 'utf8')).replace(/^OMNI_SERVICE_ACCOUNT_KEY=/, '').trimEnd();
    expect(progress.join('\n')).not.toContain(providerKey.slice(0, 40));
  });

  it('writes the provider key under the variable the compose file reads (single-site: LAB_OMNI_KEY)', async () => {
    const account = await createTestServiceAccount();
    const omni = await startOmniEmulator();
    open.push(omni);
    await omni.registerPublicKey(account.armoredPublicKey, { role: 'Admin' });
    const out = join(dir, 'out');
    await writeArtifacts(generate(singleSite), out);
    const stack = 'hosts/provisioner/provider-pve-lab';
    expect(await readFile(join(out, stack, 'compose.yaml'), 'utf8')).toContain(
      'OMNI_SERVICE_ACCOUNT_KEY: ${LAB_OMNI_KEY:?LAB_OMNI_KEY must be set (see .env.example)}',
    );
    const envFile = join(out, stack, '.env');
    const env = { OMNI_ENDPOINT: omni.endpoint, OMNI_SERVICE_ACCOUNT_KEY: account.serviceAccountKey };
    const keyFlags = ['--provider-key-env-file', envFile, '--provider-timeout', '1'];
    const plan = await cli(env, 'plan', '--target', 'omni', '--out', out, ...keyFlags);
    expect(plan.out).toContain(`its key is written to LAB_OMNI_KEY in ${envFile}`);
    const first = await cli(env, 'apply', '--yes', '--target', 'omni', '--out', out, ...keyFlags);
    expect(first.err).toContain(
      `provider pve-lab: key written to LAB_OMNI_KEY in ${envFile}; start ${stack}/compose.yaml now`,
    );
    const written = await readFile(envFile, 'utf8');
    expect(written).toMatch(/^LAB_OMNI_KEY=\S+\n$/);
    const key = JSON.parse(Buffer.from(written.slice('LAB_OMNI_KEY='.length).trim(), 'base64').toString('utf8'));
    expect(key.name).toBe('infra-provider:pve-lab');
  });
});
