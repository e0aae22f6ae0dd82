import { describe, expect, it } from 'vitest';
import { TARGET_DEPENDENCIES, TARGET_ORDER, targetGraph } from './target-graph.js';

describe('targetGraph', () => {
  it('lists every prerequisite before the targets that need it', () => {
    for (const target of TARGET_ORDER) {
      for (const dependency of TARGET_DEPENDENCIES[target]) {
        expect(TARGET_ORDER.indexOf(dependency.on)).toBeLessThan(TARGET_ORDER.indexOf(target));
      }
    }
  });

  it('makes one node per Proxmox cluster, which the hosts need, and orders the rest', () => {
    const nodes = targetGraph([
      { target: 'omni' },
      { target: 'tailscale' },
      { target: 'hosts' },
      { target: 'proxmox', clusters: ['quantum', 'matrix'] },
      { target: 'unifi' },
      { target: 'auth0' },
    ]);
    expect(nodes.map((node) => [node.id, node.needs])).toEqual([
      ['proxmox:matrix', []],
      ['proxmox:quantum', []],
      ['hosts', ['proxmox:matrix', 'proxmox:quantum']],
      ['unifi', []],
      ['auth0', []],
      ['tailscale', []],
      ['omni', ['hosts', 'unifi']],
    ]);
    expect(nodes[0]).toMatchObject({ target: 'proxmox', cluster: 'matrix' });
  });

  it('looks through a target that is not chosen to its own prerequisites', () => {
    const nodes = targetGraph([{ target: 'omni' }, { target: 'proxmox', clusters: ['matrix'] }]);
    expect(nodes.map((node) => [node.id, node.needs])).toEqual([
      ['proxmox:matrix', []],
      ['omni', ['proxmox:matrix']],
    ]);
  });
});
