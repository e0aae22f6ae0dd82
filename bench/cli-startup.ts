// Wall time of whole CLI runs against a bare `node -e 0`, side by side (npm run build first): the commands run in
// turn within each round, so a busy machine slows them alike, and the ratios are of medians over the rounds. On the
// Node running the bench and, when `npx -y node@24` can provide it, on Node 24 (BENCH_NODES="path path" overrides).
// Every process runs with `PATH` and `HOME` alone in its environment (see ENV). `validate`, `generate` and `check` are
// measured twice: as they run again on an unchanged topology and folder (answered from the record of their last
// verdict, src/cli/verdict-record.ts), and with TALOS_TOPOLOGY_REVERIFY=1, doing their work as on a first run.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli/main.cjs', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);

/**
 * The one environment every measured process gets: `PATH`, and `HOME` for the CLI's per-user compile cache. The
 * bench's own environment may hold variables that change Node's start-up for the bare start and the CLI alike, and so
 * hide the CLI's own share: Node 20 reads the file `NODE_EXTRA_CA_CERTS` names while it starts (55 ms for Debian's
 * bundle, measured here, against a 31 ms start without it), and `NODE_OPTIONS` can preload anything.
 */
const ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

/** {@link ENV} with the records of verdicts turned off. */
const REVERIFY_ENV = { ...ENV, TALOS_TOPOLOGY_REVERIFY: '1' };

/** A file changed less than this before a run is not recorded (`SAME_TICK_MARGIN_MS`, with room to spare). */
const SETTLE_MS = 2500;

/** The Node binaries to compare: this one, and Node 24 through npx when it differs. */
function nodes(): string[] {
  if (process.env.BENCH_NODES) return process.env.BENCH_NODES.split(' ').filter(Boolean);
  const found = [process.execPath];
  try {
    const node24 = execFileSync('npx', ['-y', 'node@24', '-p', 'process.execPath'], { encoding: 'utf8' }).trim();
    if (node24 && node24 !== process.execPath) found.push(node24);
  } catch {
    console.log('  (node@24 not available through npx: measuring %s only)', process.version);
  }
  return found;
}

/** The built-in example: `--example` where the CLI has that flag, else the CLI's default. */
function seedArgs(node: string): string[] {
  const probe = spawnSync(node, [cli, 'validate', '--example'], { stdio: 'ignore', env: ENV });
  return probe.status === 0 ? ['--example'] : [];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

for (const node of nodes()) {
  const version = execFileSync(node, ['-p', 'process.version'], { encoding: 'utf8' }).trim();
  const out = mkdtempSync(join(tmpdir(), 'talos-topology-bench-'));
  const seed = seedArgs(node);
  const seeded: [string, string[]][] = [
    ['validate (built-in example)', [cli, 'validate', ...seed]],
    ['generate --out (built-in example)', [cli, 'generate', ...seed, '--out', out]],
    ['check --out (built-in example)', [cli, 'check', ...seed, '--out', out]],
  ];
  const runs: [string, string[], NodeJS.ProcessEnv][] = [
    ['node -e 0 (bare start)', ['-e', '0'], ENV],
    ['--help', [cli, '--help'], ENV],
    ['--version', [cli, '--version'], ENV],
    ...seeded.map(([label, args]): [string, string[], NodeJS.ProcessEnv] => [label, args, ENV]),
    ...seeded.map(([label, args]): [string, string[], NodeJS.ProcessEnv] => [`${label}, verified`, args, REVERIFY_ENV]),
  ];
  // The folder, generated before the rounds as a working copy's would have been, then one unmeasured round, which
  // warms the disk cache and Node's compile cache (where the runtime has one) and records the verdicts.
  spawnSync(node, [cli, 'generate', ...seed, '--out', out], { stdio: 'ignore', env: ENV });
  await sleep(SETTLE_MS);
  for (const [, args, env] of runs) spawnSync(node, args, { stdio: 'ignore', env });
  const samples = runs.map((): number[] => []);
  for (let round = 0; round < ROUNDS; round++) {
    runs.forEach(([label, args, env], index) => {
      const start = performance.now();
      const result = spawnSync(node, args, { stdio: 'ignore', env });
      samples[index]!.push(performance.now() - start);
      if (result.status !== 0) throw new Error(`${label} exited ${result.status} on Node ${version}`);
    });
  }
  const bare = median(samples[0]!);
  console.log('cli on Node %s: median of %d interleaved rounds', version, ROUNDS);
  runs.forEach(([label], index) => {
    const time = median(samples[index]!);
    console.log(`  ${label.padEnd(46)} ${time.toFixed(0).padStart(5)} ms   ${(time / bare).toFixed(2)}x`);
  });
  rmSync(out, { recursive: true, force: true });
}
