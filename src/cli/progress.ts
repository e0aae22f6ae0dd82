/**
 * Progress of long waits on stderr: while a client waits (a Proxmox task, Omni providers connecting, a cluster
 * becoming ready), one line every few seconds says what it waits for and for how long. Nothing is printed for a wait
 * shorter than the interval, and `--quiet` prints nothing at all.
 *
 * @module
 */
import type { WaitReporter } from '../clients/progress.js';

/** The time and timers the printer uses; tests pass a fake clock. */
export interface ProgressClock {
  /** The current time in milliseconds. */
  now(): number;
  /** Calls `tick` every `ms` milliseconds until cleared; must not keep the process alive. */
  every(ms: number, tick: () => void): { clear(): void };
}

/** Options of {@link createProgressPrinter}. */
export interface ProgressPrinterOptions {
  /** The least time between two lines, in milliseconds. Defaults to 5,000. */
  readonly intervalMs?: number;
  /** Defaults to the real clock, with unref'd timers. */
  readonly clock?: ProgressClock;
}

const realClock: ProgressClock = {
  now: () => Date.now(),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    timer.unref();
    return { clear: () => clearInterval(timer) };
  },
};

/**
 * A wait reporter that prints, every `intervalMs` while waits are open, the most recent one and its elapsed time:
 * `waiting for Proxmox task vzcreate 200 on node pve-1 (15 s)`.
 *
 * @param write - Prints one line (stderr in the CLI).
 * @param options - Interval and clock.
 * @returns The reporter to hand to the clients.
 */
export function createProgressPrinter(
  write: (line: string) => void,
  options: ProgressPrinterOptions = {},
): WaitReporter {
  const intervalMs = options.intervalMs ?? 5_000;
  const clock = options.clock ?? realClock;
  const open: { readonly what: string; readonly started: number }[] = [];
  let timer: { clear(): void } | undefined;
  const tick = (): void => {
    const latest = open.at(-1);
    if (!latest) return;
    const elapsed = clock.now() - latest.started;
    if (elapsed >= intervalMs) write(`waiting for ${latest.what} (${Math.floor(elapsed / 1000)} s)`);
  };
  return (what) => {
    const wait = { what, started: clock.now() };
    open.push(wait);
    timer ??= clock.every(intervalMs, tick);
    return () => {
      const index = open.indexOf(wait);
      if (index >= 0) open.splice(index, 1);
      if (open.length === 0) {
        timer?.clear();
        timer = undefined;
      }
    };
  };
}

/** A wait reporter that prints nothing (`--quiet`). */
export const quietProgress: WaitReporter = () => () => undefined;

/**
 * The wait reporter a command runs with: nothing with `--quiet`, otherwise a printer on the CLI's stderr.
 *
 * @param quiet - `--quiet` was given.
 * @param err - Where progress lines go.
 * @returns The reporter.
 */
export function waitReporterFor(quiet: boolean, err: (line: string) => void): WaitReporter {
  return quiet ? quietProgress : createProgressPrinter(err);
}
