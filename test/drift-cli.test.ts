/**
 * `drift` (and `plan --refresh-only`) in-process against the emulators over real sockets: after an apply, a change
 * made behind the SDK's back on each target (a field edited, an owned object deleted, an unowned object added in the
 * SDK's namespace) is listed, a person's own entries are not, and nothing on the live systems changes.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { omniKinds } from '@talos-sdk/omni-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import spaceships from '../examples/spaceships/topology.js';
import { generate } from '../src/generators/generate.js';
import { manifestArtifact } from '../src/generators/manifest.js';
import { writeArtifacts } from '../src/generators/output-folder.js';
import type { DriftDocument } from '../src/orchestration/drift.js';
import { startAuth0Emulator } from '../src/testing/auth0/index.js';
import { createTestServiceAccount, seedInfraProviderStatus, startOmniEmulator } from '../src/testing/omni/index.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import { AUTH0_SCOPES, auth0ArtifactSet } from './auth0-fixtures.js';
import { CLIENT_KEY, SECRETS, startHostsLab } from './hosts-fixtures.js';
import { emulatorEnv } from './emulator-env.js';
import { driftLines } from './drift-lines.js';
import { runCliWith } from './run-cli.js';
import { API_KEY as TS_API_KEY, startTailnet } from './tailscale-fixtures.js';

const ROOT_PASSWORD = 'emulated-root-password-1';
const UNIFI_API_KEY = 'emulated-unifi-api-key-0002';
let dir: string;
const open: { close(): Promise<void> }[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talos-topology-drift-'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
  await rm(dir, { recursive: true, force: true });
});

/** Every emulator but the hosts, the example's artifacts in `<dir>/lab/out`, and the environment. */
async function startLab() {
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
  seedInfraProviderStatus(omni.state);
  const clientId = auth0.addApplication({ name: 'Omni', callbacks: ['http://localhost:3000/cb'] })['client_id'];
  const m2m = auth0.addM2mApplication(AUTH0_SCOPES);
  const tenantApplication = auth0ArtifactSet(auth0, clientId as string).artifacts.filter(
    (artifact) => artifact.kind === 'auth0-application',
  );
  const artifacts = [
    ...generate(spaceships).artifacts.filter(
      (artifact) => artifact.kind !== 'auth0-application' && artifact.kind !== 'manifest',
    ),
    ...tenantApplication,
  ];
  const out = join(dir, 'lab', 'out');
  await writeArtifacts({ artifacts: [...artifacts, manifestArtifact('spaceships', artifacts)] }, out);
  // The sidecars have joined, as their stacks started by the hosts target would.
  tailnet.joinDevice({ hostname: 'omni', tags: ['tag:omni'] });
  tailnet.joinDevice({ hostname: 'omni-provider', tags: ['tag:pve-infra'] });
  const env = emulatorEnv({
    proxmox: { ...pve, rootPassword: ROOT_PASSWORD },
    unifi: { ...unifi, apiKey: UNIFI_API_KEY },
    auth0: { ...auth0, ...m2m },
    tailscale: { ...tailnet, apiKey: TS_API_KEY },
    omni: { ...omni, ...account },
  });
  const providerEnv = join(out, 'hosts/ct-200/provider-proxmox/.env');
  const options = ['--out', out, '--cluster', 'matrix', '--provider-key-env-file', providerEnv];
  const applyOptions = [...options, '--token-secret-env-file', providerEnv, '--provider-timeout', '5', '--yes'];
  /** Everything the emulators hold that an apply could change, as text to compare. */
  const live = (): string =>
    JSON.stringify(
      {
        guests: [...pve.state.guests],
        tokens: [...pve.state.tokens.keys()],
        acl: pve.state.acl,
        users: [...pve.state.users],
        dns: unifi.state.dnsRecords,
        routes: unifi.state.routes,
        clients: [...auth0.state.clients],
        devices: tailnet.state.devices,
        policy: tailnet.state.policy,
        omni: [omniKinds.InfraProvider, omniKinds.MachineClass, omniKinds.Cluster, omniKinds.MachineSet].map((kind) =>
          omni.state.list(kind),
        ),
      },
      (_key, value: unknown) => (value instanceof Set ? [...value] : value),
    );
  return { pve, unifi, auth0, tailnet, omni, out, env, clientId: clientId as string, options, applyOptions, live };
}

