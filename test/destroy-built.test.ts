/**
 * `destroy` as a user runs it: the built CLI as a child process (stdin not a terminal) against the UniFi emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnifiEmulator } from '../src/testing/unifi/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import type { BuiltCli } from './built-cli.js';
import { buildCli } from './built-cli.js';

const UNIFI_API_KEY = 'emulated-unifi-api-key-0002';
let cli: BuiltCli;
let unifi: UnifiEmulator;
beforeAll(async () => {
  [cli, unifi] = await Promise.all([buildCli(), startUnifiEmulator({ apiKey: UNIFI_API_KEY })]);
}, 120_000);
afterAll(async () => {
  await Promise.all([unifi.close(), cli.remove()]);
});

describe('talos-topology destroy, built', () => {
  it('refuses without --yes when stdin is not a terminal and removes nothing; --yes removes the SDK’s record', async () => {
    const project = await cli.project();
    expect((await cli.run(['generate', '--example', '--out', 'out'], { cwd: project })).code).toBe(0);
    const env = { UNIFI_URL: unifi.url, UNIFI_API_KEY, UNIFI_FINGERPRINT: unifi.fingerprint256 };
    const apply = await cli.run(['apply', '--target', 'unifi', '--yes'], { cwd: project, env });
    expect(apply.code, apply.err).toBe(0);
    expect(unifi.state.dnsRecords).toHaveLength(1);

    const refused = await cli.run(['destroy', '--no-color'], { cwd: project, env });
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/^ {2}unifi: 0 to create, 0 to update, 1 to delete, 0 unchanged$/m);
    expect(refused.err).toMatch(/destroy needs approval and stdin is not a terminal.*--yes \(or --auto-approve\)/);
    expect(unifi.state.dnsRecords).toHaveLength(1);
    expect(unifi.state.requests.filter((request) => request.method === 'DELETE')).toEqual([]);

    const destroyed = await cli.run(['destroy', '--yes', '--no-color'], { cwd: project, env });
    expect(destroyed.code, destroyed.err).toBe(0);
    expect(destroyed.out).toMatch(/^ {2}unifi: removed 1 change$/m);
    expect(unifi.state.dnsRecords).toEqual([]);
    expect(`${refused.out}${refused.err}${destroyed.out}${destroyed.err}`).not.toContain(UNIFI_API_KEY);
  });
});
