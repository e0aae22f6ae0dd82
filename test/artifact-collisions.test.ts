import { describe, expect, it } from 'vitest';
import { spaceshipsInput } from './fixtures.js';
import { desiredOmniState } from '../src/clients/omni/desired.js';
import { readProxmoxArtifacts } from '../src/clients/proxmox/artifacts.js';
import { defineTopology, safeDefineTopology } from '../src/models/define.js';
import { generate } from '../src/generators/generate.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests change the input freely
type Loose = any;

const patch = (name: string) => ({ name, documents: [{ machine: { sysctls: { [`net.${name}`]: '1' } } }] });

describe('no two artifacts on one path', () => {
  it('refuses worker sets "a" + patch "b-c" and "a-b" + patch "c": one Omni ConfigPatch ID for two patches', () => {
    const input = spaceshipsInput() as Loose;
    const workers = input.clusters['talos-matrix'].workers;
    workers.a = { machineClass: 'matrix-worker', size: 1, patches: [patch('b-c')] };
    workers['a-b'] = { machineClass: 'matrix-worker', size: 1, patches: [patch('c')] };
    const result = safeDefineTopology(input);
    expect(result.success ? [] : result.issues).toEqual([
      {
        path: 'clusters.talos-matrix.workers.a-b.patches.0.name',
        rule: 'unique-name',
        severity: 'error',
        message:
          'gives the same Omni ConfigPatch ID (400-<cluster>-a-b-c) as workers.a.patches.0.name; rename the patch or the set',
      },
    ]);
  });

  it('gives each machine set a patch folder, so set and patch names never run together in a file name', () => {
    const input = spaceshipsInput() as Loose;
    const workers = input.clusters['talos-matrix'].workers;
    workers.a = { machineClass: 'matrix-worker', size: 1, patches: [patch('b-c')] };
    workers['a-b'] = { machineClass: 'matrix-worker', size: 1, patches: [patch('x'), patch('c')] };
    const set = generate(defineTopology(input));
    const pushed = desiredOmniState(set).resources.filter((resource) => resource.kind.type.startsWith('ConfigPatch'));
    expect(pushed.map((resource) => [resource.id, resource.source])).toEqual(
      expect.arrayContaining([
        ['400-talos-matrix-a-b-c', 'omni/clusters/talos-matrix/patches/a/400-b-c.yaml'],
        ['400-talos-matrix-a-b-x', 'omni/clusters/talos-matrix/patches/a-b/400-x.yaml'],
        ['401-talos-matrix-a-b-c', 'omni/clusters/talos-matrix/patches/a-b/401-c.yaml'],
      ]),
    );
  });

  it('writes one access file per provider when two providers share a Proxmox cluster', () => {
    const input = spaceshipsInput() as Loose;
    input.guests['ct-201'] = { ...input.guests['ct-200'], vmid: 201, hostname: 'omni-provider-b' };
    input.guests['ct-201'].lan = { network: 'lan', address: '192.168.3.11' };
    input.providers['proxmox-b'] = {
      ...input.providers.proxmox,
      host: 'ct-201',
      sidecar: { ...input.providers.proxmox.sidecar, hostname: 'omni-provider-b' },
      proxmoxAccess: { ...input.providers.proxmox.proxmoxAccess, user: 'omni-provider-b@pve' },
    };
    const set = generate(defineTopology(input));
    const access = readProxmoxArtifacts(set, 'matrix').access;
    expect(access.map((item) => [item.path, item.provider, item.token.userid])).toEqual([
      ['proxmox/matrix/provider-access-proxmox-b.json', 'proxmox-b', 'omni-provider-b@pve'],
      ['proxmox/matrix/provider-access-proxmox.json', 'proxmox', 'omni-provider@pve'],
    ]);
  });

  it('refuses more cluster patches than fit below the machine-set weights, with a range issue', () => {
    const input = spaceshipsInput() as Loose;
    input.clusters['talos-matrix'].patches = Array.from({ length: 201 }, (_, index) => patch(`p${index}`));
    const result = safeDefineTopology(input);
    expect(result.success ? [] : result.issues).toEqual([
      expect.objectContaining({
        path: 'clusters.talos-matrix.patches',
        rule: 'range',
        message: expect.stringContaining('at most 200 cluster patches'),
      }),
    ]);
  });
});
