import { mkdtemp } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import { HttpServerError } from '../src/clients/http/errors.js';
import { applyProxmox } from '../src/clients/proxmox/apply.js';
import type { ProxmoxCredentials } from '../src/clients/proxmox/credentials.js';
import { ProxmoxClient } from '../src/clients/proxmox/client.js';
import type { ProxmoxEmulator, ProxmoxEmulatorOptions } from '../src/testing/proxmox/index.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { exampleProxmoxArtifactSet } from './client-fixtures.js';

const ROOT_PASSWORD = 'emulated-root-password';
const TOKEN = { tokenId: 'root@pam!sdk', secret: '5f0c2a6e-0000-4000-8000-00000000f00d' };
const asRoot: ProxmoxCredentials = { kind: 'password', username: 'root@pam', password: ROOT_PASSWORD };
const asToken: ProxmoxCredentials = { kind: 'token', ...TOKEN };

/** Starts an emulator and a client, both closed when the test ends. */
async function setUp(
  { onTestFinished }: TestContext,
  credentials: ProxmoxCredentials = asToken,
  options: ProxmoxEmulatorOptions = {},
): Promise<{ pve: ProxmoxEmulator; client: ProxmoxClient }> {
  const pve = await startProxmoxEmulator({
    rootPassword: ROOT_PASSWORD,
    tokens: [TOKEN],
    taskDurationMs: 5,
    ...options,
  });
  onTestFinished(() => pve.close());
  const client = new ProxmoxClient({
    url: pve.url,
    credentials,
    tls: { ca: pve.caPem },
    taskPollMs: 5,
    retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 2 },
  });
  onTestFinished(() => client.close());
  return { pve, client };
}

