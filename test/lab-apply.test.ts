/**
 * The whole seed lab from empty, as a user runs it: the built CLI as a child process, no `--target`, against every
 * emulator at once. One apply brings every target to what `out/` says, so the next plan has nothing to do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { omniKinds } from '../src/clients/omni/index.js';
import type { BuiltCli } from './built-cli.js';
import { buildCli } from './built-cli.js';
import type { EmulatedLab } from './lab-fixtures.js';
import { startEmulatedLab } from './lab-fixtures.js';

let cli: BuiltCli;
let lab: EmulatedLab;
beforeAll(async () => {
  [cli, lab] = await Promise.all([buildCli(), startEmulatedLab()]);
}, 120_000);
afterAll(async () => {
  await Promise.all([lab.close(), cli.remove()]);
});

/** The nodes of a plan or apply document, in order. */
function headings(text: string): string[] {
  return [...text.matchAll(/^== (\S+)/gm)].map((match) => match[1]!);
}

const EVERY_NODE = ['proxmox:matrix', 'proxmox:quantum', 'hosts', 'unifi', 'auth0', 'tailscale', 'omni'];

describe('the seed lab applied from empty with every target', () => {
  it('plans every target, applies them all, then plans no change anywhere, printing no secret', async () => {
    const printed: string[] = [];
    const run = async (...argv: string[]) => {
      const result = await cli.run([...argv, '--out', lab.out, ...lab.secretFlags, '--no-color'], { env: lab.env });
      printed.push(result.out, result.err);
      return result;
    };

    const plan = await run('plan', '--detailed-exitcode');
    expect(plan.code, plan.err).toBe(2);
    expect(plan.out).not.toMatch(/^left out:/m);
    expect(headings(plan.out).sort()).toEqual([...EVERY_NODE].sort());

    const apply = await run('apply', '--yes');
    expect(apply.code, `${apply.out}\n${apply.err}`).toBe(0);
    expect(apply.out).toMatch(/^ {2}total: 7 applied, 0 failed, 0 not attempted$/m);
    // The lab is up: both guests, both stacks running, the provider connected, the cluster's template synced.
    expect([...lab.pve.state.guests.keys()]).toEqual([200]);
    expect([...lab.quantum.state.guests.keys()]).toEqual([101]);
    expect(lab.hosts.ct200.docker.composeUps()).toHaveLength(1);
    expect(lab.omni.state.list(omniKinds.MachineClass)).toHaveLength(2);
    expect(lab.unifi.state.dnsRecords).toHaveLength(1);

    const again = await run('plan', '--detailed-exitcode');
    expect(again.code, again.out).toBe(0);
    expect(again.out).toMatch(/^ {2}total: 0 to create, 0 to update, 0 to delete, \d+ unchanged$/m);

    // Nothing to change, and --wait still waits for the cluster the apply made (a rerun in CI after a timeout).
    const waited = await run('apply', '--wait', '--timeout', '30');
    expect(waited.code, `${waited.out}\n${waited.err}`).toBe(0);
    expect(waited.out).toContain('no changes: nothing to apply');
    expect(waited.err).toMatch(/^omni: cluster talos-matrix is ready$/m);

    const output = printed.join('\n');
    for (const secret of await lab.secrets()) expect(output).not.toContain(secret);
  }, 120_000);
});
