import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spaceshipsInput } from '../../test/fixtures.js';
import { runCliWith } from '../../test/run-cli.js';
import { defineTopology } from '../models/define.js';
import { sha256Hex } from './artifact.js';
import { currentArtifactPaths } from './current-by-manifest.js';
import { generate } from './generate.js';
import { findStaleFiles, writeArtifacts } from './output-folder.js';
import { SDK_VERSION } from './sdk-version.js';

const topology = defineTopology(spaceshipsInput());
let base: string;
let dir: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'talos-topology-'));
  dir = join(base, 'out');
  await writeArtifacts(generate(topology), dir);
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

/** What `check` prints today for a folder: the full comparison's stale files. */
async function staleNow(): Promise<string[]> {
  return (await findStaleFiles(generate(topology), dir)).map((file) => `${file.state} ${file.path}`);
}

describe('currentArtifactPaths (the check and generate fast path)', () => {
  it("vouches for a folder generate just wrote, with its paths in generate's order, and check says it is up to date", async () => {
    expect(await currentArtifactPaths(topology, {}, dir)).toEqual(generate(topology).artifacts.map((a) => a.path));
    const result = await runCliWith({}, 'check', '--example', '--out', dir);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`(built-in spaceships example): ${dir} is up to date`);
    // The rule warnings are printed as on the full path.
    expect(result.err).toContain('provider-tls-verify');
  });

  it('does not vouch for a hand-edited file, and check reports its diff as before', async () => {
    const file = join(dir, 'unifi/dns-records.json');
    await writeFile(file, `${await readFile(file, 'utf8')} `);
    expect(await currentArtifactPaths(topology, {}, dir)).toBeUndefined();
    expect(await staleNow()).toEqual(['changed unifi/dns-records.json']);
    const result = await runCliWith({}, 'check', '--example', '--out', dir);
    expect(result.code).toBe(2);
    expect(result.out).toContain('unifi/dns-records.json');
  });

  it('does not vouch for a missing file', async () => {
    await rm(join(dir, 'unifi/dns-records.json'));
    expect(await currentArtifactPaths(topology, {}, dir)).toBeUndefined();
  });

  it('does not vouch after the topology changed (a value, or a rule skipped)', async () => {
    const changed = defineTopology({ ...spaceshipsInput(), description: 'another sentence' });
    expect(await currentArtifactPaths(changed, {}, dir)).toBeUndefined();
    expect(await currentArtifactPaths(topology, { skip: ['image-pinned'] }, dir)).toBeUndefined();
    expect((await findStaleFiles(generate(changed), dir)).length).toBeGreaterThan(0);
  });

  it('does not vouch for a manifest another SDK version wrote, and check reports the manifest as stale', async () => {
    const manifest = join(dir, 'manifest.json');
    const text = await readFile(manifest, 'utf8');
    expect(text).toContain(`"version": "${SDK_VERSION}"`);
    await writeFile(manifest, text.replace(`"version": "${SDK_VERSION}"`, '"version": "0.0.1"'));
    expect(await currentArtifactPaths(topology, {}, dir)).toBeUndefined();
    expect(await staleNow()).toEqual(['changed manifest.json']);
    const result = await runCliWith({}, 'check', '--example', '--out', dir);
    expect(result.code).toBe(2);
    expect(result.out).toContain('-  "version": "0.0.1"');
  });

  it('does not vouch while an interrupted run left its journal', async () => {
    // The interrupted run had written a file the next generate no longer produces: check calls it extra.
    const entry = { path: 'old.yaml', kind: 'talos-patch', sha256: sha256Hex('old\n') };
    await writeFile(join(dir, 'old.yaml'), 'old\n');
    await writeFile(join(dir, '.talos-topology.journal.json'), JSON.stringify({ artifacts: [entry] }));
    expect(await currentArtifactPaths(topology, {}, dir)).toBeUndefined();
    expect(await staleNow()).toEqual(['extra old.yaml']);
  });

  it('does not vouch while a run holds the lock, so generate waits on it as before', async () => {
    await writeFile(join(dir, '.talos-topology.lock'), JSON.stringify({ pid: process.pid, host: 'elsewhere' }));
    expect(await currentArtifactPaths(topology, {}, dir)).toBeUndefined();
    const second = await runCliWith({}, 'generate', '--example', '--out', dir);
    expect(second.code).toBe(1);
    expect(second.err).toContain('.talos-topology.lock');
  });

  it('records the version package.json gives', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(SDK_VERSION).toBe(pkg.version);
  });
});
