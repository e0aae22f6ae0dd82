import { lstat, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { artifactSetDigest } from '../generators/artifact-digest.js';
import { createArtifact } from '../generators/artifact.js';
import { SDK_VERSION } from '../generators/sdk-version.js';
import type { Plan } from '../plan/change.js';
import { createChange, createPlan } from '../plan/change.js';
import type { SavedPlan } from './saved-plan.js';
import {
  createSavedPlan,
  liveStateFingerprint,
  readSavedPlan,
  SAVED_PLAN_FORMAT,
  SAVED_PLAN_VERSION,
  writeSavedPlan,
} from './saved-plan.js';
import { targetGraph } from './target-graph.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talos-topology-saved-plan-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SET = {
  artifacts: [
    createArtifact('unifi/dns-records.json', 'unifi-dns-records', '{"records":[]}\n'),
    createArtifact('manifest.json', 'manifest', '{}\n'),
  ],
};
const PLAN: Plan = createPlan('unifi', [
  createChange('unifi', 'static-dns', 'omni.spaceships.work A', 'update', [
    { path: 'value', before: '192.168.10.99', after: '192.168.10.20' },
  ]),
]);

function saved(plan: Plan = PLAN): SavedPlan {
  const [node] = targetGraph([{ target: 'unifi' }]);
  return createSavedPlan('plan.json', SET, [{ node: node!, outcome: { status: 'done', value: plan } }], {
    leftOut: [{ target: 'hosts', reason: 'no-artifacts' }],
    options: { adopt: false, target: ['unifi'] },
  });
}

describe('artifactSetDigest', () => {
  it('is the same for the same files in any order, and changes with any path or content', () => {
    const digest = artifactSetDigest(SET);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(artifactSetDigest({ artifacts: [...SET.artifacts].reverse() })).toBe(digest);
    const [dns, manifest] = SET.artifacts;
    const edited = createArtifact(dns!.path, dns!.kind, '{"records":[1]}\n');
    const moved = createArtifact('unifi/dns-records2.json', dns!.kind, dns!.content);
    expect(artifactSetDigest({ artifacts: [edited, manifest!] })).not.toBe(digest);
    expect(artifactSetDigest({ artifacts: [moved, manifest!] })).not.toBe(digest);
    // A path cannot run on into the content: "a" + "bc" and "ab" + "c" differ.
    const split = (path: string, content: string) => ({ artifacts: [createArtifact(path, 'compose', content)] });
    expect(artifactSetDigest(split('a', 'bc'))).not.toBe(artifactSetDigest(split('ab', 'c')));
  });
});

describe('liveStateFingerprint', () => {
  it('changes when a live value the plan depends on changes, not with key order', () => {
    const fingerprint = liveStateFingerprint(PLAN);
    const moved = createPlan('unifi', [
      createChange('unifi', 'static-dns', 'omni.spaceships.work A', 'update', [
        { after: '192.168.10.20', before: '192.168.10.99', path: 'value' },
      ]),
    ]);
    expect(liveStateFingerprint(moved)).toBe(fingerprint);
    const other = createPlan('unifi', [
      createChange('unifi', 'static-dns', 'omni.spaceships.work A', 'update', [
        { path: 'value', before: '192.168.10.98', after: '192.168.10.20' },
      ]),
    ]);
    expect(liveStateFingerprint(other)).not.toBe(fingerprint);
    const unmanaged = createPlan('unifi', PLAN.changes, [{ kind: 'static-dns', id: 'x', reason: 'hand-made' }]);
    expect(liveStateFingerprint(unmanaged)).not.toBe(fingerprint);
  });
});

describe('createSavedPlan', () => {
  it('records the version, the digest, the selection, the options and each node with its fingerprint', () => {
    expect(saved()).toEqual({
      format: SAVED_PLAN_FORMAT,
      version: SAVED_PLAN_VERSION,
      sdkVersion: SDK_VERSION,
      artifactDigest: artifactSetDigest(SET),
      selection: { nodes: ['unifi'], leftOut: [{ target: 'hosts', reason: 'no-artifacts' }] },
      options: { adopt: false, target: ['unifi'] },
      nodes: [{ node: 'unifi', target: 'unifi', needs: [], liveState: liveStateFingerprint(PLAN), plan: PLAN }],
    });
  });

  it('refuses to save a plan that failed, naming the node', () => {
    const [node] = targetGraph([{ target: 'unifi' }]);
    const failed = [{ node: node!, outcome: { status: 'failed' as const, error: new Error('refused') } }];
    expect(() => createSavedPlan('plan.json', SET, failed, { leftOut: [], options: {} })).toThrow(
      expect.objectContaining({
        name: 'SavedPlanError',
        problem: 'plan-failed',
        message: 'plan.json was not written: the plan of unifi failed; fix that and plan again',
      }),
    );
  });
});

describe('writeSavedPlan and readSavedPlan', () => {
  it('write the file with mode 0600 and read it back as it was', async () => {
    const file = join(dir, 'plan.json');
    await writeSavedPlan(file, saved());
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readSavedPlan(file)).toEqual(saved());
  });

  it('refuse a symbolic link, leaving it and its target as they were', async () => {
    const real = join(dir, 'real.json');
    await writeFile(real, 'kept\n');
    const link = join(dir, 'plan.json');
    await symlink(real, link);
    await expect(writeSavedPlan(link, saved())).rejects.toMatchObject({
      name: 'SavedPlanError',
      problem: 'symbolic-link',
      message: expect.stringContaining(`refusing to write the plan to ${link}: it is a symbolic link`),
    });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(real);
    expect(await readFile(real, 'utf8')).toBe('kept\n');
  });

  it('refuse a missing, corrupt, foreign, other-version or edited file, naming it', async () => {
    const file = join(dir, 'plan.json');
    await expect(readSavedPlan(file)).rejects.toMatchObject({
      name: 'SavedPlanError',
      problem: 'unreadable',
      message: `cannot read the saved plan ${file}: no such file`,
    });
    const refusal = async (content: string) => {
      await writeFile(file, content);
      return readSavedPlan(file).then(
        () => undefined,
        (error: { problem: string; message: string }) => ({ problem: error.problem, message: error.message }),
      );
    };
    expect(await refusal('{"format":')).toEqual({
      problem: 'invalid',
      message: `${file} is not a saved plan of talos-topology (not JSON); plan again with --save`,
    });
    expect(await refusal('{"format":"terraform"}')).toMatchObject({ problem: 'invalid' });
    const good = saved();
    expect(await refusal(JSON.stringify({ ...good, version: 2 }))).toEqual({
      problem: 'other-version',
      message: expect.stringMatching(
        new RegExp(`^${file} was saved in format version 2 by talos-topology .*: plan again$`),
      ),
    });
    expect(await refusal(JSON.stringify({ ...good, sdkVersion: '0.0.1' }))).toMatchObject({ problem: 'other-version' });
    expect(await refusal(JSON.stringify({ ...good, nodes: [{ node: 'unifi' }] }))).toMatchObject({
      problem: 'invalid',
      message: expect.stringContaining('(a node is malformed)'),
    });
    // The plan shown to a person was changed after saving: it no longer matches its fingerprint.
    const edited = { ...good, nodes: [{ ...good.nodes[0]!, plan: createPlan('unifi', []) }] };
    expect(await refusal(JSON.stringify(edited))).toEqual({
      problem: 'invalid',
      message: `${file} is not a saved plan of talos-topology (the plan of unifi was edited); plan again with --save`,
    });
  });
});
