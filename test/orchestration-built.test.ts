/**
 * `plan` without `--target`, and `apply` without a terminal, as a user runs them: the built CLI as a child process
 * (stdin not a terminal) against the emulators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TailscaleEmulator } from '../src/testing/tailscale/index.js';
import type { UnifiEmulator } from '../src/testing/unifi/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import type { BuiltCli } from './built-cli.js';
import { buildCli } from './built-cli.js';
import { API_KEY, startTailnet } from './tailscale-fixtures.js';

const UNIFI_API_KEY = 'emulated-unifi-api-key-0002';
let cli: BuiltCli;
let tailnet: TailscaleEmulator;
let unifi: UnifiEmulator;
beforeAll(async () => {
  [cli, tailnet, unifi] = await Promise.all([
    buildCli(),
    startTailnet(),
    startUnifiEmulator({ apiKey: UNIFI_API_KEY }),
  ]);
}, 120_000);
afterAll(async () => {
  await Promise.all([tailnet.close(), unifi.close(), cli.remove()]);
});

describe('talos-topology plan without --target', () => {
  it('plans every target with credentials, in dependency order, and lists the others with their reason', async () => {
    const project = await cli.project();
    expect((await cli.run(['generate', '--example', '--out', 'out'], { cwd: project })).code).toBe(0);
    const env = {
      TS_API_URL: tailnet.url,
      TS_API_KEY: API_KEY,
      TS_API_FINGERPRINT: tailnet.fingerprint256,
      UNIFI_URL: unifi.url,
      UNIFI_API_KEY,
      UNIFI_FINGERPRINT: unifi.fingerprint256,
    };
    const plan = await cli.run(['plan', '--detailed-exitcode', '--no-color'], { cwd: project, env });
    expect(plan.err).toBe('');
    expect(plan.code).toBe(2);
    expect([...plan.out.matchAll(/^== (\S+)/gm)].map((match) => match[1])).toEqual(['unifi', 'tailscale']);
    for (const line of [
      /^left out: proxmox:matrix: no credentials \(PROXMOX_URL is not set/m,
      /^left out: proxmox:quantum: no credentials \(PROXMOX_URL is not set/m,
      /^left out: hosts: no credentials \(no SSH credentials: .*SSH_AUTH_SOCK/m,
      /^left out: auth0: no credentials \(AUTH0_DOMAIN is not set/m,
      /^left out: omni: no credentials \(OMNI_ENDPOINT is not set/m,
      /^ {2}unifi: 1 to create, 0 to update, 0 to delete, 0 unchanged$/m,
      /^ {2}total: 1 to create, 1 to update, 0 to delete, \d+ unchanged$/m,
    ]) {
      expect(plan.out).toMatch(line);
    }
    expect(plan.out).not.toContain(API_KEY);
    expect(plan.out).not.toContain(UNIFI_API_KEY);
  });

  it('plan exits 0 without --detailed-exitcode; apply without --yes and no terminal refuses, changing nothing', async () => {
    const project = await cli.project();
    expect((await cli.run(['generate', '--example', '--out', 'out'], { cwd: project })).code).toBe(0);
    const env = { UNIFI_URL: unifi.url, UNIFI_API_KEY, UNIFI_FINGERPRINT: unifi.fingerprint256 };
    const plan = await cli.run(['plan', '--target', 'unifi', '--no-color'], { cwd: project, env });
    expect(plan).toMatchObject({ code: 0, out: expect.stringContaining('+ omni.spaceships.work A') });
    for (const targets of [['--target', 'unifi'], []]) {
      const apply = await cli.run(['apply', ...targets, '--no-color'], { cwd: project, env });
      expect(apply.code).toBe(1);
      // The plan is shown first, then the refusal names the flag.
      expect(apply.out).toContain('+ omni.spaceships.work A');
      expect(apply.err).toBe(
        'talos-topology: apply needs approval and stdin is not a terminal to ask on: pass --yes (or --auto-approve) ' +
          'to approve up front, as in CI\n',
      );
    }
    expect(unifi.state.dnsRecords).toEqual([]);
  });
});
