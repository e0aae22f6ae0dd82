/**
 * The seed lab (`examples/spaceships`) applied from empty by the built CLI (`apply --yes`, no `--target`) against
 * every emulator with 20 ms injected on every request, SSH command and SFTP request, and on every Proxmox task. Prints
 * the wall time, each target's round trips (from the emulators' logs) and the critical path, and compares the wall
 * time with its target: 1.5 x the critical path's round trips x 20 ms.
 *
 * The critical path is derived from what the emulators saw, in two steps:
 * 1. A target's sequential round trips: the longest chain of its round trips in which each one started after the one
 *    before it had answered (intervals from arrival to answer at the emulator; overlapping requests are one step).
 *    This is the number of latencies the target had to wait one after the other, however many requests it sent.
 * 2. The critical path: the longest chain through the target graph (`TARGET_DEPENDENCIES`), adding up each target's
 *    sequential round trips.
 * The CLI runs as a user's shell runs it, with a home folder of its own (where it keeps the code cache of its command
 * scripts, `src/cli/command-script.ts`), and `plan` first, as a user plans before applying: the apply is measured with
 * the cache that plan left. `BENCH_COLD=1` measures the first run after an install instead: no plan, an empty home.
 *
 * Each of `BENCH_RUNS` runs (5 by default) starts a fresh lab and home folder; the figure to compare with the target is
 * the median, since the machine's own speed drifts from one run to the next.
 *
 * Run with `npm run build && node --import tsx bench/lab-apply.ts`. With `BENCH_TIMELINE=1` it also prints the longest
 * chain of round trips the run waited for, across every emulator, with what each was, the time between the previous
 * answer and it (the CLI's own work, or the emulator's for a simulated provider) and its time over the latency (the
 * emulator's work): where the wall time beyond the latency goes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PlanTarget } from '../src/plan/change.js';
import { TARGET_DEPENDENCIES, TARGET_ORDER } from '../src/orchestration/target-graph.js';
import type { RoundTrip } from '../src/testing/round-trips.js';
import { longestRoundTripChain, sequentialRoundTrips } from '../src/testing/round-trips.js';
import { runBuiltCli } from '../test/built-cli.js';
import type { EmulatedLab } from '../test/lab-fixtures.js';
import { startEmulatedLab } from '../test/lab-fixtures.js';

const LATENCY_MS = 20;

/** The longest chain through the target graph ending at `target`, with the targets on it. */
function criticalPath(
  target: PlanTarget,
  weight: Readonly<Record<PlanTarget, number>>,
): { roundTrips: number; targets: PlanTarget[] } {
  const before = TARGET_DEPENDENCIES[target]
    .map((dependency) => criticalPath(dependency.on, weight))
    .reduce((best, path) => (path.roundTrips > best.roundTrips ? path : best), { roundTrips: 0, targets: [] });
  return { roundTrips: before.roundTrips + weight[target], targets: [...before.targets, target] };
}

/** The longest chain of round trips across every emulator, each with its gap before it and its time over latency. */
function printTimeline(logs: ReturnType<EmulatedLab['roundTrips']>, start: number, wallMs: number): void {
  const targetOf = new Map<RoundTrip, PlanTarget>();
  for (const target of TARGET_ORDER)
    for (const log of logs[target]) for (const trip of log.trips) targetOf.set(trip, target);
  const chain = longestRoundTripChain([...targetOf.keys()]);
  console.log(`\nlongest chain of round trips, ${chain.length} (ms after the start; gap = since the previous answer):`);
  let previous = start;
  let gaps = 0;
  let over = 0;
  for (const trip of chain) {
    const gap = trip.startedAt - previous;
    const extra = trip.endedAt - trip.startedAt - LATENCY_MS;
    [gaps, over, previous] = [gaps + gap, over + extra, trip.endedAt];
    const when = `${(trip.startedAt - start).toFixed(0).padStart(5)} ${(trip.endedAt - start).toFixed(0).padStart(5)}`;
    const label = (trip.label ?? '').split('\n')[0]!.slice(0, 90);
    console.log(
      `${when}  gap ${gap.toFixed(0).padStart(3)}  over ${extra.toFixed(0).padStart(3)}  ${targetOf.get(trip)!.padEnd(9)} ${label}`,
    );
  }
  const after = start + wallMs - previous;
  console.log(
    `latency ${chain.length * LATENCY_MS} ms + gaps ${gaps.toFixed(0)} ms + over ${over.toFixed(0)} ms + after the last ` +
      `answer ${after.toFixed(0)} ms = ${wallMs.toFixed(0)} ms`,
  );
}

