import { createHash } from 'node:crypto';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import { HttpRequestError } from '../src/clients/http/errors.js';
import { applyProxmox } from '../src/clients/proxmox/apply.js';
import { ProxmoxClient } from '../src/clients/proxmox/client.js';
import { ProxmoxPreconditionError, ProxmoxTaskError } from '../src/clients/proxmox/errors.js';
import { planProxmox } from '../src/clients/proxmox/plan.js';
import type { ArtifactSet } from '../src/generators/artifact.js';
import { generate } from '../src/generators/generate.js';
import { manifestArtifact } from '../src/generators/manifest.js';
import { defineTopology } from '../src/models/define.js';
import type { ProxmoxEmulator, ProxmoxEmulatorOptions } from '../src/testing/proxmox/index.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { spaceshipsInput } from './fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke values into the input
type Loose = any;

const TOKEN = { tokenId: 'root@pam!sdk', secret: '5f0c2a6e-0000-4000-8000-00000000cafe' };
const PASSWORD = 'correct horse battery staple';

/** Holly's cluster: one node, LVM-thin for disks, and `local` holding the genericcloud image to import. */
const QUANTUM: ProxmoxEmulatorOptions = {
  nodes: ['quantum-1'],
  storages: [
    { storage: 'local-lvm', type: 'lvmthin', shared: 0, content: 'images,rootdir' },
    { storage: 'local', type: 'dir', shared: 0, content: 'iso,vztmpl,import' },
  ],
};

/** Starts an emulator and a token client, both closed when the test ends. */
async function setUp(
  { onTestFinished }: TestContext,
  options: ProxmoxEmulatorOptions = QUANTUM,
): Promise<{ pve: ProxmoxEmulator; client: ProxmoxClient }> {
  const pve = await startProxmoxEmulator({ tokens: [TOKEN], taskDurationMs: 5, ...options });
  onTestFinished(() => pve.close());
  const client = new ProxmoxClient({
    url: pve.url,
    credentials: { kind: 'token', ...TOKEN },
    tls: { ca: pve.caPem },
    taskPollMs: 5,
    retry: { baseDelayMs: 1 },
  });
  onTestFinished(() => client.close());
  return { pve, client };
}