/** One raw request: the status line and body exactly as they arrive. */
function raw(
  pve: ProxmoxEmulator,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = '',
): Promise<{ status: number; statusMessage: string; body: string; contentType: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(`${pve.url}/api2/json${path}`, { method, ca: pve.caPem, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          statusMessage: res.statusMessage ?? '',
          body: text,
          contentType: res.headers['content-type'],
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A fresh destination for the provider token's secret. */
async function tokenSecret(): Promise<{ envFile: string }> {
  return { envFile: join(await mkdtemp(join(tmpdir(), 'pve-answers-')), 'provider.env') };
}

const tokenHeader = { authorization: `PVEAPIToken=${TOKEN.tokenId}=${TOKEN.secret}` };

describe('guest configs as Proxmox VE returns them', () => {
  it('returns integer and boolean keys as JSON numbers and a container description with its trailing newline', async (context) => {
    const { pve, client } = await setUp(context, asRoot);
    await applyProxmox(exampleProxmoxArtifactSet(), client, { cluster: 'matrix', tokenSecret: await tokenSecret() });
    const answer = await raw(pve, 'GET', '/nodes/foxtrot/lxc/200/config', tokenHeader);
    const config = (JSON.parse(answer.body) as { data: Record<string, unknown> }).data;
    expect(config).toMatchObject({
      cores: 2,
      memory: 2048,
      swap: 512,
      onboot: 1,
      unprivileged: 1,
      hostname: 'omni-provider',
      description: 'ct-200: managed by @talos-sdk/topology (topology spaceships)\n',
    });
  });

  it('applies CT 200 once: the next apply changes nothing although the description comes back with a newline', async (context) => {
    const { pve, client } = await setUp(context, asRoot);
    const options = { cluster: 'matrix', tokenSecret: await tokenSecret() };
    await applyProxmox(exampleProxmoxArtifactSet(), client, options);
    const digest = pve.state.guests.get(200)!.digest;
    const again = await applyProxmox(exampleProxmoxArtifactSet(), client, options);
    expect(again.applied).toEqual([]);
    expect(pve.state.guests.get(200)!.digest).toBe(digest);
  });

  it('returns a VM memory as text from 8.1 on (a property string) and as a number before', async (context) => {
    for (const [version, memory] of [
      ['9.0.3', '4096'],
      ['8.0.4', 4096],
    ] as const) {
      const { pve } = await setUp(context, asToken, { version });
      pve.state.guests.set(150, {
        type: 'qemu',
        node: 'golf',
        config: { memory: '4096', onboot: '1', description: 'two\nlines\n\n', name: 'vm150' },
        digest: 'd',
      });
      const answer = await raw(pve, 'GET', '/nodes/golf/qemu/150/config', tokenHeader);
      expect((JSON.parse(answer.body) as { data: unknown }).data).toMatchObject({
        memory,
        onboot: 1,
        description: 'two\nlines',
      });
    }
  });
});

describe('refusals as Proxmox VE sends them', () => {
  it("puts PVE's message in the status line with a body of only data: null", async (context) => {
    const { pve } = await setUp(context);
    const answer = await raw(pve, 'GET', '/nodes/foxtrot/lxc/999/config', tokenHeader);
    expect(answer.status).toBe(500);
    expect(answer.statusMessage).toBe("Configuration file 'nodes/foxtrot/lxc/999.conf' does not exist");
    expect(JSON.parse(answer.body)).toEqual({ data: null });
  });

  it('answers an expired ticket with 401, its message in the status line and no body; the client logs in again', async (context) => {
    const { pve, client } = await setUp(context, asRoot);
    await client.get('/nodes');
    const [ticket] = [...pve.state.tickets.keys()];
    pve.state.tickets.delete(ticket!);
    const answer = await raw(pve, 'GET', '/nodes', { cookie: `PVEAuthCookie=${encodeURIComponent(ticket!)}` });
    expect(answer).toMatchObject({ status: 401, statusMessage: 'permission denied - invalid PVE ticket', body: '' });
    expect(answer.contentType).toBeUndefined();
    await expect(client.get('/nodes')).resolves.toHaveLength(3);
  });

  it('sends a refused update once, naming the reason: a digest conflict or a locked container is no transient fault', async (context) => {
    const { pve, client } = await setUp(context);
    pve.state.guests.set(300, { type: 'lxc', node: 'golf', config: { hostname: 'a', lock: 'backup' }, digest: 'd' });
    const locked = await client
      .request('PUT', '/nodes/golf/lxc/300/config', { form: { hostname: 'b' } })
      .catch((caught: unknown) => caught);
    expect(locked).toBeInstanceOf(HttpServerError);
    expect((locked as HttpServerError).upstreamMessage).toBe('CT is locked (backup)');
    delete pve.state.guests.get(300)!.config['lock'];
    const conflict = await client
      .request('PUT', '/nodes/golf/lxc/300/config', { form: { hostname: 'b', digest: '0'.repeat(40) } })
      .catch((caught: unknown) => caught);
    expect((conflict as HttpServerError).upstreamMessage).toBe(
      'detected modified configuration - file changed by other user? Try again.',
    );
    expect(pve.state.requests.filter((item) => item.method === 'PUT')).toHaveLength(2);
    expect(client.http.stats.retries).toBe(0);
  });
});

describe('a guest locked by its create task', () => {
  it('shows only lock: create while the task runs, and refuses updates until it ends', async (context) => {
    const { client } = await setUp(context, asToken, { taskDurationMs: 200 });
    const upid = await client.request<string>('POST', '/nodes/golf/lxc', {
      form: { vmid: 300, ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst', hostname: 'ct300' },
    });
    const config = await client.get<Record<string, unknown>>('/nodes/golf/lxc/300/config');
    expect(Object.keys(config).sort()).toEqual(['digest', 'lock']);
    expect(config['lock']).toBe('create');
    await expect(client.get('/nodes/golf/tasks', { vmid: 300, source: 'active' })).resolves.toMatchObject([
      { upid, type: 'vzcreate', id: '300' },
    ]);
    await expect(client.request('PUT', '/nodes/golf/lxc/300/config', { form: { hostname: 'other' } })).rejects.toThrow(
      /CT is locked \(create\)/,
    );
    await client.waitForTask(upid);
    await expect(client.get('/nodes/golf/lxc/300/config')).resolves.toMatchObject({ hostname: 'ct300' });
    await expect(client.get('/nodes/golf/tasks', { vmid: 300, source: 'active' })).resolves.toEqual([]);
  });

  it('after a lost create answer, the rerun waits for the create task with progress, then only starts the guest', async (context) => {
    const { pve, client } = await setUp(context, asRoot, {
      taskDurationMs: 300,
      faults: { loseAnswer: (request) => request.method === 'POST' && request.path.endsWith('/nodes/foxtrot/lxc') },
    });
    const options = { cluster: 'matrix', tokenSecret: await tokenSecret() };
    // One round: the apply ends at the lost answer, as an interrupted run would.
    await expect(applyProxmox(exampleProxmoxArtifactSet(), client, { ...options, rounds: 1 })).rejects.toThrow(
      /lost the connection/,
    );
    pve.setFaults({});
    expect(pve.state.guests.get(200)?.config).toEqual({ lock: 'create' });
    const progress: string[] = [];
    const rerun = await applyProxmox(exampleProxmoxArtifactSet(), client, {
      ...options,
      onProgress: (line) => progress.push(line),
    });
    expect(progress).toEqual([
      expect.stringMatching(/^lxc 200 is locked \(create\): waiting for task vzcreate UPID:foxtrot:/),
    ]);
    // The interrupted apply never reached the start: the rerun does only that.
    expect(rerun.applied.map((change) => `${change.kind} ${change.id}`)).toEqual(['lxc 200 (start)']);
    expect(pve.state.guests.get(200)!.running).toBe(true);
    expect(pve.state.requests.filter((item) => item.method === 'PUT' && item.path.includes('/lxc/200'))).toEqual([]);
    expect(pve.state.creations.filter((item) => item === 'lxc/200')).toHaveLength(1);
  });
});

describe('an update whose answer was lost', () => {
  it('meets a digest conflict on its retry, reads the config back, finds it applied and finishes', async (context) => {
    let lost = false;
    const { pve, client } = await setUp(context, asRoot, {
      faults: {
        loseAnswer: (request) =>
          request.method === 'PUT' && request.path.endsWith('/lxc/200/config') && !lost && (lost = true),
      },
    });
    const options = { cluster: 'matrix', tokenSecret: await tokenSecret(), roundDelayMs: 1 };
    await applyProxmox(exampleProxmoxArtifactSet(), client, options);
    // Someone changed the cores by hand: the config file, and so its digest, changed.
    Object.assign(pve.state.guests.get(200)!, { digest: 'f'.repeat(40) }).config['cores'] = '1';
    const progress: string[] = [];
    const result = await applyProxmox(exampleProxmoxArtifactSet(), client, {
      ...options,
      onProgress: (line) => progress.push(line),
    });
    expect(result.applied.map((change) => `${change.kind} ${change.id} ${change.action}`)).toEqual(['lxc 200 update']);
    expect(progress).toEqual([
      expect.stringContaining(
        'lxc 200 failed (500 detected modified configuration - file changed by other user? Try again.); reading back',
      ),
    ]);
    expect(
      pve.state.requests.filter((item) => item.method === 'PUT' && item.path.endsWith('/lxc/200/config')),
    ).toHaveLength(2);
    expect(pve.state.guests.get(200)!.config['cores']).toBe('2');
  });
});
