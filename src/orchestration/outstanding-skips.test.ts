import { describe, expect, it } from 'vitest';
import { createChange, createPlan } from '../plan/change.js';
import type { TargetRun } from './run-all.js';
import { outstandingSkips } from './run-all.js';
import type { TargetApplyResult } from './session.js';

const stack = createChange('hosts', 'stack', 'ct-200:provider-proxmox', 'create');
const adoption = createChange('unifi', 'static-dns', 'omni.spaceships.work A', 'adopt');

function done(id: string, applied: TargetApplyResult['applied'], skipped: TargetApplyResult['skipped']) {
  const target = id === 'omni' ? 'omni' : id === 'hosts' ? 'hosts' : 'unifi';
  return {
    node: { id, target, needs: [] },
    outcome: { status: 'done', value: { plan: createPlan(target, []), applied, skipped } },
  } as TargetRun<TargetApplyResult>;
}

describe('outstandingSkips', () => {
  it('drops a skip a later node of the run applied, and keeps the others', () => {
    const runs = [done('hosts', [], [stack]), done('unifi', [], [adoption]), done('omni', [stack], [])];
    expect(outstandingSkips(runs)).toEqual([adoption]);
    expect(outstandingSkips(runs.slice(0, 2))).toEqual([stack, adoption]);
  });
});
