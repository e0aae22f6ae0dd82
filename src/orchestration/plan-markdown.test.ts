import { describe, expect, it } from 'vitest';
import { createChange, createPlan } from '../plan/change.js';
import type { Plan } from '../plan/change.js';
import { formatPlanMarkdown } from './plan-markdown.js';
import type { ReportWords } from './report.js';
import type { TargetRun } from './run-all.js';
import { targetGraph } from './target-graph.js';

const WORDS: ReportWords = {
  plan: (plan) => plan,
  change: (change) => change,
  error: (error) => (error as Error).message,
  color: true,
};
const [proxmox, omni] = targetGraph([{ target: 'proxmox', clusters: ['matrix'] }, { target: 'omni' }]);

describe('formatPlanMarkdown', () => {
  it('gives a failed plan its first line as the summary and the whole message as the body', () => {
    const plan = createPlan('omni', [
      createChange('omni', 'MachineClass', 'matrix-worker', 'create', [{ path: 'spec.cores', after: 4 }]),
    ]);
    const runs: TargetRun<Plan>[] = [
      { node: proxmox!, outcome: { status: 'failed', error: new Error('PROXMOX_URL refused\nsecond line') } },
      { node: omni!, outcome: { status: 'done', value: plan } },
    ];
    const markdown = formatPlanMarkdown({ leftOut: [{ target: 'unifi', reason: 'no-artifacts' }] }, runs, WORDS);
    expect(markdown).toMatch(/^### talos-topology plan \(proxmox:matrix, omni\): 1 to create, .*; 1 plan failed$/m);
    expect(markdown).toContain('- left out: unifi: no artifacts in the output folder');
    expect(markdown).toContain(
      '<details><summary><strong>proxmox:matrix</strong>: plan failed: PROXMOX_URL refused ...</summary>',
    );
    expect(markdown).toContain('```text\nplan failed: PROXMOX_URL refused\nsecond line\n```');
    expect(markdown).toContain(
      '<summary><strong>omni</strong>: 1 to create, 0 to update, 0 to delete, 0 unchanged (after proxmox:matrix)</summary>',
    );
    expect(markdown).toContain('    + matrix-worker\n        spec.cores: (absent) -> 4');
    // The front end asked for colour; markdown has none.
    expect(markdown).not.toContain('\u001b');
  });
});
