/**
 * Interrupted and concurrent `generate` runs, with the real CLI: a bundle of `src/cli/main.ts` (built like
 * `npm run build` does) runs as a child process and is killed with SIGKILL while it writes.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticTopology } from '../bench/synthetic-topology.js';
import { bundleCli } from '../scripts/bundle-cli.mjs';
import { runCliWith } from './run-cli.js';
import { generate } from '../src/generators/generate.js';
import { findStaleFiles, writeArtifacts } from '../src/generators/output-folder.js';
import { defineTopology } from '../src/models/define.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the synthetic input is edited freely
type Loose = any;

const GUESTS = 1000;
let work: string;
let cli: string;
let previous: string;
let next: string;
/** A file the `next` topology changes, written early in a run (paths are written in sorted order). */
const FIRST_CHANGED = 'proxmox/matrix/lxc-1000.json';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'talos-topology-interrupted-'));
  await bundleCli(join(work, 'cli'));
  cli = join(work, 'cli', 'main.cjs');
  const input = syntheticTopology(GUESTS) as Loose;
  previous = join(work, 'previous.json');
  await writeFile(previous, JSON.stringify(input));
  for (const guest of Object.values(input.guests) as Loose[]) if (guest.type === 'lxc') guest.memory += 512;
  next = join(work, 'next.json');
  await writeFile(next, JSON.stringify(input));
}, 120_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A small seeded generator (mulberry32), so a failing trial can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function spawnGenerate(topology: string, out: string): { child: ChildProcess; exited: Promise<NodeJS.Signals | null> } {
  const child = spawn(process.execPath, [cli, 'generate', topology, '--out', out], { stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_, signal) => resolve(signal)));
  return { child, exited };
}

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return false;
}

async function runInProcess(...argv: string[]): Promise<{ code: number; err: string }> {
  const { code, err } = await runCliWith({}, ...argv);
  return { code, err };
}

/** Temporary files, the journal and the lock: what a run leaves only when it did not finish. */
async function leftovers(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true });
  return entries.filter((name) => /(^|\/)\.talos-topology|\.tmp$/.test(name));
}

describe('generate killed with SIGKILL while it writes', () => {
  const previousSet = () => generate(defineTopology(JSON.parse(String(previousText)) as Loose));
  let previousText: string | undefined;

  it('is recognised as interrupted: regenerating the previous topology succeeds, with no hand edit and no temp files', async () => {
    previousText = await readFile(previous, 'utf8');
    const nextText = await readFile(next, 'utf8');
    const nextFirst = generate(defineTopology(JSON.parse(nextText) as Loose)).artifacts.find(
      (artifact) => artifact.path === FIRST_CHANGED,
    )?.content;
    let interrupted = 0;
    for (const seed of [1, 2, 3]) {
      const out = join(work, `out-${seed}`);
      await writeArtifacts(previousSet(), out);
      const run = spawnGenerate(next, out);
      const writing = await until(
        async () => (await readFile(join(out, FIRST_CHANGED), 'utf8').catch(() => '')) === nextFirst,
        60_000,
      );
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random(seed)() * 20)));
      run.child.kill('SIGKILL');
      if ((await run.exited) === 'SIGKILL' && writing) interrupted++;

      const again = await runInProcess('generate', previous, '--out', out);
      expect(again.err, `seed ${seed}`).not.toContain('edited by hand');
      expect(again.code, `seed ${seed}: ${again.err}`).toBe(0);
      expect(await leftovers(out), `seed ${seed}`).toEqual([]);
      expect(await findStaleFiles(previousSet(), out), `seed ${seed}`).toEqual([]);
    }
    expect(interrupted).toBeGreaterThan(0);
  }, 180_000);
});

describe('two generates into one folder', () => {
  it('refuses the second while the first runs, naming it, and takes over its lock once it was killed', async () => {
    const out = join(work, 'out-lock');
    const first = spawnGenerate(next, out);
    const locked = await until(
      () =>
        stat(join(out, '.talos-topology.lock')).then(
          () => true,
          () => false,
        ),
      60_000,
    );
    expect(locked).toBe(true);
    const second = await runInProcess('generate', '--example', '--out', out);
    expect(second.code).toBe(1);
    expect(second.err).toContain(
      `.talos-topology.lock: another talos-topology generate (process ${first.child.pid} on ${hostname()}) is writing ${out}`,
    );
    first.child.kill('SIGKILL');
    await first.exited;
    const after = await runInProcess('generate', next, '--out', out);
    expect(after.code, after.err).toBe(0);
    expect(await leftovers(out)).toEqual([]);
  }, 120_000);
});
