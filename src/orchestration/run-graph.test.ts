import { describe, expect, it } from 'vitest';
import { runGraph } from './run-graph.js';
import type { TargetNode } from './target-graph.js';
import { targetGraph } from './target-graph.js';

const LAB = targetGraph([
  { target: 'proxmox', clusters: ['matrix'] },
  { target: 'hosts' },
  { target: 'unifi' },
  { target: 'auth0' },
  { target: 'tailscale' },
  { target: 'omni' },
]);

/** Work that records when each node starts and ends, resolving on the next turns of the event loop. */
function recorder(fail: readonly string[] = []) {
  const events: string[] = [];
  let running = 0;
  let most = 0;
  const work = async (node: TargetNode): Promise<string> => {
    events.push(`start ${node.id}`);
    most = Math.max(most, ++running);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running--;
    events.push(`end ${node.id}`);
    if (fail.includes(node.id)) throw new Error(`${node.id} broke`);
    return node.id;
  };
  return { events, work, most: () => most };
}

describe('runGraph', () => {
  it('starts a node only after what it needs, running independent ones side by side up to the bound', async () => {
    const { events, work, most } = recorder();
    const outcomes = await runGraph(LAB, work, { concurrency: 3, followDependencies: true });
    expect(outcomes.every((outcome) => outcome.status === 'done')).toBe(true);
    expect(most()).toBe(3);
    expect(events.slice(0, 3)).toEqual(['start proxmox:matrix', 'start unifi', 'start auth0']);
    expect(events.indexOf('start hosts')).toBeGreaterThan(events.indexOf('end proxmox:matrix'));
    expect(events.indexOf('start omni')).toBeGreaterThan(events.indexOf('end hosts'));
    expect(events.indexOf('start omni')).toBeGreaterThan(events.indexOf('end unifi'));
  });

  it('leaves what depends on a failure not attempted, naming the failure, and finishes the rest', async () => {
    const { events, work } = recorder(['proxmox:matrix']);
    const outcomes = await runGraph(LAB, work, { concurrency: 2, followDependencies: true });
    expect(Object.fromEntries(LAB.map((node, index) => [node.id, outcomes[index]]))).toEqual({
      'proxmox:matrix': { status: 'failed', error: new Error('proxmox:matrix broke') },
      hosts: { status: 'not-attempted', blockedBy: ['proxmox:matrix'] },
      unifi: { status: 'done', value: 'unifi' },
      auth0: { status: 'done', value: 'auth0' },
      tailscale: { status: 'done', value: 'tailscale' },
      omni: { status: 'not-attempted', blockedBy: ['proxmox:matrix'] },
    });
    expect(events).not.toContain('start hosts');
  });

  it('runs every node when dependencies do not gate (plans), even after a failure', async () => {
    const { work, most } = recorder(['proxmox:matrix']);
    const outcomes = await runGraph(LAB, work, { concurrency: 6, followDependencies: false });
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['failed', 'done', 'done', 'done', 'done', 'done']);
    expect(most()).toBe(6);
  });

  it('settles an empty graph', async () => {
    expect(await runGraph([], async () => 1, { concurrency: 3, followDependencies: true })).toEqual([]);
  });
});
