import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createArtifact } from '../generators/artifact.js';
import { createChange, createPlan } from '../plan/change.js';
import type { AppliedRun } from './applied-state.js';
import {
  appliedObjects,
  appliedStatePath,
  appliedArtifactsDigest,
  readAppliedState,
  saveApplied,
  saveDestroyed,
} from './applied-state.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talos-topology-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const set = { artifacts: [createArtifact('unifi/dns-records.json', 'unifi-dns-records', '{}')] };
const unifiRun = (ids: string[]): AppliedRun => ({
  node: { id: 'unifi', target: 'unifi', needs: [] },
  result: {
    plan: createPlan(
      'unifi',
      ids.map((id) => createChange('unifi', 'static-dns', id, 'create')),
    ),
    applied: [],
    skipped: [],
  },
});

describe('applied state', () => {
  it('lives beside the output folder, named after it, unless --state names a file', () => {
    expect(appliedStatePath('/lab/out')).toBe('/lab/.talos-topology/out.applied.json');
    expect(appliedStatePath('/lab/out-b/')).toBe('/lab/.talos-topology/out-b.applied.json');
    expect(appliedStatePath('/lab/out', '/state/lab.json')).toBe('/state/lab.json');
  });

  it('records what an apply left in place: not what it deleted, skipped, or cannot create', () => {
    const plan = createPlan('tailscale', [
      createChange('tailscale', 'policy', 'policy', 'update'),
      createChange('tailscale', 'device', 'stale', 'delete'),
      createChange('tailscale', 'device', 'omni', 'no-op'),
      { ...createChange('tailscale', 'device', 'omni-provider', 'no-op'), absent: true },
      createChange('tailscale', 'device', 'held', 'adopt'),
    ]);
    const skipped = [createChange('tailscale', 'device', 'held', 'adopt')];
    expect(appliedObjects({ plan, applied: [], skipped })).toEqual([
      { kind: 'device', id: 'omni' },
      { kind: 'policy', id: 'policy' },
    ]);
    // A skipped object an earlier apply left in place stays the SDK's: it drifted, it was not "never applied".
    expect(
      appliedObjects({ plan, applied: [], skipped }, [
        { kind: 'device', id: 'held' },
        { kind: 'device', id: 'omni-provider' },
        { kind: 'device', id: 'stale' },
      ]),
    ).toEqual([
      { kind: 'device', id: 'held' },
      { kind: 'device', id: 'omni' },
      { kind: 'device', id: 'omni-provider' },
      { kind: 'policy', id: 'policy' },
    ]);
  });

  it('after a destroy, keeps of each destroyed node only what it skipped; other nodes and a missing file untouched', async () => {
    const path = join(dir, 'state.json');
    const destroyRun = (skipped: string[]): AppliedRun => ({
      node: { id: 'unifi', target: 'unifi', needs: [] },
      result: {
        plan: createPlan('unifi', []),
        applied: [createChange('unifi', 'static-dns', 'a A', 'delete')],
        skipped: skipped.map((id) => createChange('unifi', 'static-dns', id, 'delete')),
      },
    });
    await saveDestroyed(path, [destroyRun([])]);
    expect(await readAppliedState(path)).toBeUndefined();

    const proxmox: AppliedRun = {
      node: { id: 'proxmox:matrix', target: 'proxmox', cluster: 'matrix', needs: [] },
      result: {
        plan: createPlan('proxmox', [createChange('proxmox', 'lxc', '200', 'no-op')]),
        applied: [],
        skipped: [],
      },
    };
    const when = new Date('2026-01-01T00:00:00Z');
    await saveApplied(path, [unifiRun(['a A', 'b A', 'c A']), proxmox], set, when);
    await saveDestroyed(path, [destroyRun(['b A'])]);
    const state = await readAppliedState(path);
    // 'c A' was not deleted by name (a shared object destroy only changed, or one it kept as a person's): dropped too.
    expect(state?.nodes['unifi']).toEqual({
      target: 'unifi',
      appliedAt: when.toISOString(),
      artifacts: appliedArtifactsDigest(set),
      objects: [{ kind: 'static-dns', id: 'b A' }],
    });
    expect(state?.nodes['proxmox:matrix']?.objects).toEqual([{ kind: 'lxc', id: '200' }]);
  });

  it('replaces the entry of each node applied, keeps the others, and reads back what it wrote', async () => {
    const path = join(dir, '.talos-topology', 'out.applied.json');
    expect(await readAppliedState(path)).toBeUndefined();
    await saveApplied(path, [unifiRun(['a A', 'b A'])], set, new Date('2026-01-01T00:00:00Z'));
    const proxmox: AppliedRun = {
      node: { id: 'proxmox:matrix', target: 'proxmox', cluster: 'matrix', needs: [] },
      result: {
        plan: createPlan('proxmox', [createChange('proxmox', 'lxc', '200', 'no-op')]),
        applied: [],
        skipped: [],
      },
    };
    await saveApplied(path, [proxmox], set, new Date('2026-01-02T00:00:00Z'));
    await saveApplied(path, [unifiRun(['c A'])], set, new Date('2026-01-03T00:00:00Z'));
    const state = await readAppliedState(path);
    expect(state).toEqual({
      version: 1,
      nodes: {
        'proxmox:matrix': {
          target: 'proxmox',
          cluster: 'matrix',
          appliedAt: '2026-01-02T00:00:00.000Z',
          artifacts: appliedArtifactsDigest(set),
          objects: [{ kind: 'lxc', id: '200' }],
        },
        unifi: {
          target: 'unifi',
          appliedAt: '2026-01-03T00:00:00.000Z',
          artifacts: appliedArtifactsDigest(set),
          objects: [{ kind: 'static-dns', id: 'c A' }],
        },
      },
    });
  });

  it('never reads or writes through a symbolic link, and names the file of a broken state', async () => {
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(elsewhere);
    await symlink(elsewhere, join(dir, '.talos-topology'));
    const path = appliedStatePath(join(dir, 'out'));
    await expect(saveApplied(path, [unifiRun(['a A'])], set)).rejects.toThrow(/its folder is a symbolic link/);
    await rm(join(dir, '.talos-topology'));
    await mkdir(join(dir, '.talos-topology'));
    const target = join(dir, 'target.json');
    await writeFile(target, 'precious\n');
    await symlink(target, path);
    await expect(readAppliedState(path)).rejects.toMatchObject({
      name: 'AppliedStateError',
      message: expect.stringContaining(`${path}: it is a symbolic link`),
    });
    await expect(saveApplied(path, [unifiRun(['a A'])], set)).rejects.toThrow(/it is a symbolic link/);
    await rm(path);
    await writeFile(path, '{"version": 2}');
    await expect(readAppliedState(path)).rejects.toThrow(`${path}: is not an applied state of version 1`);
    expect(await readFile(target, 'utf8')).toBe('precious\n');
  });
});
