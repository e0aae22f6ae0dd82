import { describe, expect, it } from 'vitest';
import { spaceshipsInput } from './fixtures.js';
import { safeDefineTopology } from '../src/models/define.js';
import { defineTopology } from '../src/models/define.js';
import { generate } from '../src/generators/generate.js';
import { checkTopology } from '../src/rules/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke values into the input
type Loose = any;

function sshJson(mutate: (input: Loose) => void, guest: string): Loose {
  const input = spaceshipsInput() as Loose;
  mutate(input);
  const artifact = generate(defineTopology(input)).artifacts.find((a) => a.path === `hosts/${guest}/ssh.json`);
  return artifact ? JSON.parse(artifact.content) : undefined;
}

function issues(mutate: (input: Loose) => void): { path: string; rule: string }[] {
  const input = spaceshipsInput() as Loose;
  mutate(input);
  const result = safeDefineTopology(input);
  return result.success ? [] : result.issues.map(({ path, rule }) => ({ path, rule }));
}

describe('hosts: SSH access in the model', () => {
  it('defaults to the cloud-init user, root in a container, port 22, the LAN address and /opt/talos-sdk/<stack>', () => {
    expect(sshJson(() => {}, 'holly')).toEqual({
      guest: 'holly',
      user: 'admin',
      address: '192.168.10.20',
      port: 22,
      stacks: { omni: '/opt/talos-sdk/omni' },
    });
    expect(sshJson(() => {}, 'ct-200')).toMatchObject({
      user: 'root',
      address: '192.168.3.10',
      stacks: { 'provider-proxmox': '/opt/talos-sdk/provider-proxmox' },
    });
    expect(sshJson((input) => delete input.guests.holly.cloudInit.user, 'holly').user).toBe('debian');
  });

  it('carries a pinned host key, a jump host, another port and folder into ssh.json', () => {
    const fingerprint = `SHA256:${'A'.repeat(43)}`;
    const access = sshJson((input) => {
      input.guests.holly.ssh = {
        port: 2222,
        address: 'holly.spaceships.work',
        hostKey: { fingerprint },
        jumpHost: { address: '192.168.10.2', user: 'root', hostKey: { knownHostsFile: 'known_hosts' } },
        directory: '/srv/stacks',
      };
    }, 'holly');
    expect(access).toMatchObject({
      port: 2222,
      address: 'holly.spaceships.work',
      hostKey: { fingerprint },
      jumpHost: { address: '192.168.10.2', port: 22, user: 'root', hostKey: { knownHostsFile: 'known_hosts' } },
      stacks: { omni: '/srv/stacks/omni' },
    });
  });

  it('refuses a malformed fingerprint, a relative or escaping folder, and a bad user, naming the path', () => {
    expect(issues((input) => (input.guests.holly.ssh = { hostKey: { fingerprint: 'MD5:aa:bb' } }))).toEqual([
      { path: 'guests.holly.ssh.hostKey.fingerprint', rule: 'format' },
    ]);
    expect(issues((input) => (input.guests.holly.ssh = { directory: 'opt/stacks' }))).toEqual([
      { path: 'guests.holly.ssh.directory', rule: 'format' },
    ]);
    expect(issues((input) => (input.guests.holly.ssh = { directory: '/opt/../etc' }))).toEqual([
      { path: 'guests.holly.ssh.directory', rule: expect.any(String) },
    ]);
    expect(issues((input) => (input.guests.holly.ssh = { user: 'Admin!' }))).toEqual([
      { path: 'guests.holly.ssh.user', rule: 'format' },
    ]);
  });

  it('warns when the SSH user is not the one the declared keys are given to (ssh-login)', () => {
    const warnings = (mutate: (input: Loose) => void): string[] => {
      const input = spaceshipsInput() as Loose;
      mutate(input);
      return checkTopology(defineTopology(input))
        .filter((issue) => issue.rule === 'ssh-login')
        .map((issue) => `${issue.path}: ${issue.message}`);
    };
    expect(warnings(() => {})).toEqual([]);
    expect(warnings((input) => (input.guests['ct-200'].ssh = { user: 'admin' }))).toEqual([
      expect.stringMatching(/^guests\.ct-200\.ssh\.user: providers\.proxmox .* given to root/),
    ]);
    expect(warnings((input) => (input.guests.holly.ssh = { user: 'debian' }))).toEqual([
      expect.stringMatching(/^guests\.holly\.ssh\.user: omni .* given to admin/),
    ]);
  });
});