describe('talos-topology drift', () => {
  it('lists what changed behind the SDK on each target, ignores a person’s own entries, and changes nothing', async () => {
    const lab = await startLab();
    const { pve, unifi, auth0, tailnet, omni, env, options } = lab;
    const apply = await runCliWith(env, 'apply', ...lab.applyOptions, '--json');
    expect(apply.code, apply.out + apply.err).toBe(0);
    const statePath = join(dir, 'lab', '.talos-topology', 'out.applied.json');
    const state = JSON.parse(await readFile(statePath, 'utf8'));
    expect(Object.keys(state.nodes)).toEqual(['auth0', 'omni', 'proxmox:matrix', 'tailscale', 'unifi']);
    expect(JSON.stringify(state)).not.toContain(env['UNIFI_API_KEY']);

    const clean = await runCliWith(env, 'drift', ...options, '--json');
    expect(clean.code, clean.out + clean.err).toBe(0);
    const cleanDocument = JSON.parse(clean.out);
    expect(cleanDocument).toMatchObject({ ok: true, drifted: false, state: statePath });
    expect(cleanDocument.summary).toMatchObject({ differs: 0, disappeared: 0, unowned: 0, missing: 0, failed: 0 });

    // Behind the SDK's back, on every target:
    // Proxmox: CT 200's memory edited; a guest carrying the SDK's tag at an undeclared VMID.
    const ct200 = pve.state.guests.get(200)!;
    ct200.config['memory'] = '512';
    pve.state.guests.set(900, {
      type: 'lxc',
      node: 'foxtrot',
      config: { hostname: 'copy', tags: 'talos-sdk' },
      digest: 'x',
    });
    // UniFi: the Omni record's address edited; a record added by hand inside the zone; one outside it (a person's).
    const record = unifi.state.dnsRecords[0]!;
    record['value'] = '192.168.10.99';
    const site = record['site_id'];
    unifi.state.dnsRecords.push(
      {
        _id: 'r-extra',
        site_id: site,
        key: 'extra.spaceships.work',
        record_type: 'A',
        value: '10.0.0.9',
        enabled: true,
        ttl: 0,
      },
      { _id: 'r-nas', site_id: site, key: 'nas.home.arpa', record_type: 'A', value: '10.0.0.8', enabled: true, ttl: 0 },
    );
    // Auth0: a generated callback removed; a person's own logout URL added (never drift).
    const application = auth0.state.clients.get(lab.clientId)!;
    application['callbacks'] = ['http://localhost:3000/cb'];
    application['allowed_logout_urls'] = [...(application['allowed_logout_urls'] as string[]), 'https://mine.example'];
    // Tailscale: the provider's node removed in the admin console; a node carrying tag:omni under another name.
    tailnet.state.devices.splice(
      tailnet.state.devices.findIndex((device) => device.hostname === 'omni-provider'),
      1,
    );
    tailnet.joinDevice({ hostname: 'omni-test', tags: ['tag:omni'] });
    // Omni: a MachineClass deleted; one annotated for this topology added by hand.
    const worker = omni.state.get(omniKinds.MachineClass, 'matrix-worker')!;
    omni.state.remove(omniKinds.MachineClass, 'matrix-worker');
    omni.state.put(omniKinds.MachineClass, {
      id: 'by-hand',
      annotations: worker.metadata.annotations,
      spec: worker.spec,
    });

    const before = lab.live();
    const drift = await runCliWith(env, 'drift', ...options, '--json');
    expect(drift.code, drift.out + drift.err).toBe(2);
    expect(lab.live()).toBe(before);
    const document = JSON.parse(drift.out) as DriftDocument;
    expect(document.drifted).toBe(true);
    expect(driftLines(document)).toEqual({
      'proxmox:matrix': ['differs lxc 200', 'unowned lxc 900'],
      unifi: ['differs static-dns omni.spaceships.work A', 'unowned static-dns extra.spaceships.work A'],
      auth0: [`differs client ${lab.clientId}`],
      tailscale: ['disappeared device omni-provider', `unowned device omni-test.${tailnet.state.magicDnsSuffix}`],
      omni: ['unowned MachineClass by-hand', 'disappeared MachineClass matrix-worker'],
    });
    const unifiNode = document.targets.find((target) => target.node === 'unifi');
    expect(unifiNode).toMatchObject({
      status: 'checked',
      record: { artifactsChanged: false },
      drift: [{ fields: [{ path: 'value', before: '192.168.10.99', after: '192.168.10.20' }] }, {}],
    });

    // The text says the same, with the live value and the artifacts'.
    const text = await runCliWith(env, 'drift', ...options, '--no-color');
    expect(text.code).toBe(2);
    expect(text.out).toContain('~ static-dns omni.spaceships.work A: differs from the artifacts');
    expect(text.out).toContain('value: live "192.168.10.99", artifacts "192.168.10.20"');
    expect(text.out).toContain('- device omni-provider: disappeared');
    expect(text.out).toMatch(/^ {2}unifi: 1 differs, 0 disappeared, 1 unowned$/m);
    expect(text.out).toMatch(/^drift found$/m);

    // plan --refresh-only is the same check; like plan, it exits 2 only with --detailed-exitcode.
    const refresh = await runCliWith(env, 'plan', '--refresh-only', ...options, '--json');
    expect(refresh.code).toBe(0);
    expect(driftLines(JSON.parse(refresh.out))).toEqual(driftLines(document));
    const detailed = await runCliWith(
      env,
      'plan',
      '--refresh-only',
      '--detailed-exitcode',
      ...options,
      '--target',
      'unifi',
    );
    expect(detailed.code).toBe(2);
    expect(lab.live()).toBe(before);

    // Without --adopt, apply skips the edited UniFi record (it cannot prove the SDK wrote it): it stays recorded as
    // the SDK's, so it is still drift, not "not applied yet".
    expect((await runCliWith(env, 'apply', ...lab.applyOptions, '--target', 'unifi')).code).toBe(2);
    const skipped = JSON.parse((await runCliWith(env, 'drift', ...options, '--target', 'unifi', '--json')).out);
    expect(driftLines(skipped)['unifi']).toContain('differs static-dns omni.spaceships.work A');
    // An apply repairs what the SDK owns (Omni prunes the MachineClass annotated for the topology); the unowned objects
    // a person may still want stay, and stay drift. The removed Tailscale node can only come back by itself.
    const repair = await runCliWith(env, 'apply', ...lab.applyOptions, '--adopt');
    expect(repair.code, repair.out + repair.err).toBe(0);
    const after = JSON.parse((await runCliWith(env, 'drift', ...options, '--json')).out) as DriftDocument;
    expect(driftLines(after)).toEqual({
      'proxmox:matrix': ['unowned lxc 900'],
      unifi: ['unowned static-dns extra.spaceships.work A'],
      auth0: [],
      tailscale: ['disappeared device omni-provider', `unowned device omni-test.${tailnet.state.magicDnsSuffix}`],
      omni: [],
    });
  });

  it('without a record of an earlier apply, says so and reports what is missing', async () => {
    const { env, out } = await startLab();
    const drift = await runCliWith(env, 'drift', '--out', out, '--target', 'unifi', '--no-color');
    expect(drift.code).toBe(2);
    expect(drift.out).toMatch(/^applied state: .*out\.applied\.json \(none yet\)$/m);
    expect(drift.out).toContain('no record of an earlier apply');
    expect(drift.out).toContain('? static-dns omni.spaceships.work A: missing (no record of an earlier apply)');
  });

  it('records a single-target apply, and generate and check never see the applied state', async () => {
    const { env, out } = await startLab();
    const state = join(dir, 'state.json');
    const apply = await runCliWith(env, 'apply', '--target', 'unifi', '--out', out, '--state', state, '--yes');
    expect(apply.code, apply.err).toBe(0);
    expect(JSON.parse(await readFile(state, 'utf8')).nodes.unifi.objects).toEqual([
      { kind: 'static-dns', id: 'omni.spaceships.work A' },
    ]);
    expect((await runCliWith(env, 'drift', '--target', 'unifi', '--out', out, '--state', state)).code).toBe(0);

    // The default place is beside --out: generate and check own --out and never see it.
    const example = join(dir, 'example', 'out');
    expect((await runCliWith({}, 'generate', '--example', '--out', example)).code).toBe(0);
    const beside = join(dir, 'example', '.talos-topology', 'out.applied.json');
    await writeFile(join(dir, 'stamp'), '');
    expect((await runCliWith(env, 'apply', '--target', 'unifi', '--out', example, '--yes')).code).toBe(0);
    const recorded = await readFile(beside, 'utf8');
    expect((await runCliWith({}, 'check', '--example', '--out', example)).code).toBe(0);
    expect((await runCliWith({}, 'generate', '--example', '--out', example)).code).toBe(0);
    expect(await readFile(beside, 'utf8')).toBe(recorded);
  });
});

