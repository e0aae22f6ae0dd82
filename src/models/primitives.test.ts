import { describe, expect, it } from 'vitest';
import { spaceshipsInput } from '../../test/fixtures.js';
import { safeDefineTopology } from './define.js';
import { isWindowsDeviceName } from './reserved-names.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke invalid values into the input
type Loose = any;

describe('names that become file names', () => {
  it('knows the Windows device names, in any case and with an extension', () => {
    for (const name of ['con', 'PRN', 'Aux', 'nul', 'com1', 'COM9', 'lpt1', 'lpt9', 'nul.yaml', 'con.tar.gz']) {
      expect(isWindowsDeviceName(name), name).toBe(true);
    }
    for (const name of ['console', 'com', 'com10', 'lpt', 'auxiliary', 'nullable', 'icon', 'x-con', 'con-1']) {
      expect(isWindowsDeviceName(name), name).toBe(false);
    }
  });

  it('refuses them wherever a name becomes a path segment in the output folder', () => {
    const input = spaceshipsInput() as Loose;
    // hosts/<guest>/, proxmox/<cluster>/, omni/clusters/<cluster>.yaml, omni/machine-classes/<id>.yaml,
    // omni/infra-providers/<id>.yaml and the patch files.
    input.guests.nul = input.guests['ct-200'];
    delete input.guests['ct-200'];
    input.providers.proxmox.host = 'nul';
    input.proxmox.aux = input.proxmox.matrix;
    delete input.proxmox.matrix;
    input.clusters.con = structuredClone(input.clusters['talos-matrix']);
    input.machineClasses.com1 = structuredClone(Object.values(input.machineClasses)[0]);
    input.providers.lpt1 = structuredClone(input.providers.proxmox);
    input.clusters['talos-matrix'].patches = [{ name: 'prn', documents: [{ machine: {} }] }];
    const result = safeDefineTopology(input);
    expect(result.success).toBe(false);
    const refused = result.success ? [] : result.issues.filter((issue) => issue.rule === 'reserved-name');
    expect(refused.map((issue) => issue.path)).toEqual(
      expect.arrayContaining([
        'clusters.con',
        'clusters.talos-matrix.patches.0.name',
        'guests.nul',
        'machineClasses.com1',
        'providers.lpt1',
        'providers.proxmox.host',
        'proxmox.aux',
      ]),
    );
    expect(refused[0]?.message).toContain('is a device name on Windows');
  });
});
