/**
 * `destroy` in-process against the UniFi, Auth0 and Tailscale emulators over real sockets: the destroy plan in reverse
 * dependency order, approval (a person who does not answer "yes" removes nothing), then only the SDK's objects go,
 * the applied state forgets what it removed, and a second destroy has nothing to remove.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import spaceships from '../examples/spaceships/topology.js';
import { runCli } from '../src/cli/run.js';
import { generate } from '../src/generators/generate.js';
import { manifestArtifact } from '../src/generators/manifest.js';
import { writeArtifacts } from '../src/generators/output-folder.js';
import { startAuth0Emulator } from '../src/testing/auth0/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import { AUTH0_SCOPES, auth0ArtifactSet } from './auth0-fixtures.js';
import type { CliResult } from './run-cli.js';
import { emulatorEnv } from './emulator-env.js';
import { runCliWith } from './run-cli.js';
import { API_KEY as TS_API_KEY, startTailnet } from './tailscale-fixtures.js';

const UNIFI_API_KEY = 'emulated-unifi-api-key-0002';
const PERSON_CALLBACK = 'http://localhost:3000/cb';
let dir: string;
const open: { close(): Promise<void> }[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talos-topology-destroy-'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
  await rm(dir, { recursive: true, force: true });
});

/** The UniFi, Auth0 and Tailscale emulators, the example's artifacts in `<dir>/out`, a person's objects, the env. */
async function startLab() {
  const [unifi, auth0, tailnet] = await Promise.all([
    startUnifiEmulator({ apiKey: UNIFI_API_KEY }),
    startAuth0Emulator(),
    startTailnet(),
  ]);
  open.push(unifi, auth0, tailnet);
  const clientId = auth0.addApplication({ name: 'Omni', callbacks: [PERSON_CALLBACK] })['client_id'] as string;
  const m2m = auth0.addM2mApplication(AUTH0_SCOPES);
  unifi.state.dnsRecords.push({
    _id: 'person-nas',
    site_id: 'site-default',
    key: 'nas.spaceships.work',
    record_type: 'A',
    value: '192.168.10.5',
  });
  const artifacts = [
    ...generate(spaceships).artifacts.filter((artifact) =>
      ['unifi-dns-records', 'unifi-static-routes', 'tailscale-policy', 'tailscale-devices'].includes(artifact.kind),
    ),
    ...auth0ArtifactSet(auth0, clientId).artifacts.filter((artifact) => artifact.kind === 'auth0-application'),
  ];
  const out = join(dir, 'out');
  await writeArtifacts({ artifacts: [...artifacts, manifestArtifact('spaceships', artifacts)] }, out);
  const env = emulatorEnv({
    unifi: { ...unifi, apiKey: UNIFI_API_KEY },
    auth0: { ...auth0, ...m2m },
    tailscale: { ...tailnet, apiKey: TS_API_KEY },
  });
  return { unifi, auth0, tailnet, clientId, out, env };
}

/** Runs the CLI in-process with a person at a terminal who answers `answer`. */
async function runAnswering(env: Record<string, string>, answer: string, ...argv: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    output: { out: (text) => (out += `${text}\n`), err: (text) => (err += `${text}\n`) },
    env,
    ask: async (question) => {
      err += question;
      return answer;
    },
  });
  return { code, out, err };
}

describe('talos-topology destroy', () => {
  it('plans, asks, then removes only what the SDK owns, in reverse dependency order; again: nothing to destroy', async () => {
    const { unifi, auth0, tailnet, clientId, out, env } = await startLab();
    const apply = await runCliWith(env, 'apply', '--out', out, '--yes', '--no-color');
    expect(apply.code, apply.out + apply.err).toBe(0);
    expect(unifi.state.dnsRecords).toHaveLength(2);

    const declined = await runAnswering(env, 'no', 'destroy', '--out', out, '--no-color');
    expect(declined.code).toBe(1);
    expect(declined.err).toContain('Do you want to destroy these objects? Only "yes" approves: ');
    expect(declined.err).toContain('destroy cancelled: nothing removed');
    expect(declined.out).toMatch(/^destroy plan: tailscale, auth0, unifi \(in reverse dependency order\)$/m);
    expect(declined.out).toMatch(/^ {2}unifi: 0 to create, 0 to update, 1 to delete, 0 unchanged$/m);
    expect(unifi.state.dnsRecords).toHaveLength(2);
    expect(tailnet.state.policy).toContain('// talos-topology:spaceships');

    const destroyed = await runAnswering(env, 'yes', 'destroy', '--out', out, '--no-color');
    expect(destroyed.code, destroyed.out + destroyed.err).toBe(0);
    expect(destroyed.out).toMatch(/^destroy: tailscale, auth0, unifi \(in reverse dependency order\)$/m);
    expect(destroyed.out).toMatch(/^ {2}total: 3 destroyed, 0 failed, 0 not attempted$/m);
    expect(unifi.state.dnsRecords.map((record) => record['key'])).toEqual(['nas.spaceships.work']);
    expect(auth0.state.clients.get(clientId)).toMatchObject({
      callbacks: [PERSON_CALLBACK],
      allowed_logout_urls: [],
      web_origins: [],
      client_metadata: {},
    });
    expect(tailnet.state.policy).not.toContain('talos-topology');
    expect(tailnet.state.policy).toContain("// the admins' policy");

    const again = await runCliWith(env, 'destroy', '--out', out, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ ok: true, summary: { delete: 0 } });
    expect(again.err).toContain('nothing to destroy');
  });

  it('with --yes --json destroys without asking and prints one report; --target narrows the run', async () => {
    const { unifi, tailnet, out, env } = await startLab();
    const state = join(dir, 'state.json');
    expect((await runCliWith(env, 'apply', '--out', out, '--state', state, '--yes')).code).toBe(0);
    const result = await runCliWith(
      env,
      'destroy',
      '--out',
      out,
      '--state',
      state,
      '--target',
      'unifi',
      '--yes',
      '--json',
    );
    expect(result.code, result.err).toBe(0);
    const report = JSON.parse(result.out);
    expect(report).toMatchObject({
      ok: true,
      summary: { applied: 1, failed: 0, notAttempted: 0 },
      leftOut: expect.arrayContaining([{ target: 'tailscale', reason: 'not-requested' }]),
    });
    expect(report.targets).toEqual([
      expect.objectContaining({
        node: 'unifi',
        status: 'applied',
        applied: [expect.objectContaining({ action: 'delete' })],
      }),
    ]);
    expect(unifi.state.dnsRecords.map((record) => record['key'])).toEqual(['nas.spaceships.work']);
    expect(tailnet.state.policy).toContain('// talos-topology:spaceships');
    // The record forgets what destroy removed from UniFi, so drift calls nothing "disappeared" (only the person's
    // record inside the zone is drift, as unowned); the nodes not destroyed keep theirs.
    const recorded = JSON.parse(await readFile(state, 'utf8'));
    expect(recorded.nodes.unifi.objects).toEqual([]);
    expect(recorded.nodes.tailscale.objects).not.toEqual([]);
    const drift = await runCliWith(env, 'drift', '--out', out, '--state', state, '--target', 'unifi', '--json');
    expect(JSON.parse(drift.out).targets[0]).toMatchObject({
      status: 'checked',
      drift: [{ drift: 'unowned', kind: 'static-dns', id: 'nas.spaceships.work A' }],
      pending: [{ pending: 'not-applied-yet', kind: 'static-dns', id: 'omni.spaceships.work A', action: 'create' }],
    });
  });
});
