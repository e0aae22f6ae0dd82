// On-disk generate of a 10,000-guest topology (npm run bench): validate + generate in memory, then the same plus
// writeArtifacts into an empty folder, and again when nothing changed; and, as the floor the file system sets, the same
// files written with nothing but a temporary file and a rename each. Wall time and the process's CPU time (the latter
// moves less on a shared machine); the median of RUNS runs and the range.
//
// Every folder stays until the last run is measured: on ext4 without a journal (this project's CI VM) the kernel skips
// inodes freed in the last 60 s (300 s while their table block is dirty) on every file it creates, scanning them one by
// one from the start of the block group (fs/ext4/ialloc.c, recently_deleted() called from find_inode_bit()), so
// creating 10,000 files right after deleting 10,000 costs several seconds of kernel time that no writer can avoid.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defineTopology } from '../src/models/define.js';
import type { ArtifactSet } from '../src/generators/artifact.js';
import { currentArtifactPaths } from '../src/generators/current-by-manifest.js';
import { generate } from '../src/generators/generate.js';
import { writeArtifacts } from '../src/generators/output-folder.js';
import { checkTopology } from '../src/rules/index.js';
import { syntheticTopology } from './synthetic-topology.js';

const GUESTS = 10_000;
const RUNS = 5;

interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

async function measure(run: () => Promise<void>): Promise<Sample> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - start, cpu: (used.user + used.system) / 1000 };
}

/** The median and the range of one measure, e.g. `1234 (1100-1500)`. */
function summary(samples: Sample[], key: keyof Sample): string {
  const sorted = samples.map((sample) => sample[key]).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return `${median.toFixed(0)} (${(sorted[0] ?? 0).toFixed(0)}-${(sorted.at(-1) ?? 0).toFixed(0)})`;
}

/** The file system's floor: each file through a temporary file and a rename, each folder made once, nothing else. */
function writePlainly(set: ArtifactSet, out: string): void {
  const folders = new Set<string>();
  for (const artifact of set.artifacts) {
    const file = join(out, artifact.path);
    const folder = dirname(file);
    if (!folders.has(folder)) mkdirSync(folder, { recursive: true });
    folders.add(folder);
    writeFileSync(`${file}.tmp`, artifact.content, { flag: 'wx' });
    renameSync(`${file}.tmp`, file);
  }
}

const input = syntheticTopology(GUESTS);
const rows: Record<string, Sample[]> = {
  'in memory (validate + generate)': [],
  'into an empty folder': [],
  'nothing changed': [],
  'nothing changed, as generate runs': [],
  'file system floor (writes only)': [],
};
let files = 0;
const bases: string[] = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const base = mkdtempSync(join(tmpdir(), 'talos-topology-bench-'));
    bases.push(base);
    const out = join(base, 'out');
    rows['in memory (validate + generate)']!.push(await measure(async () => void generate(defineTopology(input))));
    rows['into an empty folder']!.push(
      await measure(async () => void (await writeArtifacts(generate(defineTopology(input)), out))),
    );
    rows['nothing changed']!.push(
      await measure(async () => {
        const result = generate(defineTopology(input));
        files = result.artifacts.length;
        if ((await writeArtifacts(result, out)).written.length > 0) throw new Error('the second run wrote files');
      }),
    );
    // What `talos-topology generate` does when nothing changed: validate, then the manifest vouches for the folder
    // (this input's digest, this SDK version, every file's hash), so nothing is generated or written; the rules run
    // for their warnings.
    rows['nothing changed, as generate runs']!.push(
      await measure(async () => {
        const topology = defineTopology(input);
        if (!(await currentArtifactPaths(topology, {}, out)))
          throw new Error('the manifest did not vouch for the folder');
        checkTopology(topology);
      }),
    );
    const set = generate(defineTopology(input));
    rows['file system floor (writes only)']!.push(await measure(async () => writePlainly(set, join(base, 'plain'))));
  }
} finally {
  for (const base of bases) rmSync(base, { recursive: true, force: true });
}
console.log(
  'output folder: %d guests (%d files) in %s, median (range) of %d runs on Node %s',
  GUESTS,
  files,
  tmpdir(),
  RUNS,
  process.version,
);
console.log('                                     wall ms             cpu ms');
for (const [label, samples] of Object.entries(rows)) {
  console.log(`  ${label.padEnd(33)} ${summary(samples, 'wall').padEnd(20)}${summary(samples, 'cpu')}`);
}
