import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpRequestError } from '../src/clients/http/errors.js';
import type { ProxmoxCredentials } from '../src/clients/proxmox/credentials.js';
import { ProxmoxClient } from '../src/clients/proxmox/client.js';
import { applyProxmox } from '../src/clients/proxmox/apply.js';
import {
  ProxmoxApplyRefusedError,
  ProxmoxPreconditionError,
  ProxmoxRootRequiredError,
  ProxmoxTaskError,
} from '../src/clients/proxmox/errors.js';
import { planProxmox } from '../src/clients/proxmox/plan.js';
import { summarizePlan } from '../src/plan/change.js';
import { formatPlan } from '../src/plan/format.js';
import type { ProxmoxEmulator, ProxmoxEmulatorOptions } from '../src/testing/proxmox/index.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { EXAMPLE_PROVIDER_ACCESS, exampleProxmoxArtifactSet, jsonArtifactSet } from './client-fixtures.js';

const ROOT_PASSWORD = 'emulated-root-password';
const TOKEN = { tokenId: 'root@pam!sdk', secret: '5f0c2a6e-0000-4000-8000-00000000beef' };
const open: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

async function emulator(options: ProxmoxEmulatorOptions = {}): Promise<ProxmoxEmulator> {
  const pve = await startProxmoxEmulator({
    rootPassword: ROOT_PASSWORD,
    tokens: [TOKEN],
    taskDurationMs: 20,
    ...options,
  });
  open.push(pve);
  return pve;
}

function client(pve: ProxmoxEmulator, credentials: ProxmoxCredentials): ProxmoxClient {
  const pveClient = new ProxmoxClient({
    url: pve.url,
    credentials,
    tls: { ca: pve.caPem },
    taskPollMs: 10,
    retry: { baseDelayMs: 5 },
  });
  open.push(pveClient);
  return pveClient;
}

/** Holly's cluster: one node, LVM-thin for disks, and `local` holding the genericcloud image to import. */
const QUANTUM: ProxmoxEmulatorOptions = {
  nodes: ['quantum-1'],
  storages: [
    { storage: 'local-lvm', type: 'lvmthin', shared: 0, content: 'images,rootdir' },
    { storage: 'local', type: 'dir', shared: 0, content: 'iso,vztmpl,import' },
  ],
};

const asRoot: ProxmoxCredentials = { kind: 'password', username: 'root@pam', password: ROOT_PASSWORD };
const asToken: ProxmoxCredentials = { kind: 'token', ...TOKEN };