/** What one run measured. */
interface LabRun {
  readonly wallMs: number;
  readonly pathMs: number;
}

/**
 * Starts a fresh lab and a fresh home folder, plans (unless cold), applies, prints what it measured, and closes both.
 *
 * @param run - The run's number, from 1.
 * @param cold - Whether to measure the first run after an install (no plan, an empty home).
 * @returns The wall time and the critical path.
 */
async function measureOnce(run: number, cold: boolean): Promise<LabRun> {
  const home = await mkdtemp(join(tmpdir(), 'lab-apply-home-'));
  const lab = await startEmulatedLab({ latencyMs: LATENCY_MS, taskDurationMs: 0 });
  const runCli = async (argv: readonly string[]): Promise<void> => {
    const result = await runBuiltCli([...argv, '--out', lab.out, '--no-color'], { ...lab.env, HOME: home });
    if (result.code !== 0) throw new Error(`${argv[0]} exited ${result.code}:\n${result.out}\n${result.err}`);
  };
  try {
    if (!cold) {
      await runCli(['plan']);
      for (const logs of Object.values(lab.roundTrips())) for (const log of logs) log.reset();
    }
    const start = performance.now();
    await runCli(['apply', '--yes', ...lab.secretFlags]);
    const wallMs = performance.now() - start;

    const logs = lab.roundTrips();
    const total = {} as Record<PlanTarget, number>;
    const sequential = {} as Record<PlanTarget, number>;
    const span = {} as Record<PlanTarget, { from: number; to: number }>;
    for (const target of TARGET_ORDER) {
      const trips = logs[target].flatMap((log) => log.trips);
      total[target] = logs[target].reduce((sum, log) => sum + log.count, 0);
      sequential[target] = sequentialRoundTrips(trips);
      span[target] = {
        from: Math.min(...trips.map((trip) => trip.startedAt)) - start,
        to: Math.max(...trips.map((trip) => trip.endedAt)) - start,
      };
    }
    const firstRequest = Math.min(...TARGET_ORDER.map((target) => span[target].from));
    const path = TARGET_ORDER.map((target) => criticalPath(target, sequential)).reduce((best, candidate) =>
      candidate.roundTrips > best.roundTrips ? candidate : best,
    );
    const pathMs = path.roundTrips * LATENCY_MS;

    console.log(`\nrun ${run}: CLI start to its first request ${firstRequest.toFixed(0)} ms`);
    console.log('target     round trips  sequential  x 20 ms  first to last request (ms after the start)');
    for (const target of TARGET_ORDER) {
      const { from, to } = span[target];
      const cells = [String(total[target]).padStart(11), String(sequential[target]).padStart(10)];
      console.log(
        `${target.padEnd(10)} ${cells.join('  ')}  ${String(sequential[target] * LATENCY_MS).padStart(7)}  ` +
          `${(to - from).toFixed(0)} (${from.toFixed(0)} to ${to.toFixed(0)})`,
      );
    }
    console.log(
      `critical path: ${path.targets.join(' -> ')}, ${path.roundTrips} sequential round trips = ${pathMs} ms`,
    );
    console.log(`wall time: ${(wallMs / 1000).toFixed(2)} s = ${(wallMs / pathMs).toFixed(2)} x the critical path`);
    if (process.env['BENCH_TIMELINE']) printTimeline(logs, start, wallMs);
    return { wallMs, pathMs };
  } finally {
    await lab.close();
    await rm(home, { recursive: true, force: true });
  }
}

const cold = Boolean(process.env['BENCH_COLD']);
const runs = Number(process.env['BENCH_RUNS'] ?? 5);
const after = cold ? 'the first run after an install (BENCH_COLD)' : 'after a plan';
console.log(`seed lab applied from empty, ${after}, ${LATENCY_MS} ms on every request and Proxmox task, ${runs} runs`);
const measured: LabRun[] = [];
for (let run = 1; run <= runs; run++) measured.push(await measureOnce(run, cold));
const ratios = measured.map((run) => run.wallMs / run.pathMs).sort((a, b) => a - b);
const walls = measured.map((run) => run.wallMs / 1000).sort((a, b) => a - b);
const median = (values: number[]): number => values[Math.floor(values.length / 2)]!;
console.log(
  `\nwall time over ${runs} runs: ${walls[0]!.toFixed(2)}-${walls.at(-1)!.toFixed(2)} s, median ${median(walls).toFixed(2)} s` +
    ` = ${median(ratios).toFixed(2)} x the critical path (${ratios[0]!.toFixed(2)}-${ratios.at(-1)!.toFixed(2)} x; target 1.5 x)`,
);
