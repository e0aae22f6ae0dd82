/**
 * `drift` as a scheduled job runs it: the built CLI as a child process against the UniFi emulator, `--json`, exit 2.
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
