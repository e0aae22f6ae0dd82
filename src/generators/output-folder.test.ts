import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spaceshipsInput } from '../../test/fixtures.js';
import { defineTopology } from '../models/define.js';
import { generate } from './generate.js';
import { findStaleFiles, writeArtifacts } from './output-folder.js';
import { ArtifactSetError, readArtifactSet } from './read.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests change the input freely
type Loose = any;

const set = generate(defineTopology(spaceshipsInput()));
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talos-topology-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
    .sort();
}

describe('writeArtifacts', () => {
  it('writes every file, then nothing on a second run, and leaves no temporary files', async () => {
    const first = await writeArtifacts(set, dir);
    expect(first.written).toHaveLength(set.artifacts.length);
    const second = await writeArtifacts(set, dir);
    expect(second.written).toEqual([]);
    expect(await listFiles(dir)).toEqual(set.artifacts.map((artifact) => artifact.path).sort());
  });

  it('never overwrites a file it did not write', async () => {
    await writeArtifacts(set, dir);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Loose;
    manifest.artifacts = manifest.artifacts.filter((entry: Loose) => entry.path !== 'tailscale/policy.hujson');
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    await writeFile(join(dir, 'tailscale/policy.hujson'), '// mine\n');
    await expect(writeArtifacts(set, dir)).rejects.toThrow(
      /policy.hujson: exists and was not written by talos-topology/,
    );
    expect(await readFile(join(dir, 'tailscale/policy.hujson'), 'utf8')).toBe('// mine\n');
  });

  it('refuses to overwrite a hand-edited generated file unless forced, changing nothing', async () => {
    await writeArtifacts(set, dir);
    await writeFile(join(dir, 'hosts/holly/omni/compose.yaml'), 'edited\n');
    const input = spaceshipsInput() as Loose;
    input.guests.holly.cores = 8;
    const changed = generate(defineTopology(input));
    await expect(writeArtifacts(changed, dir)).rejects.toBeInstanceOf(ArtifactSetError);
    expect(await readFile(join(dir, 'proxmox/quantum/qemu-101.json'), 'utf8')).toContain('"cores": 4');
    await writeArtifacts(changed, dir, { force: true });
    expect(await readFile(join(dir, 'proxmox/quantum/qemu-101.json'), 'utf8')).toContain('"cores": 8');
  });

  it('removes files it generated before that are no longer produced, keeping the person’s own files', async () => {
    await writeArtifacts(set, dir);
    await writeFile(join(dir, 'NOTES.md'), 'mine\n');
    const input = spaceshipsInput() as Loose;
    delete input.omni.tailnetAddress;
    const result = await writeArtifacts(generate(defineTopology(input)), dir);
    expect(result.removed).toEqual(['dns/public-records.json']);
    expect(await listFiles(dir)).toContain('NOTES.md');
  });
});

describe('findStaleFiles', () => {
  it('is empty for a fresh folder and names missing, changed and extra files with diffs', async () => {
    await writeArtifacts(set, dir);
    expect(await findStaleFiles(set, dir)).toEqual([]);
    await rm(join(dir, 'unifi/dns-records.json'));
    await writeFile(join(dir, 'hosts/holly/omni/.env.example'), 'TS_AUTHKEY=\n');
    const stale = await findStaleFiles(set, dir);
    expect(stale.map(({ path, state }) => [path, state])).toEqual([
      ['hosts/holly/omni/.env.example', 'changed'],
      ['unifi/dns-records.json', 'missing'],
    ]);
    expect(stale[0]?.diff).toContain('--- a/hosts/holly/omni/.env.example');
    expect(stale[1]?.diff).toContain('+  "site": "default",');
  });
});

describe('readArtifactSet', () => {
  it('reads back exactly what was written and refuses edited files', async () => {
    await writeArtifacts(set, dir);
    expect((await readArtifactSet(dir)).artifacts).toEqual(set.artifacts);
    await writeFile(join(dir, 'unifi/static-routes.json'), '{}\n');
    await expect(readArtifactSet(dir)).rejects.toThrow(/static-routes.json: differs from manifest.json/);
  });

  it('names the missing manifest', async () => {
    await expect(readArtifactSet(dir)).rejects.toThrow(/manifest.json: cannot be read/);
  });
});
