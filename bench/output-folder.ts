// On-disk generate of a 10,000-guest topology (npm run bench): validate + generate in memory, then the same plus
// writeArtifacts into an empty folder, and again when nothing changed. Wall time and the process's CPU time (the
// latter moves less on a shared machine).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineTopology } from '../src/models/define.js';
import { generate } from '../src/generators/generate.js';
import { writeArtifacts } from '../src/generators/output-folder.js';
import { syntheticTopology } from './synthetic-topology.js';

const GUESTS = 10_000;
const RUNS = 3;

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

function median(samples: Sample[], key: keyof Sample): number {
  const sorted = samples.map((sample) => sample[key]).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const input = syntheticTopology(GUESTS);
const rows: Record<string, Sample[]> = {
  'in memory (validate + generate)': [],
  'into an empty folder': [],
  'nothing changed': [],
};
let files = 0;
for (let run = 0; run < RUNS; run++) {
  const base = mkdtempSync(join(tmpdir(), 'talos-topology-bench-'));
  const out = join(base, 'out');
  try {
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
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
console.log('output folder: %d guests (%d files), median of %d runs on Node %s', GUESTS, files, RUNS, process.version);
console.log('                                    wall ms   cpu ms');
for (const [label, samples] of Object.entries(rows)) {
  console.log(
    `  ${label.padEnd(32)} ${median(samples, 'wall').toFixed(0).padStart(7)}  ${median(samples, 'cpu').toFixed(0).padStart(7)}`,
  );
}
