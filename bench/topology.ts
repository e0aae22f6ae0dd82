// Validation and generation time and memory for synthetic topologies of growing size (npm run bench).
import { defineTopology } from '../src/models/define.js';
import { generate } from '../src/generators/generate.js';
import { syntheticTopology } from './synthetic-topology.js';

const SIZES = [100, 1_000, 10_000];
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

console.log('topology: median of %d runs on Node %s', RUNS, process.version);
console.log('guests   validate ms   generate ms   total ms   artifacts   heap MB');
for (const size of SIZES) {
  const input = syntheticTopology(size);
  defineTopology(input);
  const validate: number[] = [];
  const build: number[] = [];
  let artifacts = 0;
  let heap = 0;
  for (let run = 0; run < RUNS; run++) {
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const topology = defineTopology(input);
    const t1 = performance.now();
    const result = generate(topology);
    const t2 = performance.now();
    heap = Math.max(heap, (process.memoryUsage().heapUsed - before) / 1024 / 1024);
    validate.push(t1 - t0);
    build.push(t2 - t1);
    artifacts = result.artifacts.length;
  }
  const v = median(validate);
  const g = median(build);
  console.log(
    `${String(size).padStart(6)}   ${v.toFixed(1).padStart(11)}   ${g.toFixed(1).padStart(11)}   ${(v + g).toFixed(1).padStart(8)}   ${String(artifacts).padStart(9)}   ${heap.toFixed(1).padStart(7)}`,
  );
}
