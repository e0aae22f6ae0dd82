import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  renameSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryFolders } from '../../test/temporary-folders.js';
import type { CacheSurroundings } from './compile-cache.js';
import { SAME_TICK_MARGIN_MS } from './file-signature.js';
import type { RecordedVerdict, VerdictRecordRequest } from './verdict-record.js';
import { VerdictRecord } from './verdict-record.js';

const folder = temporaryFolders();
const posix = process.platform !== 'win32';

const WARNING = {
  path: 'providers.proxmox.version',
  rule: 'image-pinned',
  message: 'unpinned',
  severity: 'warning',
  line: 3,
  column: 5,
} as const;

/** A lab: a topology file with a key file it references, an output folder with a subfolder, and a cache home. */
function lab() {
  const root = folder('verdict-record-');
  const topologyFile = join(root, 'topology.yaml');
  const keyFile = join(root, 'admin.pub');
  writeFileSync(topologyFile, 'name: lab\n');
  writeFileSync(keyFile, 'ssh-ed25519 AAAA admin\n');
  const out = join(root, 'out');
  mkdirSync(join(out, 'omni'), { recursive: true });
  writeFileSync(join(out, 'omni', 'cluster.yaml'), 'kind: Cluster\n');
  writeFileSync(join(out, 'manifest.json'), '{}\n');
  // Whole seconds, which `utimes` can put back exactly (a time the kernel stamps has nanoseconds a double cannot hold).
  const longAgo = Math.floor(Date.now() / 1000) - 86_400;
  for (const file of [topologyFile, keyFile, join(out, 'omni', 'cluster.yaml'), join(out, 'manifest.json')]) {
    utimesSync(file, longAgo, longAgo);
  }
  const surroundings: CacheSurroundings = {
    env: { XDG_CACHE_HOME: join(root, 'cache') },
    platform: 'linux',
    home: root,
    uid: process.geteuid?.(),
  };
  const verdict: RecordedVerdict = {
    source: 'topology.yaml',
    example: false,
    paths: ['manifest.json', 'omni/cluster.yaml'],
    warnings: [WARNING],
  };
  // Files written just now count as settled for a run that starts a margin later.
  const request = (more: Partial<VerdictRecordRequest> = {}): VerdictRecordRequest => ({
    command: 'check',
    build: 'a'.repeat(64),
    topologyFile,
    out,
    skipRules: [],
    surroundings,
    startedAt: Date.now() + SAME_TICK_MARGIN_MS + 1000,
    ...more,
  });
  const recorded = (more: Partial<VerdictRecordRequest> = {}): VerdictRecord => {
    const record = new VerdictRecord(request(more));
    record.remember([topologyFile, keyFile], verdict);
    return record;
  };
  return { root, topologyFile, keyFile, out, surroundings, verdict, request, recorded };
}

/**
 * Rewrites a file with other bytes of the same length, and puts its modification time back. First it waits out the
 * file system's clock tick (10 ms at most on Linux, HZ=100): the test's record treats the file as settled long ago,
 * which a file written within the same tick is not (the margin a real run keeps).
 */
function rewriteKeepingTimes(file: string, content: string): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
  const { atime, mtime, size } = statSync(file);
  expect(Buffer.byteLength(content)).toBe(size);
  writeFileSync(file, content);
  utimesSync(file, atime, mtime);
}

