// Wall time of whole CLI runs (start-up dominates a CLI): the built bundle, built-in example (npm run build first).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'talos-topology-bench-'));
const RUNS = 15;

function time(args: string[]): number {
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    execFileSync(process.execPath, [cli, ...args], { stdio: 'ignore' });
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(RUNS / 2)] ?? 0;
}

const baseline = time(['--help']);
console.log('cli: median of %d runs on Node %s', RUNS, process.version);
console.log(`  node + CLI bundle (--help)        ${baseline.toFixed(0).padStart(5)} ms`);
console.log(`  validate (built-in example)       ${time(['validate']).toFixed(0).padStart(5)} ms`);
console.log(`  generate --out (built-in example) ${time(['generate', '--out', out]).toFixed(0).padStart(5)} ms`);
console.log(`  check --out (built-in example)    ${time(['check', '--out', out]).toFixed(0).padStart(5)} ms`);
const bare = [] as number[];
for (let run = 0; run < RUNS; run++) {
  const start = performance.now();
  execFileSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  bare.push(performance.now() - start);
}
console.log(
  `  node -e '' (for comparison)       ${(bare.sort((a, b) => a - b)[Math.floor(RUNS / 2)] ?? 0).toFixed(0).padStart(5)} ms`,
);
rmSync(out, { recursive: true, force: true });
