/**
 * Issue 13's whole lifecycle on the seed lab, as a user runs it through the built CLI against every emulator: plan,
 * apply, plan (no change), drift (none), a change behind the SDK's back on each target, drift lists each, apply
 * repairs them, destroy leaves only what the SDK does not own.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { omniKinds } from '../src/clients/omni/index.js';
import type { DriftDocument } from '../src/orchestration/drift.js';
import type { BuiltCli } from './built-cli.js';
import { buildCli } from './built-cli.js';
import { driftLines } from './drift-lines.js';
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

describe('the seed lab from empty to destroyed', () => {
  it('plan, apply, no change, no drift, drift behind its back found and repaired, destroy keeps only the unowned', async () => {
    const printed: string[] = [];
    const run = async (...argv: string[]) => {
      const result = await cli.run([...argv, '--out', lab.out, '--no-color'], { env: lab.env });
      printed.push(result.out, result.err);
      return result;
    };
    const apply = (...flags: string[]) => run('apply', '--yes', ...lab.secretFlags, ...flags);
    const drift = async () => {
      const result = await run('drift', '--json');
      return { code: result.code, lines: driftLines(JSON.parse(result.out) as DriftDocument), result };
    };

    expect((await run('plan', '--detailed-exitcode')).code).toBe(2);
    const applied = await apply();
    expect(applied.code, `${applied.out}\n${applied.err}`).toBe(0);
    const unchanged = await run('plan', '--detailed-exitcode');
    expect(unchanged.code, unchanged.out).toBe(0);
    const clean = await drift();
    expect(clean.code, clean.result.out).toBe(0);
    expect(Object.values(clean.lines).flat()).toEqual([]);

    // Behind the SDK's back, on every target, through each emulator's own state:
    // Proxmox (Matrix): CT 200's memory edited; a guest carrying the SDK's tag at an undeclared VMID (unowned, in the
    // tag's namespace) and a person's untagged guest (not the SDK's concern at all).
    lab.pve.state.guests.get(200)!.config['memory'] = '512';
    lab.pve.state.guests.set(900, {
      type: 'lxc',
      node: 'foxtrot',
      config: { hostname: 'copy', tags: 'talos-sdk' },
      digest: 'a',
    });
    lab.pve.state.guests.set(901, { type: 'lxc', node: 'golf', config: { hostname: 'mine' }, digest: 'b' });
    // hosts: Omni's compose file edited on Holly.
    const compose = join(lab.hosts.holly.root, 'opt/talos-sdk/omni/compose.yaml');
    await writeFile(compose, `${await readFile(compose, 'utf8')}# edited on the host\n`);
    // UniFi: the Omni record's address edited; a record added inside the zone (unowned); a person's outside it.
    const record = lab.unifi.state.dnsRecords[0]!;
    record['value'] = '192.168.10.99';
    const site = record['site_id'];
    lab.unifi.state.dnsRecords.push(
      {
        _id: 'r-extra',
        site_id: site,
        key: 'extra.spaceships.work',
        record_type: 'A',
        value: '10.0.0.9',
        enabled: true,
        ttl: 0,
      },
      { _id: 'r-nas', site_id: site, key: 'nas.home.arpa', record_type: 'A', value: '10.0.0.8', enabled: true, ttl: 0 },
    );
    // Auth0: the generated callback removed; a person's own logout URL added (a person's, never drift).
    const [clientId, application] = [...lab.auth0.state.clients].find(([, client]) => client['name'] === 'Omni')!;
    application['callbacks'] = ['http://localhost:3000/cb'];
    application['allowed_logout_urls'] = [...(application['allowed_logout_urls'] as string[]), 'https://mine.example'];
    // Tailscale: the marked test removed from the policy in the admin console; a node carrying tag:omni under another
    // host name (unowned, in the tag's namespace).
    lab.tailnet.editPolicy(lab.tailnet.state.policy.replace(/"tests": \[[^]*?\],\n}/, '"tests": [],\n}'));
    lab.tailnet.joinDevice({ hostname: 'omni-test', tags: ['tag:omni'] });
    // Omni: a MachineClass deleted; one annotated for this topology added by hand; a person's own.
    const worker = lab.omni.state.get(omniKinds.MachineClass, 'matrix-worker')!;
    lab.omni.state.remove(omniKinds.MachineClass, 'matrix-worker');
    lab.omni.state.put(omniKinds.MachineClass, {
      id: 'by-hand',
      annotations: worker.metadata.annotations,
      spec: worker.spec,
    });
    lab.omni.state.put(omniKinds.MachineClass, { id: 'mine', spec: worker.spec });

    const found = await drift();
    expect(found.code, found.result.err).toBe(2);
    const holly = lab.hosts.holly.root;
    const tailnetName = `omni-test.${lab.tailnet.state.magicDnsSuffix}`;
    expect(found.lines).toEqual({
      'proxmox:matrix': ['differs lxc 200', 'unowned lxc 900'],
      'proxmox:quantum': [],
      hosts: [`differs file holly:${holly}/opt/talos-sdk/omni/compose.yaml`],
      unifi: ['differs static-dns omni.spaceships.work A', 'unowned static-dns extra.spaceships.work A'],
      auth0: [`differs client ${clientId}`],
      tailscale: ['differs policy policy', `unowned device ${tailnetName}`],
      omni: ['unowned MachineClass by-hand', 'disappeared MachineClass matrix-worker'],
    });

    // Two flags the README asks for these repairs: --adopt, because the UniFi record edited by hand is planned as an
    // adoption (a record has no field for a marker, so apply cannot prove the SDK wrote it and skips it without
    // --adopt); --force, because the hosts target refuses to overwrite a stack file edited on the host without it.
    const repaired = await apply('--adopt', '--force');
    expect(repaired.code, `${repaired.out}\n${repaired.err}`).toBe(0);
    const after = await drift();
    // Only what the SDK does not own is left, and stays drift for a person to look at: Omni pruned the MachineClass
    // annotated for the topology, as apply does with every annotated resource the artifacts do not declare.
    expect(after.code).toBe(2);
    expect(after.lines).toEqual({
      'proxmox:matrix': ['unowned lxc 900'],
      'proxmox:quantum': [],
      hosts: [],
      unifi: ['unowned static-dns extra.spaceships.work A'],
      auth0: [],
      tailscale: [`unowned device ${tailnetName}`],
      omni: [],
    });
    expect(lab.pve.state.guests.get(200)!.config['memory']).not.toBe('512');
    expect(await readFile(compose, 'utf8')).not.toContain('# edited on the host');

    const volumes = [...lab.hosts.holly.docker.volumes, ...lab.hosts.ct200.docker.volumes];
    expect(volumes).not.toEqual([]);
    expect(lab.omni.serviceAccounts()).toContain('infra-provider:proxmox');
    const destroyed = await run('destroy', '--yes');
    expect(destroyed.code, `${destroyed.out}\n${destroyed.err}`).toBe(0);
    expect(destroyed.out).toMatch(/^ {2}total: 7 destroyed, 0 failed, 0 not attempted$/m);

    // Only what the SDK does not own is left, target by target.
    // Proxmox: the declared guests and the provider's role, user, token and ACL entries are gone; the tagged guest no
    // artifact declares and the person's guest stay.
    expect([...lab.pve.state.guests.keys()].sort()).toEqual([900, 901]);
    expect([...lab.quantum.state.guests.keys()]).toEqual([]);
    expect([...lab.pve.state.tokens.keys()]).toEqual([]);
    expect([...lab.pve.state.users.keys()]).not.toContain('omni-provider@pve');
    expect(JSON.stringify(lab.pve.state.acl)).not.toContain('omni-provider');
    // hosts: each stack is down and its folder gone; the named volumes stay (compose down without -v).
    expect(existsSync(join(holly, 'opt/talos-sdk/omni'))).toBe(false);
    expect(existsSync(join(lab.hosts.ct200.root, 'opt/talos-sdk/provider-proxmox'))).toBe(false);
    for (const host of [lab.hosts.holly, lab.hosts.ct200]) {
      expect([...host.docker.projects.values()].flatMap((services) => [...services.keys()])).toEqual([]);
    }
    expect([...lab.hosts.holly.docker.volumes, ...lab.hosts.ct200.docker.volumes]).toEqual(volumes);
    // UniFi: the declared record is gone; the unowned one in the zone and the person's stay.
    expect(lab.unifi.state.dnsRecords.map((entry) => entry['key']).sort()).toEqual([
      'extra.spaceships.work',
      'nas.home.arpa',
    ]);
    // Auth0: the application stays with only the person's URLs.
    expect(lab.auth0.state.clients.get(clientId)).toMatchObject({
      callbacks: ['http://localhost:3000/cb'],
      allowed_logout_urls: ['https://mine.example'],
      web_origins: [],
    });
    // Tailscale: the marked entries are gone, the admins' policy stays, and so does the node a person joined.
    expect(lab.tailnet.state.policy).not.toContain('talos-topology');
    expect(lab.tailnet.state.policy).toContain("// the admins' policy");
    expect(lab.tailnet.state.devices.map((device) => device.hostname)).toEqual(['omni-test']);
    // Omni: nothing annotated for the topology is left; the person's MachineClass stays.
    for (const kind of [omniKinds.Cluster, omniKinds.MachineSet, omniKinds.ConfigPatch, omniKinds.InfraProvider]) {
      expect(lab.omni.state.list(kind)).toEqual([]);
    }
    expect(lab.omni.state.list(omniKinds.MachineClass).map((resource) => resource.metadata.id)).toEqual(['mine']);
    // The provider's service account, which apply registered, is gone with its InfraProvider.
    expect(lab.omni.serviceAccounts()).not.toContain('infra-provider:proxmox');

    // The applied state no longer lists what destroy removed, so drift calls none of it "disappeared" (or "differs":
    // the Auth0 application and the policy file are the person's again); only the unowned objects are still drift.
    const state = JSON.parse(await readFile(join(dirname(lab.out), '.talos-topology', 'out.applied.json'), 'utf8'));
    for (const node of Object.values(state.nodes) as { objects: unknown[] }[]) expect(node.objects).toEqual([]);
    const down = await drift();
    expect(down.code).toBe(2);
    expect(down.lines).toEqual(after.lines);

    const output = printed.join('\n');
    for (const secret of await lab.secrets()) expect(output).not.toContain(secret);
  }, 240_000);
});