describe('VerdictRecord', () => {
  it('gives the recorded verdict back while nothing it rests on changed', () => {
    const { recorded, request, verdict } = lab();
    recorded();
    expect(new VerdictRecord(request()).lookup()).toEqual(verdict);
  });

  it('keeps the record 0600 in a 0700 folder of the per-user cache', () => {
    const { recorded, root } = lab();
    recorded();
    const cache = join(root, 'cache', 'talos-topology', 'verdicts');
    const [file] = readdirSync(cache);
    expect(file).toMatch(/^check-[0-9a-f]{8}\.json$/);
    if (posix) {
      expect(statSync(cache).mode & 0o777).toBe(0o700);
      expect(statSync(join(cache, file!)).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(join(cache, file!), 'utf8')).not.toContain('ssh-ed25519');
  });

  it('answers nothing once a file of the folder has other bytes, even with its size and modification time put back', () => {
    const { recorded, request, out } = lab();
    recorded();
    rewriteKeepingTimes(join(out, 'omni', 'cluster.yaml'), 'kind: Clustex\n');
    expect(new VerdictRecord(request()).lookup()).toBeUndefined();
  });

  it('answers nothing once the topology, or a file it references, changed', () => {
    const first = lab();
    first.recorded();
    rewriteKeepingTimes(first.topologyFile, 'name: lax\n');
    expect(new VerdictRecord(first.request()).lookup()).toBeUndefined();

    const second = lab();
    second.recorded();
    rewriteKeepingTimes(second.keyFile, 'ssh-ed25519 AAAA adnin\n');
    expect(new VerdictRecord(second.request()).lookup()).toBeUndefined();
  });

  it('answers nothing once a file of the folder is missing or replaced, or a subfolder is a link', () => {
    const removed = lab();
    removed.recorded();
    rmSync(join(removed.out, 'manifest.json'));
    expect(new VerdictRecord(removed.request()).lookup()).toBeUndefined();

    const linked = lab();
    linked.recorded();
    renameSync(join(linked.out, 'omni'), join(linked.root, 'moved'));
    symlinkSync(join(linked.root, 'moved'), join(linked.out, 'omni'));
    // The files behind the link are the very files recorded; the folder is not.
    expect(new VerdictRecord(linked.request()).lookup()).toBeUndefined();
  });

  it('answers nothing while a run holds the folder or left a journal', () => {
    for (const bookkeeping of ['.talos-topology.lock', '.talos-topology.journal.json']) {
      const { recorded, request, out } = lab();
      recorded();
      writeFileSync(join(out, bookkeeping), '');
      expect(new VerdictRecord(request()).lookup()).toBeUndefined();
    }
  });

  it('is one per command, build, topology, folder and skipped rules', () => {
    const { recorded, request, verdict } = lab();
    recorded();
    expect(new VerdictRecord(request({ build: 'b'.repeat(64) })).lookup()).toBeUndefined();
    expect(new VerdictRecord(request({ command: 'generate' })).lookup()).toBeUndefined();
    expect(new VerdictRecord(request({ skipRules: ['image-pinned'] })).lookup()).toBeUndefined();
    expect(new VerdictRecord(request({ out: folder('another-out-') })).lookup()).toBeUndefined();
    // The same file named another way is another record: the verdict names the file as it was typed.
    const sameFile = `${dirname(request().topologyFile!)}/./topology.yaml`;
    expect(new VerdictRecord(request({ topologyFile: sameFile })).lookup()).toBeUndefined();
    recorded({ skipRules: ['image-pinned', 'image-pinned'] });
    expect(new VerdictRecord(request({ skipRules: ['image-pinned'] })).lookup()).toEqual(verdict);
  });

  it('records nothing changed within the margin before the run started', () => {
    const { request, topologyFile, keyFile, verdict } = lab();
    new VerdictRecord(request({ startedAt: Date.now() })).remember([topologyFile, keyFile], verdict);
    expect(new VerdictRecord(request()).lookup()).toBeUndefined();
  });

  it('records what validate found without an output folder', () => {
    const { request, topologyFile } = lab();
    const verdict = { source: 'topology.yaml', example: false, paths: [], warnings: [] };
    const validate = { command: 'validate', out: undefined } as const;
    new VerdictRecord(request(validate)).remember([topologyFile], verdict);
    expect(new VerdictRecord(request(validate)).lookup()).toEqual(verdict);
  });

  it('ignores a record it cannot read, and one in a folder others may write', () => {
    const { recorded, request, root } = lab();
    recorded();
    const cache = join(root, 'cache', 'talos-topology', 'verdicts');
    const file = join(cache, readdirSync(cache)[0]!);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"warning"', '"loud"'));
    expect(new VerdictRecord(request()).lookup()).toBeUndefined();
    writeFileSync(file, '{');
    expect(new VerdictRecord(request()).lookup()).toBeUndefined();
    if (posix) {
      writeFileSync(file, text);
      chmodSync(cache, 0o770);
      expect(new VerdictRecord(request()).lookup()).toBeUndefined();
      chmodSync(cache, 0o700);
      expect(new VerdictRecord(request()).lookup()).toBeDefined();
    }
  });
});
