import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContainedFolder } from './contained-folder.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talos-topology-folder-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ContainedFolder.read', () => {
  it('reads every byte of empty, small, multi-byte and large files', async () => {
    const texts = {
      'empty.txt': '',
      'small.yaml': 'a: 1\n',
      'utf8.txt': 'Grüße, 東京, 🚀\n'.repeat(3),
      'large.json': `${'x'.repeat(1_048_575)}\n`,
    };
    for (const [name, text] of Object.entries(texts)) await writeFile(join(dir, name), text);
    const folder = new ContainedFolder(dir);
    for (const [name, text] of Object.entries(texts)) expect(await folder.read(name)).toBe(text);
    expect(await folder.read('missing.txt')).toBeUndefined();
  });
});
