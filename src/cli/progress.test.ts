import { describe, expect, it } from 'vitest';
import type { ProgressClock } from './progress.js';
import { createProgressPrinter } from './progress.js';

/** A clock that moves only when told, firing the interval timers it passes. */
function fakeClock(): ProgressClock & { advance(ms: number): void; timers: number } {
  let now = 0;
  const timers = new Set<{ ms: number; next: number; tick: () => void }>();
  return {
    now: () => now,
    every: (ms, tick) => {
      const timer = { ms, next: now + ms, tick };
      timers.add(timer);
      return { clear: () => timers.delete(timer) };
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers].filter((timer) => timer.next <= end).sort((a, b) => a.next - b.next)[0];
        if (!due) break;
        now = due.next;
        due.next += due.ms;
        due.tick();
      }
      now = end;
    },
    get timers() {
      return timers.size;
    },
  };
}

describe('createProgressPrinter', () => {
  it('prints what it waits for and the elapsed time every interval, nothing for a short wait', () => {
    const clock = fakeClock();
    const lines: string[] = [];
    const onWait = createProgressPrinter((line) => lines.push(line), { clock, intervalMs: 5_000 });

    const short = onWait('Proxmox task vzcreate 200 on node pve-1');
    clock.advance(4_000);
    short();
    clock.advance(10_000);
    expect(lines).toEqual([]);
    expect(clock.timers).toBe(0);

    const long = onWait('cluster talos-prod to be ready');
    clock.advance(16_000);
    expect(lines).toEqual([
      'waiting for cluster talos-prod to be ready (5 s)',
      'waiting for cluster talos-prod to be ready (10 s)',
      'waiting for cluster talos-prod to be ready (15 s)',
    ]);
    long();
    clock.advance(20_000);
    expect(lines).toHaveLength(3);
    expect(clock.timers).toBe(0);
  });

  it('reports the innermost open wait, at most once per interval', () => {
    const clock = fakeClock();
    const lines: string[] = [];
    const onWait = createProgressPrinter((line) => lines.push(line), { clock, intervalMs: 5_000 });
    const outer = onWait('infra providers proxmox to connect');
    clock.advance(2_000);
    const inner = onWait('Proxmox task qmcreate 101 on node pve-1');
    clock.advance(8_000);
    // At 5 s the inner wait was 3 s old (too young); at 10 s it was 8 s old.
    expect(lines).toEqual(['waiting for Proxmox task qmcreate 101 on node pve-1 (8 s)']);
    inner();
    clock.advance(5_000);
    expect(lines.at(-1)).toBe('waiting for infra providers proxmox to connect (15 s)');
    outer();
    expect(clock.timers).toBe(0);
  });
});