describe('Proxmox plan and apply against the emulator', () => {
  it('creates CT 200 and provider access as root@pam, writes the token secret 0600, and a second plan is all no-op', async () => {
    const pve = await emulator();
    const pveClient = client(pve, asRoot);
    const dir = await mkdtemp(join(tmpdir(), 'pve-'));
    const tokenSecret = { envFile: join(dir, 'provider.env') };
    const set = exampleProxmoxArtifactSet();

    const first = await planProxmox(set, pveClient, { cluster: 'matrix', tokenSecret });
    expect(summarizePlan(first)).toMatchObject({
      // storage check, role, user, token, the ACL entries, CT 200 and its start
      create: 5 + EXAMPLE_PROVIDER_ACCESS.acl.length,
      update: 0,
      delete: 0,
    });
    expect(JSON.stringify(first)).not.toContain(ROOT_PASSWORD);

    const result = await applyProxmox(set, pveClient, { cluster: 'matrix', tokenSecret });
    expect(result.applied.map((change) => `${change.kind} ${change.action}`)).toEqual([
      'role create',
      'user create',
      'token create',
      ...EXAMPLE_PROVIDER_ACCESS.acl.map(() => 'acl create'),
      'lxc create',
      'lxc create',
    ]);
    expect(result.applied.at(-1)).toMatchObject({ id: '200 (start)', fields: [{ path: 'status', after: 'running' }] });
    // Started last, by the vzstart task that followed the create.
    expect(pve.state.guests.get(200)!.running).toBe(true);
    expect([...pve.state.tasks.values()].map((task) => `${task.type} ${task.exitstatus}`).at(-1)).toBe('vzstart OK');
    const second = await planProxmox(set, pveClient, { cluster: 'matrix', tokenSecret });
    expect(second.changes.every((change) => change.action === 'no-op')).toBe(true);

    const ct = pve.state.guests.get(200)!;
    expect(ct.config).toMatchObject({ dev0: '/dev/net/tun', features: 'keyctl=1,nesting=1', unprivileged: '1' });
    expect(ct.config['rootfs']).toBe('vm_ssd:vm-200-disk-0,size=16G');
    const secret = pve.state.tokens.get('omni-provider@pve!omni')!.secret;
    expect(await readFile(tokenSecret.envFile, 'utf8')).toBe(`PROXMOX_TOKEN_SECRET='${secret}'\n`);
    expect((await stat(tokenSecret.envFile)).mode & 0o777).toBe(0o600);
    expect(pve.state.mixedAuthRequests).toEqual([]);
    expect(new Set(pve.state.creations).size).toBe(pve.state.creations.length);
  });

  it('creates VM 101 with a token and compares allocated disks and MAC-bearing NICs as equal', async () => {
    const pve = await emulator(QUANTUM);
    const pveClient = client(pve, asToken);
    const set = exampleProxmoxArtifactSet();
    await applyProxmox(set, pveClient, { cluster: 'quantum' });
    const config = pve.state.guests.get(101)!.config;
    expect(config['net0']).toMatch(/^virtio=BC:24:11:[0-9A-F:]{8},bridge=vmbr0,firewall=1$/);
    // Holly's boot disk is imported from a 2 GiB cloud image (Proxmox drops import-from), then grown to 64 GiB.
    expect(config['scsi0']).toBe('local-lvm:vm-101-disk-0,discard=on,iothread=1,size=64G,ssd=1');
    const again = await planProxmox(set, pveClient, { cluster: 'quantum' });
    expect(again.changes.map((change) => `${change.id} ${change.action}`)).toEqual(['101 no-op', '101 (start) no-op']);
    expect(again.changes[0]?.note ?? '').not.toContain('scsi0');
    expect(pve.state.requests.every((request) => request.auth === 'token')).toBe(true);
  });

  it('plans a guest without the talos-sdk tag at a declared VMID as adopt, and changes it only with adopt', async () => {
    const pve = await emulator(QUANTUM);
    const pveClient = client(pve, asToken);
    const set = exampleProxmoxArtifactSet();
    await applyProxmox(set, pveClient, { cluster: 'quantum' });
    const handMade = pve.state.guests.get(101)!.config;
    delete handMade['tags'];
    handMade['cores'] = '2';
    const plan = await planProxmox(set, pveClient, { cluster: 'quantum' });
    expect(plan.changes[0]).toMatchObject({
      kind: 'qemu',
      id: '101',
      action: 'adopt',
      note: expect.stringContaining('carries no talos-sdk tag'),
    });
    const requests = pve.state.requests.length;
    const refused = await applyProxmox(set, pveClient, { cluster: 'quantum' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProxmoxApplyRefusedError);
    expect((refused as Error).message).toMatch(
      /qemu 101: carries no talos-sdk tag, so the SDK did not make it; apply with the adopt option/,
    );
    expect(pve.state.requests.slice(requests).every((request) => request.method === 'GET')).toBe(true);
    expect(pve.state.guests.get(101)!.config['cores']).toBe('2');
    await applyProxmox(set, pveClient, { cluster: 'quantum', adopt: true });
    expect(pve.state.guests.get(101)!.config).toMatchObject({ cores: '4', tags: 'talos-sdk' });
    expect(summarizePlan(await planProxmox(set, pveClient, { cluster: 'quantum' }))).toMatchObject({ update: 0 });
  });

  it('updates drifted config with the digest it read', async () => {
    const pve = await emulator(QUANTUM);
    const pveClient = client(pve, asToken);
    const set = exampleProxmoxArtifactSet();
    await applyProxmox(set, pveClient, { cluster: 'quantum' });
    pve.state.guests.get(101)!.config['cores'] = '2';
    const plan = await planProxmox(set, pveClient, { cluster: 'quantum' });
    expect(plan.changes[0]).toMatchObject({
      kind: 'qemu',
      id: '101',
      action: 'update',
      fields: [{ path: 'cores', before: 2, after: 4 }],
    });
    await applyProxmox(set, pveClient, { cluster: 'quantum' });
    expect(pve.state.guests.get(101)!.config['cores']).toBe('4');
    await expect(
      pveClient.request('PUT', '/nodes/quantum-1/qemu/101/config', { form: { cores: 3, digest: '0'.repeat(40) } }),
    ).rejects.toThrow(/detected modified configuration/);
  });

  it('refuses root@pam-only keys with a token before changing anything, and applies the rest with skipRootOnly', async () => {
    const pve = await emulator();
    const pveClient = client(pve, asToken);
    const set = exampleProxmoxArtifactSet();
    const tokenSecret = { file: join(await mkdtemp(join(tmpdir(), 'pve-')), 'secret') };

    const plan = await planProxmox(set, pveClient, { cluster: 'matrix', tokenSecret });
    const rootChange = plan.changes.find((change) => change.id === '200 (root@pam)')!;
    expect(rootChange.fields.map((field) => field.path)).toEqual(['dev0', 'features']);
    expect(rootChange.note).toMatch(
      /needs root@pam.*dev0, features.*PROXMOX_ROOT_PASSWORD.*pct set 200 --dev0 \/dev\/net\/tun --features keyctl=1,nesting=1/,
    );

    const refused = await applyProxmox(set, pveClient, { cluster: 'matrix', tokenSecret }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ProxmoxRootRequiredError);
    expect((refused as Error).message).toMatch(/dev0, features/);
    expect((refused as Error).message).toMatch(/uses the API token root@pam!sdk, and a token never acts as root@pam/);
    expect(pve.state.creations).toEqual([]);

    const result = await applyProxmox(set, pveClient, { cluster: 'matrix', tokenSecret, skipRootOnly: true });
    // The container waits for its /dev/net/tun and keyctl settings before it starts: both are left for a person.
    expect(result.skipped.map((change) => change.id)).toEqual(['200 (root@pam)', '200 (start)']);
    expect(result.skipped[1]?.note).toMatch(/after them, run on foxtrot: pct start 200/);
    expect(pve.state.guests.get(200)!.running).toBeUndefined();
    const ct = pve.state.guests.get(200)!.config;
    expect(ct['dev0']).toBeUndefined();
    expect(ct['unprivileged']).toBe('1');

    const after = await planProxmox(set, pveClient, { cluster: 'matrix', tokenSecret });
    expect(after.changes.filter((change) => change.action !== 'no-op').map((change) => change.id)).toEqual([
      '200 (root@pam)',
      '200 (start)',
    ]);
    await expect(
      pveClient.request('PUT', '/nodes/foxtrot/lxc/200/config', { form: { dev0: 'path=/dev/net/tun' } }),
    ).rejects.toThrow(/403.*only allowed for root@pam/);
  });

  it('names a password login as another user, not a token, when refusing root@pam-only keys', async () => {
    const pve = await emulator({ passwords: { 'admin@pve': 'admin-password' } });
    const admin = client(pve, { kind: 'password', username: 'admin@pve', password: 'admin-password' });
    const tokenSecret = { file: join(await mkdtemp(join(tmpdir(), 'pve-')), 'secret') };
    const refused = await applyProxmox(exampleProxmoxArtifactSet(), admin, { cluster: 'matrix', tokenSecret }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ProxmoxRootRequiredError);
    expect((refused as Error).message).toMatch(/This client logs in as admin@pve, not as root@pam\./);
    expect((refused as Error).message).not.toMatch(/token/i);
    expect(pve.state.creations).toEqual([]);
  });

  it('drops VM.Monitor on PVE 9 with a note and keeps it on PVE 8', async () => {
    const access = {
      ...EXAMPLE_PROVIDER_ACCESS,
      role: { roleid: 'OmniInfraProvider', privs: `${EXAMPLE_PROVIDER_ACCESS.role.privs},VM.Monitor` },
    };
    const set = jsonArtifactSet([
      { path: 'proxmox/matrix/provider-access-proxmox.json', kind: 'proxmox-access', data: access },
    ]);
    const tokenSecret = { file: join(await mkdtemp(join(tmpdir(), 'pve-')), 'secret') };

    const pve9 = await emulator({ version: '9.0.3' });
    const client9 = client(pve9, asToken);
    const plan9 = await planProxmox(set, client9, { tokenSecret });
    expect(plan9.changes.find((change) => change.kind === 'role')?.note).toBe(
      'left out VM.Monitor: not a privilege in Proxmox VE 9.0',
    );
    await applyProxmox(set, client9, { tokenSecret });
    expect(pve9.state.roles.get('OmniInfraProvider')!.privs.has('VM.Monitor')).toBe(false);
    const direct = await client9
      .request('POST', '/access/roles', { form: { roleid: 'Direct', privs: 'VM.Monitor' } })
      .catch((error: unknown) => error);
    expect(direct).toBeInstanceOf(HttpRequestError);
    expect((direct as HttpRequestError).details).toEqual({ privs: "invalid format - invalid privilege 'VM.Monitor'" });

    const pve8 = await emulator({ version: '8.4.1' });
    const client8 = client(pve8, asToken);
    const plan8 = await planProxmox(set, client8, { tokenSecret });
    expect(plan8.changes.find((change) => change.kind === 'role')?.note).toBeUndefined();
    await applyProxmox(set, client8, { tokenSecret });
    expect(pve8.state.roles.get('OmniInfraProvider')!.privs.has('VM.Monitor')).toBe(true);
    expect(
      (await planProxmox(set, client8, { tokenSecret })).changes.every((change) => change.action === 'no-op'),
    ).toBe(true);
  });

  it('reports storage that is not shared RBD with the needed content on every node', async () => {
    const pve = await emulator({
      storages: [
        { storage: 'local', type: 'dir', shared: 0, content: 'iso,vztmpl' },
        { storage: 'vm_ssd', type: 'rbd', shared: 1, content: 'images', nodes: ['foxtrot', 'golf'] },
      ],
    });
    const error = await planProxmox(exampleProxmoxArtifactSet(), client(pve, asToken), { cluster: 'matrix' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ProxmoxPreconditionError);
    expect((error as ProxmoxPreconditionError).problems).toEqual([
      'storage vm_ssd on foxtrot does not offer content rootdir (offers images); add it in Datacenter > Storage',
      'storage vm_ssd on golf does not offer content rootdir (offers images); add it in Datacenter > Storage',
      'storage vm_ssd is not available on node hotel (or the token lacks Datastore.Audit on /storage/vm_ssd); add the node to the storage',
      'proxmox/matrix/lxc-200.json: rootfs needs content rootdir on storage vm_ssd (offers images)',
    ]);
  });

  it('keeps an existing token whose secret is not at the destination, planning the missing secret and refusing to apply until it is there', async () => {
    const pve = await emulator();
    const pveClient = client(pve, asRoot);
    const set = jsonArtifactSet([
      { path: 'proxmox/matrix/provider-access-proxmox.json', kind: 'proxmox-access', data: EXAMPLE_PROVIDER_ACCESS },
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'pve-'));
    const heldElsewhere = { envFile: join(dir, 'provider.env') };
    await applyProxmox(set, pveClient, { tokenSecret: heldElsewhere });
    const tokenId = 'omni-provider@pve!omni';
    const oldSecret = pve.state.tokens.get(tokenId)!.secret;

    expect((await planProxmox(set, pveClient)).changes.find((change) => change.kind === 'token')?.action).toBe('no-op');
    const newPath = { file: join(dir, 'new-path') };
    const missing =
      `secret not at ${newPath.file}: Proxmox shows a token secret only once, so apply cannot write it; put the ` +
      'secret there, or apply with the regenerateToken option to replace the token (the old secret stops working)';
    const plan = await planProxmox(set, pveClient, { tokenSecret: newPath });
    expect(plan.changes.filter((change) => change.action !== 'no-op')).toEqual([
      { target: 'proxmox', kind: 'token-secret', id: tokenId, action: 'create', fields: [], note: missing },
    ]);

    const before = pve.state.requests.length;
    const refused = await applyProxmox(set, pveClient, { tokenSecret: newPath }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProxmoxApplyRefusedError);
    expect((refused as ProxmoxApplyRefusedError).reasons).toEqual([`token ${tokenId}: ${missing}`]);
    expect(pve.state.deletions).toEqual([]);
    expect(pve.state.requests.slice(before).filter((request) => request.method !== 'GET')).toEqual([]);
    expect(pve.state.tokens.get(tokenId)!.secret).toBe(oldSecret);
    await expect(readFile(newPath.file, 'utf8')).rejects.toThrow(/ENOENT/);
    expect(await readFile(heldElsewhere.envFile, 'utf8')).toBe(`PROXMOX_TOKEN_SECRET='${oldSecret}'\n`);
  });

  it('regenerates an existing token whose secret is not at the destination when asked, re-granting its ACL entries', async () => {
    const pve = await emulator();
    const pveClient = client(pve, asRoot);
    const set = jsonArtifactSet([
      { path: 'proxmox/matrix/provider-access-proxmox.json', kind: 'proxmox-access', data: EXAMPLE_PROVIDER_ACCESS },
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'pve-'));
    const tokenSecret = { envFile: join(dir, 'provider.env') };
    await applyProxmox(set, pveClient, { tokenSecret });
    const tokenId = 'omni-provider@pve!omni';
    const oldSecret = pve.state.tokens.get(tokenId)!.secret;
    const options = { tokenSecret, regenerateToken: true };

    expect(
      (await planProxmox(set, pveClient, options)).changes.every((change) => change.action === 'no-op'),
      'a secret at the destination is kept even with regenerateToken',
    ).toBe(true);
    const emptyFile = { file: join(dir, 'empty') };
    await writeFile(emptyFile.file, '\n');
    expect(
      (await planProxmox(set, pveClient, { tokenSecret: emptyFile, regenerateToken: true })).changes,
    ).toContainEqual(expect.objectContaining({ kind: 'token', action: 'update' }));

    await writeFile(tokenSecret.envFile, 'OTHER=1\nPROXMOX_TOKEN_SECRET=\n');
    const plan = await planProxmox(set, pveClient, options);
    const pending = plan.changes.filter((change) => change.action !== 'no-op');
    const tokenAcls = EXAMPLE_PROVIDER_ACCESS.acl.filter((body) => body.tokens === tokenId);
    expect(pending.map((change) => `${change.kind} ${change.action}`)).toEqual([
      ...tokenAcls.map(() => 'acl update'),
      'token update',
    ]);
    expect(pending.at(-1)).toMatchObject({
      fields: [{ path: 'secret', before: '(not at destination)', after: '(regenerated)' }],
      note: `secret not at ${tokenSecret.envFile} (PROXMOX_TOKEN_SECRET); apply regenerates the token (the old secret stops working)`,
    });
    expect(pending[0]!.note).toBe('re-granted: regenerating the token drops its ACL entries');
    expect(formatPlan(plan)).toContain('secret: "(not at destination)" -> "(regenerated)"');

    const result = await applyProxmox(set, pveClient, options);
    expect(result.applied.map((change) => change.kind)).toEqual(['token', ...tokenAcls.map(() => 'acl')]);
    const newSecret = pve.state.tokens.get(tokenId)!.secret;
    expect(newSecret).not.toBe(oldSecret);
    expect(pve.state.deletions).toEqual([`token/${tokenId}`]);
    expect(await readFile(tokenSecret.envFile, 'utf8')).toBe(`OTHER=1\nPROXMOX_TOKEN_SECRET='${newSecret}'\n`);
    expect(pve.state.acl).toHaveLength(EXAMPLE_PROVIDER_ACCESS.acl.length);
    expect((await planProxmox(set, pveClient, options)).changes.every((change) => change.action === 'no-op')).toBe(
      true,
    );
  });

  it('refuses to create a token without a place for its secret', async () => {
    const pve = await emulator();
    const set = jsonArtifactSet([
      { path: 'proxmox/matrix/provider-access-proxmox.json', kind: 'proxmox-access', data: EXAMPLE_PROVIDER_ACCESS },
    ]);
    await expect(applyProxmox(set, client(pve, asToken))).rejects.toThrow(/without a place for its secret/);
    expect(pve.state.creations).toEqual([]);
  });
});

describe('Proxmox emulator as the real API', () => {
  it('verifies parameters, property-string keys included', async () => {
    const pve = await emulator();
    const pveClient = client(pve, asToken);
    const error = await pveClient
      .request('POST', '/nodes/foxtrot/lxc', {
        form: {
          vmid: 300,
          ostemplate: 'local:vztmpl/x.tar.zst',
          cores: 'many',
          net0: 'name=eth0,colour=red',
          bogus: 1,
        },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpRequestError);
    expect((error as HttpRequestError).status).toBe(400);
    expect((error as HttpRequestError).upstreamMessage).toBe('Parameter verification failed.');
    expect((error as HttpRequestError).details).toEqual({
      bogus: 'property is not defined in schema and the schema does not allow additional properties',
      cores: "type check ('integer') failed - got 'many'",
      net0: "invalid format - property 'colour' is not defined in schema and the schema does not allow additional properties",
    });
  });

  it('fails a task asynchronously and the client reports the log tail', async () => {
    const pve = await emulator();
    const pveClient = client(pve, asToken);
    const upid = await pveClient.request<string>('POST', '/nodes/golf/lxc', {
      form: { vmid: 300, ostemplate: 'local:vztmpl/missing.tar.zst', rootfs: 'vm_ssd:8', unprivileged: 1 },
    });
    expect(upid).toMatch(/^UPID:golf:/);
    const error = await pveClient.waitForTask(upid).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProxmoxTaskError);
    expect((error as ProxmoxTaskError).logTail.at(-1)).toBe(
      "TASK ERROR: unable to create CT 300 - volume 'local:vztmpl/missing.tar.zst' does not exist",
    );
    expect(pve.state.guests.has(300)).toBe(false);
  });
});
