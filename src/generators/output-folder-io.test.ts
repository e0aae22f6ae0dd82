import type * as Fs from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createArtifact } from './artifact.js';
import { manifestArtifact } from './manifest.js';
import { writeArtifacts } from './output-folder.js';

// Every folder check (lstat) and folder creation (mkdir) the SDK asks of the file system, by path, through either API.
const folderCalls = vi.hoisted(() => [] as string[]);
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof Fs>();
  const lstatSync = ((path: string, ...rest: never[]) => {
    folderCalls.push(`lstat ${path}`);
    return fs.lstatSync(path, ...rest);
  }) as typeof fs.lstatSync;
  const mkdirSync = ((path: string, ...rest: never[]) => {
    folderCalls.push(`mkdir ${path}`);
    return fs.mkdirSync(path, ...rest);
  }) as typeof fs.mkdirSync;
  return { ...fs, default: { ...fs, lstatSync, mkdirSync }, lstatSync, mkdirSync };
});
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  const lstat = ((path: string, ...rest: never[]) => {
    folderCalls.push(`lstat ${path}`);
    return fs.lstat(path, ...rest);
  }) as typeof fs.lstat;
  const mkdir = ((path: string, ...rest: never[]) => {
    folderCalls.push(`mkdir ${path}`);
    return fs.mkdir(path, ...rest);
  }) as typeof fs.mkdir;
  return { ...fs, default: { ...fs, lstat, mkdir }, lstat, mkdir };
});

const GUESTS = 200;
const guests = Array.from({ length: GUESTS }, (_, index) =>
  createArtifact(`proxmox/matrix/ct-${1000 + index}.conf`, 'proxmox-lxc', `arch: amd64\nhostname: ct-${index}\n`),
);
const set = { artifacts: [...guests, manifestArtifact('io', guests)] };

let base: string;
let dir: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'talos-topology-io-'));
  dir = join(base, 'out');
  folderCalls.length = 0;
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

/** The folder checks and creations of the folders under the output folder (not of the output folder itself). */
function subfolderCalls(): string[] {
  return folderCalls.filter((call) => call.includes(join(dir, 'proxmox')));
}

describe('writeArtifacts with many files in one folder', () => {
  it('checks and creates each folder once a run, not once a file, into an empty folder', async () => {
    const result = await writeArtifacts(set, dir);
    expect(result.written).toHaveLength(GUESTS + 1);
    expect((await readdir(join(dir, 'proxmox/matrix'))).sort()).toEqual(
      guests.map((artifact) => artifact.path.slice('proxmox/matrix/'.length)).sort(),
    );
    // Found missing once while reading (remembered), then created once while writing.
    expect(subfolderCalls().sort()).toEqual(
      [
        `lstat ${join(dir, 'proxmox')}`,
        `lstat ${join(dir, 'proxmox')}`,
        `lstat ${join(dir, 'proxmox/matrix')}`,
        `mkdir ${join(dir, 'proxmox')}`,
        `mkdir ${join(dir, 'proxmox/matrix')}`,
      ].sort(),
    );
  });

  it('checks each folder once when nothing changed', async () => {
    await writeArtifacts(set, dir);
    folderCalls.length = 0;
    expect((await writeArtifacts(set, dir)).written).toEqual([]);
    expect(subfolderCalls().sort()).toEqual([`lstat ${join(dir, 'proxmox')}`, `lstat ${join(dir, 'proxmox/matrix')}`]);
  });
});