describe('talos-topology drift on the hosts', () => {
  it('lists a stack file edited on the host and one removed there, and changes nothing', async () => {
    const hosts = await startHostsLab();
    open.push(hosts);
    const out = join(dir, 'out');
    await writeArtifacts(hosts.artifacts(), out);
    await writeFile(
      join(out, 'hosts/ct-200/provider-proxmox/.env'),
      `PROXMOX_TOKEN_SECRET=${SECRETS.PROXMOX_TOKEN_SECRET}\nOMNI_SERVICE_ACCOUNT_KEY=${SECRETS.OMNI_SERVICE_ACCOUNT_KEY}\n`,
    );
    const keyFile = join(dir, 'id_ed25519');
    await writeFile(keyFile, CLIENT_KEY.private, { mode: 0o600 });
    const env = { HOSTS_SSH_KEY_FILE: keyFile, TS_AUTHKEY: SECRETS.TS_AUTHKEY };
    const apply = await runCliWith(env, 'apply', '--target', 'hosts', '--out', out, '--yes');
    expect(apply.code, apply.out + apply.err).toBe(0);
    expect((await runCliWith(env, 'drift', '--target', 'hosts', '--out', out)).code).toBe(0);

    const compose = join(hosts.holly.root, 'opt/talos-sdk/omni/compose.yaml');
    await writeFile(compose, `${await readFile(compose, 'utf8')}# edited on the host\n`);
    await rm(join(hosts.ct200.root, 'opt/talos-sdk/provider-proxmox/provider-config.yaml'));
    const files = async (): Promise<string> =>
      JSON.stringify(
        await Promise.all(
          [hosts.holly.root, hosts.ct200.root].map(async (root) => (await readdir(root, { recursive: true })).sort()),
        ),
      );
    const before = `${await files()}${await readFile(compose, 'utf8')}`;
    const drift = await runCliWith(env, 'drift', '--target', 'hosts', '--out', out, '--json');
    expect(drift.code, drift.out + drift.err).toBe(2);
    expect(`${await files()}${await readFile(compose, 'utf8')}`).toBe(before);
    // The stack folder sits under each emulated host's root; the stack is brought up again once its file is back.
    expect(driftLines(JSON.parse(drift.out))).toEqual({
      hosts: [
        `disappeared file ct-200:${hosts.ct200.root}/opt/talos-sdk/provider-proxmox/provider-config.yaml`,
        `differs file holly:${hosts.holly.root}/opt/talos-sdk/omni/compose.yaml`,
        'differs stack ct-200:provider-proxmox',
      ],
    });
    for (const secret of Object.values(SECRETS)) expect(drift.out).not.toContain(secret);
  });
});
