/**
 * `drift` and `destroy` as a user runs them: the built CLI as a child process (stdin not a terminal) against a fresh
 * UniFi emulator for each test.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UnifiEmulator } from '../src/testing/unifi/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import type { BuiltCli } from './built-cli.js';
import { buildCli } from './built-cli.js';

const UNIFI_API_KEY = 'emulated-unifi-api-key-0002';
let cli: BuiltCli;
let unifi: UnifiEmulator;
beforeAll(async () => {
  cli = await buildCli();
}, 120_000);
afterAll(async () => {
  await cli.remove();
});
beforeEach(async () => {
  unifi = await startUnifiEmulator({ apiKey: UNIFI_API_KEY });
});
afterEach(async () => {
  await unifi.close();
});

describe('talos-topology drift (built)', () => {
  it('exits 0 after an apply, and 2 with the drift as JSON once a record is edited and another added', async () => {
    const project = await cli.project();
    expect((await cli.run(['generate', '--example', '--out', 'out'], { cwd: project })).code).toBe(0);
    const env = { UNIFI_URL: unifi.url, UNIFI_API_KEY, UNIFI_FINGERPRINT: unifi.fingerprint256 };
    const apply = await cli.run(['apply', '--target', 'unifi', '--yes'], { cwd: project, env });
    expect(apply.code, apply.err).toBe(0);
    expect((await cli.run(['drift'], { cwd: project, env })).code).toBe(0);

    const record = unifi.state.dnsRecords[0]!;
    record['value'] = '192.168.10.99';
    unifi.state.dnsRecords.push({ ...record, _id: 'by-hand', key: 'extra.spaceships.work', value: '10.0.0.9' });
    const drift = await cli.run(['drift', '--json'], { cwd: project, env });
    expect(drift.err).toBe('');
    expect(drift.code).toBe(2);
    const document = JSON.parse(drift.out);
    expect(document).toMatchObject({
      ok: true,
      drifted: true,
      summary: { differs: 1, disappeared: 0, unowned: 1, missing: 0, pending: 0, failed: 0 },
      leftOut: expect.arrayContaining([expect.objectContaining({ target: 'omni', reason: 'no-credentials' })]),
    });
    expect(document.targets).toEqual([
      expect.objectContaining({
        node: 'unifi',
        status: 'checked',
        drift: [
          {
            drift: 'differs',
            kind: 'static-dns',
            id: 'omni.spaceships.work A',
            fields: [{ path: 'value', before: '192.168.10.99', after: '192.168.10.20' }],
            note: expect.stringContaining('--adopt'),
          },
          expect.objectContaining({ drift: 'unowned', id: 'extra.spaceships.work A' }),
        ],
      }),
    ]);
    expect(drift.out).not.toContain(UNIFI_API_KEY);
  });
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