/** The Proxmox artifacts of the spaceships example after `mutate`, as `generate` writes them. */
function proxmoxArtifacts(mutate: (input: Loose) => void = () => {}): ArtifactSet {
  const input = spaceshipsInput() as Loose;
  mutate(input);
  const artifacts = generate(defineTopology(input)).artifacts.filter((artifact) =>
    artifact.kind.startsWith('proxmox-'),
  );
  return {
    artifacts: [...artifacts, manifestArtifact('spaceships', artifacts)].sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
}

/** The example key Holly's cloud-init user gets. */
const HOLLY_KEY = (spaceshipsInput() as Loose).guests.holly.cloudInit.sshKeys[0] as string;

const withPassword = (input: Loose): void => {
  input.guests.holly.cloudInit.password = { env: 'HOLLY_PASSWORD' };
};

describe('cloud-init access on VM 101', () => {
  it('creates Holly with its user and keys, and the password only from the environment', async (context) => {
    const { pve, client } = await setUp(context);
    const set = proxmoxArtifacts(withPassword);
    const env = { HOLLY_PASSWORD: PASSWORD };

    const plan = await planProxmox(set, client, { cluster: 'quantum', env });
    expect(plan.changes[0]?.fields).toContainEqual({ path: 'cipassword', after: { env: 'HOLLY_PASSWORD' } });
    const result = await applyProxmox(set, client, { cluster: 'quantum', env });
    expect(JSON.stringify(result)).not.toContain(PASSWORD);

    const config = pve.state.guests.get(101)!.config;
    expect(config['ciuser']).toBe('admin');
    // Proxmox keeps sshkeys percent-encoded as sent; cloud-init gets them decoded, one per line.
    expect(decodeURIComponent(config['sshkeys']!)).toBe(HOLLY_KEY);
    const [, , salt, hash] = config['cipassword']!.split('$');
    expect(hash).toBe(
      createHash('sha256')
        .update(salt + PASSWORD)
        .digest('base64'),
    );
    const live = await client.get<Record<string, string>>('/nodes/quantum-1/qemu/101/config');
    expect(live['cipassword']).toBe('**********');

    const again = await planProxmox(set, client, { cluster: 'quantum', env: {} });
    expect(again.changes.filter((change) => change.kind === 'qemu').map((change) => change.action)).toEqual([
      'no-op',
      'no-op',
    ]);
  });

  it('keeps the password out of the error when the create fails', async (context) => {
    const { client } = await setUp(context, {
      ...QUANTUM,
      faults: { loseAnswer: (request) => request.method === 'POST' && request.path.endsWith('/qemu') },
    });
    const env = { HOLLY_PASSWORD: PASSWORD };
    const error = await applyProxmox(proxmoxArtifacts(withPassword), client, {
      cluster: 'quantum',
      env,
      rounds: 1,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    const seen = [String(error), JSON.stringify(error), (error as Error).stack ?? '', String((error as Error).cause)];
    for (const text of seen) expect(text).not.toContain(PASSWORD);
  });

  it('refuses to apply before changing anything when the password variable is not set', async (context) => {
    const { pve, client } = await setUp(context);
    await expect(applyProxmox(proxmoxArtifacts(withPassword), client, { cluster: 'quantum', env: {} })).rejects.toThrow(
      /HOLLY_PASSWORD, which is not set/,
    );
    expect(pve.state.creations).toEqual([]);
  });

  it('sets a password on an existing VM that has none, never reading it back', async (context) => {
    const { pve, client } = await setUp(context);
    await applyProxmox(proxmoxArtifacts(), client, { cluster: 'quantum' });
    const env = { HOLLY_PASSWORD: PASSWORD };
    const plan = await planProxmox(proxmoxArtifacts(withPassword), client, { cluster: 'quantum', env });
    expect(plan.changes.find((change) => change.kind === 'qemu')).toMatchObject({
      action: 'update',
      fields: [{ path: 'cipassword', after: { env: 'HOLLY_PASSWORD' } }],
    });
    await applyProxmox(proxmoxArtifacts(withPassword), client, { cluster: 'quantum', env });
    expect(pve.state.guests.get(101)!.config['cipassword']).toMatch(/^\$5\$/);
  });

  it('is refused by the emulator, as by qemu-server, when sshkeys is not percent-encoded or not a key', async (context) => {
    const { client } = await setUp(context);
    const create = (sshkeys: string): Promise<unknown> =>
      client.request('POST', '/nodes/quantum-1/qemu', { form: { vmid: 150, sshkeys } });
    const raw = await create(HOLLY_KEY).catch((error: unknown) => error);
    expect(raw).toBeInstanceOf(HttpRequestError);
    expect((raw as HttpRequestError).details).toHaveProperty('sshkeys');
    await expect(create(encodeURIComponent('ssh-ed25519 AAAAnotakey'))).rejects.toThrow(
      /SSH public key validation error/,
    );
  });
});

describe("growing Holly's imported boot disk", () => {
  it('plans the resize as its own change after the create, and apply grows the 2 GiB image to 64 GiB', async (context) => {
    const { pve, client } = await setUp(context);
    const set = proxmoxArtifacts();
    const plan = await planProxmox(set, client, { cluster: 'quantum' });
    expect(plan.changes.map((change) => `${change.kind} ${change.id} ${change.action}`)).toEqual([
      'qemu 101 create',
      'qemu 101 (start) create',
      'qemu-disk 101/scsi0 update',
    ]);
    expect(plan.changes[2]?.fields).toEqual([{ path: 'size', after: '64G' }]);
    await applyProxmox(set, client, { cluster: 'quantum' });
    expect(pve.state.guests.get(101)!.config['scsi0']).toMatch(/,size=64G(,|$)/);
    expect([...pve.state.tasks.values()].map((task) => `${task.type} ${task.exitstatus}`)).toContain('resize OK');
  });

  it('grows a live disk that is smaller than declared, and leaves one of the declared size alone', async (context) => {
    const { pve, client } = await setUp(context);
    const set = proxmoxArtifacts();
    await applyProxmox(set, client, { cluster: 'quantum' });
    const guest = pve.state.guests.get(101)!;
    guest.config['scsi0'] = guest.config['scsi0']!.replace('size=64G', 'size=2G');
    const plan = await planProxmox(set, client, { cluster: 'quantum' });
    expect(plan.changes.find((change) => change.kind === 'qemu-disk')).toMatchObject({
      action: 'update',
      fields: [{ path: 'size', before: '2G', after: '64G' }],
    });
    await applyProxmox(set, client, { cluster: 'quantum' });
    const again = await planProxmox(set, client, { cluster: 'quantum' });
    expect(again.changes.map((change) => change.kind)).toEqual(['qemu', 'qemu']);
  });

  it('refuses in the plan a declared size below the live size, since Proxmox cannot shrink', async (context) => {
    const { pve, client } = await setUp(context);
    await applyProxmox(proxmoxArtifacts(), client, { cluster: 'quantum' });
    const guest = pve.state.guests.get(101)!;
    guest.config['scsi0'] = guest.config['scsi0']!.replace('size=64G', 'size=100G');
    const error = await planProxmox(proxmoxArtifacts(), client, { cluster: 'quantum' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ProxmoxPreconditionError);
    expect((error as Error).message).toMatch(/scsi0 of VM 101 is 100G live, larger than the declared 64G/);
  });

  it('resizes in the emulator as qemu-server does: a task, + adds, a shrink fails the task', async (context) => {
    const { pve, client } = await setUp(context);
    await applyProxmox(proxmoxArtifacts(), client, { cluster: 'quantum' });
    const resize = async (size: string): Promise<void> => {
      const upid = await client.request<string>('PUT', '/nodes/quantum-1/qemu/101/resize', {
        form: { disk: 'scsi0', size },
      });
      await client.waitForTask(upid);
    };
    await resize('+2G');
    expect(pve.state.guests.get(101)!.config['scsi0']).toMatch(/,size=66G(,|$)/);
    await expect(resize('10G')).rejects.toThrow(ProxmoxTaskError);
    await expect(resize('10G')).rejects.toThrow(/shrinking disks is not supported/);
  });
});

describe('minimum Proxmox VE versions', () => {
  const MATRIX: ProxmoxEmulatorOptions = {};

  async function planError(
    context: TestContext,
    version: string,
    cluster: 'matrix' | 'quantum',
  ): Promise<ProxmoxPreconditionError> {
    const { client } = await setUp(context, { ...(cluster === 'quantum' ? QUANTUM : MATRIX), version });
    const error = await planProxmox(proxmoxArtifacts(), client, { cluster }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProxmoxPreconditionError);
    return error as ProxmoxPreconditionError;
  }

  it('refuses Sys.AccessNetwork and dev0 on 8.0.4, naming the feature and both versions', async (context) => {
    const { problems } = await planError(context, '8.0.4', 'matrix');
    expect(problems).toEqual([
      expect.stringMatching(
        /^Proxmox VE 8\.0\.4 is older than 8\.1\.2, which the privilege Sys\.AccessNetwork needs \(proxmox\/matrix\/provider-access-proxmox\.json role\.privs\)/,
      ),
      expect.stringMatching(
        /^Proxmox VE 8\.0\.4 is older than 8\.1, which container device passthrough \(dev\[n\]\) needs \(proxmox\/matrix\/lxc-200\.json dev0\)/,
      ),
    ]);
  });

  it('refuses only Sys.AccessNetwork on 8.1.1', async (context) => {
    const { problems } = await planError(context, '8.1.1', 'matrix');
    expect(problems).toEqual([expect.stringMatching(/older than 8\.1\.2, which the privilege Sys\.AccessNetwork/)]);
  });

  it('refuses importing Holly from an import volume on 8.2.7, and plans everything on 8.3.0 and 9.0.3', async (context) => {
    const { problems } = await planError(context, '8.2.7', 'quantum');
    expect(problems).toEqual([
      expect.stringMatching(
        /^Proxmox VE 8\.2\.7 is older than 8\.3, which importing a disk image .* needs \(proxmox\/quantum\/qemu-101\.json scsi0\)/,
      ),
    ]);
    for (const version of ['8.3.0', '9.0.3']) {
      const { client } = await setUp(context, { ...QUANTUM, version });
      await expect(planProxmox(proxmoxArtifacts(), client, { cluster: 'quantum' })).resolves.toBeDefined();
    }
    const { client } = await setUp(context, { version: '8.2.7' });
    await expect(planProxmox(proxmoxArtifacts(), client, { cluster: 'matrix' })).resolves.toBeDefined();
  });

  it('reads /version once per plan', async (context) => {
    const { pve, client } = await setUp(context);
    await planProxmox(proxmoxArtifacts(), client, { cluster: 'quantum' });
    expect(pve.state.requests.filter((request) => request.path === '/version')).toHaveLength(1);
  });

  it('is how the emulator behaves too: 8.1.1 refuses the privilege, 8.0.4 the dev0 parameter', async (context) => {
    const { client: old } = await setUp(context, { version: '8.1.1' });
    await expect(
      old.request('POST', '/access/roles', { form: { roleid: 'Probe', privs: 'Sys.AccessNetwork' } }),
    ).rejects.toThrow(HttpRequestError);
    const { client: older } = await setUp(context, { version: '8.0.4' });
    const error = await older
      .request('PUT', '/nodes/foxtrot/lxc/200/config', { form: { dev0: '/dev/net/tun' } })
      .catch((caught: unknown) => caught);
    expect((error as HttpRequestError).details).toHaveProperty('dev0');
  });
});

describe('templates, import images and ISOs on their storage', () => {
  const IMAGE = 'local:import/debian-12-genericcloud-amd64.qcow2';

  async function problemsOf(
    context: TestContext,
    options: ProxmoxEmulatorOptions,
    cluster: 'matrix' | 'quantum',
    mutate?: (input: Loose) => void,
  ): Promise<readonly string[]> {
    const { pve, client } = await setUp(context, options);
    const error = await planProxmox(proxmoxArtifacts(mutate), client, { cluster }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProxmoxPreconditionError);
    expect(pve.state.creations).toEqual([]);
    return (error as ProxmoxPreconditionError).problems;
  }

  it('refuses a container template that is gone from the storage, naming it', async (context) => {
    const problems = await problemsOf(context, { volumes: [] }, 'matrix');
    expect(problems).toEqual([
      expect.stringMatching(
        /^proxmox\/matrix\/lxc-200\.json: ostemplate names local:vztmpl\/debian-12-standard_12\.7-1_amd64\.tar\.zst, which is not on storage local of node foxtrot; templates leave the pveam index/,
      ),
    ]);
  });

  it('refuses an import image that was never downloaded, naming it', async (context) => {
    const problems = await problemsOf(context, { ...QUANTUM, volumes: [] }, 'quantum');
    expect(problems).toEqual([
      expect.stringContaining(`scsi0 names ${IMAGE}, which is not on storage local of node quantum-1`),
    ]);
  });

  it('refuses an installer ISO that is not there, and a storage that does not offer the content', async (context) => {
    const iso = (input: Loose): void => {
      delete input.guests.holly.cloudInit;
      input.guests.holly.install = { iso: 'local:iso/debian-13.0.0-amd64-netinst.iso' };
    };
    expect(await problemsOf(context, QUANTUM, 'quantum', iso)).toEqual([
      expect.stringContaining('ide2 names local:iso/debian-13.0.0-amd64-netinst.iso, which is not on storage local'),
    ]);
    const noImport = {
      ...QUANTUM,
      storages: [QUANTUM.storages![0]!, { ...QUANTUM.storages![1]!, content: 'iso,vztmpl' }],
    };
    expect(await problemsOf(context, noImport, 'quantum')).toEqual([
      expect.stringContaining(`scsi0 names ${IMAGE}, but storage local on quantum-1 does not offer content import`),
    ]);
  });

  it('refuses an import image larger than the declared disk, which could never shrink to it', async (context) => {
    const big = { volid: IMAGE, content: 'import', format: 'qcow2', size: 80 * 1024 ** 3 };
    expect(await problemsOf(context, { ...QUANTUM, volumes: [big] }, 'quantum')).toEqual([
      expect.stringContaining(`${IMAGE} is 80 GiB, larger than the declared disk (64G)`),
    ]);
  });

  it('lists each storage once per node, and skips guests that already exist', async (context) => {
    const { pve, client } = await setUp(context);
    const set = proxmoxArtifacts();
    const listings = (): string[] =>
      pve.state.requests.filter((request) => request.path.endsWith('/content')).map((request) => request.path);
    await applyProxmox(set, client, { cluster: 'quantum' });
    expect(listings()).toEqual(['/nodes/quantum-1/storage/local/content']);
    // The emulator lists content as pve-storage does; a qcow2 with its virtual size, which the imported disk got.
    expect(await client.get('/nodes/quantum-1/storage/local/content', { content: 'import' })).toEqual([
      { volid: IMAGE, content: 'import', format: 'qcow2', size: 2 * 1024 ** 3, ctime: expect.any(Number) },
    ]);
    pve.state.volumes.splice(0, pve.state.volumes.length);
    const before = listings().length;
    await expect(planProxmox(set, client, { cluster: 'quantum' })).resolves.toBeDefined();
    expect(listings()).toHaveLength(before);
  });
});
