import { describe, expect, it } from 'vitest';
import { createPlan } from '../plan/change.js';
import type { PlanTarget } from '../plan/change.js';
import { DestroyUnsupportedError, destroyAll, planDestroyAll } from './destroy-all.js';
import type { TargetSession } from './session.js';
import type { TargetNode } from './target-graph.js';
import { reverseTargetGraph, targetGraph } from './target-graph.js';

const LAB = targetGraph([
  { target: 'proxmox', clusters: ['matrix'] },
  { target: 'hosts' },
  { target: 'unifi' },
  { target: 'auth0' },
  { target: 'tailscale' },
  { target: 'omni' },
]);
const set = { artifacts: [] };

/** Sessions that record when each node's destroy starts and ends; `fail` throws, `without` has no destroy. */
function sessions(options: { fail?: readonly string[]; without?: readonly string[] } = {}) {
  const events: string[] = [];
  const open = async (node: TargetNode): Promise<TargetSession> => {
    const plan = createPlan(node.target as PlanTarget, []);
    const session: TargetSession = {
      plan: async () => plan,
      apply: async () => ({ plan, applied: [], skipped: [] }),
      close: async () => undefined,
    };
    if (options.without?.includes(node.id)) return session;
    return {
      ...session,
      planDestroy: async () => plan,
      destroy: async () => {
        events.push(`start ${node.id}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push(`end ${node.id}`);
        if (options.fail?.includes(node.id)) throw new Error(`${node.id} broke`);
        return { plan, applied: [], skipped: [] };
      },
    };
  };
  return { events, open };
}

describe('destroy across targets', () => {
  it('turns the graph around: each node waits for the nodes that needed it', () => {
    expect(reverseTargetGraph(LAB).map((node) => [node.id, node.needs])).toEqual([
      ['omni', []],
      ['tailscale', []],
      ['auth0', []],
      ['unifi', ['omni']],
      ['hosts', ['omni']],
      ['proxmox:matrix', ['hosts']],
    ]);
  });

  it('destroys Omni before the hosts and UniFi, and the hosts before Proxmox', async () => {
    const { events, open } = sessions();
    const runs = await destroyAll(LAB, { set, open, concurrency: 3 });
    expect(runs.map((run) => [run.node.id, run.outcome.status])).toEqual([
      ['omni', 'done'],
      ['tailscale', 'done'],
      ['auth0', 'done'],
      ['unifi', 'done'],
      ['hosts', 'done'],
      ['proxmox:matrix', 'done'],
    ]);
    expect(events.indexOf('start hosts')).toBeGreaterThan(events.indexOf('end omni'));
    expect(events.indexOf('start unifi')).toBeGreaterThan(events.indexOf('end omni'));
    expect(events.indexOf('start proxmox:matrix')).toBeGreaterThan(events.indexOf('end hosts'));
  });

  it('leaves what a failure protects not attempted, and finishes the rest', async () => {
    const { events, open } = sessions({ fail: ['omni'] });
    const runs = await destroyAll(LAB, { set, open });
    expect(Object.fromEntries(runs.map((run) => [run.node.id, run.outcome.status]))).toEqual({
      omni: 'failed',
      tailscale: 'done',
      auth0: 'done',
      unifi: 'not-attempted',
      hosts: 'not-attempted',
      'proxmox:matrix': 'not-attempted',
    });
    expect(runs.at(-1)!.outcome).toEqual({ status: 'not-attempted', blockedBy: ['omni'] });
    expect(events).not.toContain('start proxmox:matrix');
  });

  it('reports a target without destroy as such, in the plan and in the destroy', async () => {
    const { open } = sessions({ without: ['hosts'] });
    const plans = await planDestroyAll(LAB, { set, open });
    const hosts = plans.find((run) => run.node.id === 'hosts')!.outcome;
    expect(hosts.status).toBe('failed');
    expect(hosts.status === 'failed' && hosts.error).toBeInstanceOf(DestroyUnsupportedError);
    expect(plans.filter((run) => run.outcome.status === 'done')).toHaveLength(5);

    const runs = await destroyAll(LAB, { set, open });
    expect(runs.find((run) => run.node.id === 'proxmox:matrix')!.outcome).toEqual({
      status: 'not-attempted',
      blockedBy: ['hosts'],
    });
  });
});
