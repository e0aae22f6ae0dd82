/**
 * `plan --format markdown` in-process against the UniFi and Tailscale emulators over real sockets: the document a
 * pull-request comment shows, for several targets and for one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import spaceships from '../examples/spaceships/topology.js';
import { generate } from '../src/generators/generate.js';
import { writeArtifacts } from '../src/generators/output-folder.js';
import type { TailscaleEmulator } from '../src/testing/tailscale/index.js';
import type { UnifiEmulator } from '../src/testing/unifi/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import { runCliWith } from './run-cli.js';
import { API_KEY as TS_API_KEY, startTailnet } from './tailscale-fixtures.js';

const UNIFI_API_KEY = 'emulated-unifi-api-key-0002';
let dir: string;
let out: string;
let tailnet: TailscaleEmulator;
let unifi: UnifiEmulator;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talos-topology-markdown-'));
  out = join(dir, 'out');
  [tailnet, unifi] = await Promise.all([
    startTailnet(),
    startUnifiEmulator({ apiKey: UNIFI_API_KEY }),
    writeArtifacts(generate(spaceships), out),
  ]);
  env = {
    TS_API_URL: tailnet.url,
    TS_API_KEY,
    TS_API_FINGERPRINT: tailnet.fingerprint256,
    UNIFI_URL: unifi.url,
    UNIFI_API_KEY,
    UNIFI_FINGERPRINT: unifi.fingerprint256,
  };
});
afterAll(async () => {
  await Promise.all([tailnet.close(), unifi.close(), rm(dir, { recursive: true, force: true })]);
});

describe('talos-topology plan --format markdown', () => {
  it('prints the totals, the targets left out, and a folded section per target with its field-level diff', async () => {
    const plan = await runCliWith(env, 'plan', '--out', out, '--format', 'markdown', '--detailed-exitcode');
    expect(plan.code, plan.err).toBe(2);
    const markdown = plan.out;
    expect(markdown).toMatch(
      /^### talos-topology plan \(unifi, tailscale\): 1 to create, 1 to update, 0 to delete, \d+ unchanged$/m,
    );
    expect(markdown).toMatch(/^- left out: proxmox:matrix: no credentials \(PROXMOX\\_URL is not set/m);
    expect(markdown).toMatch(/^- left out: omni: no credentials \(OMNI\\_ENDPOINT is not set/m);
    expect([...markdown.matchAll(/^<details><summary><strong>(\S+)<\/strong>: (.*)<\/summary>$/gm)]).toEqual([
      expect.arrayContaining(['unifi', '1 to create, 0 to update, 0 to delete, 0 unchanged']),
      expect.arrayContaining(['tailscale', expect.stringMatching(/^0 to create, 1 to update/)]),
    ]);
    // The field-level diff as plan prints it, inside the section's fenced block.
    expect(markdown).toMatch(/```text\nunifi plan\n[\s\S]*value: \(absent\) -> "192\.168\.10\.20"[\s\S]*?\n```\n/);
    expect(markdown).not.toContain('\u001b');
    expect(markdown).not.toContain(TS_API_KEY);
    expect(markdown).not.toContain(UNIFI_API_KEY);
  });

  it('renders one target the same way, without colour even when colour is forced', async () => {
    const plan = await runCliWith(
      { ...env, FORCE_COLOR: '1' },
      'plan',
      '--out',
      out,
      '--target',
      'unifi',
      '--format',
      'markdown',
    );
    expect(plan.err).toBe('');
    expect(plan.out).toMatch(/^### talos-topology plan \(unifi\): 1 to create/m);
    expect(plan.out).toContain('- left out: tailscale: not asked for');
    expect(plan.out).toContain('<details><summary><strong>unifi</strong>: 1 to create');
    expect(plan.out).not.toContain('\u001b');
  });

  it('refuses an unknown format, and --json with --format', async () => {
    expect(await runCliWith(env, 'plan', '--out', out, '--format', 'html')).toMatchObject({
      code: 1,
      err: expect.stringContaining('--format takes text or markdown'),
    });
    expect(await runCliWith(env, 'plan', '--out', out, '--format', 'markdown', '--json')).toMatchObject({
      code: 1,
      out: expect.stringContaining('give --json or --format, not both'),
    });
    expect(await runCliWith(env, 'apply', '--out', out, '--format', 'markdown')).toMatchObject({
      code: 1,
      err: expect.stringContaining('apply does not take --format'),
    });
  });
});
