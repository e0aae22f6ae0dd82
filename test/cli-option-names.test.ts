/**
 * Every client message a CLI user can trigger that tells them to set an option names the CLI's flag or environment
 * variable, never the TypeScript option (`skipRootOnly`, `the cluster option`, ...). Run through the built CLI against
 * the emulators.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_OPTIONS } from '../src/plan/client-option.js';
import { CLI_OPTION_NAMES } from '../src/cli/cli-option-names.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import { createTestServiceAccount, startOmniEmulator } from '../src/testing/omni/index.js';
import type { BuiltCli, BuiltCliResult } from './built-cli.js';
import { buildCli } from './built-cli.js';

const ROOT_PASSWORD = 'emulated-root-password-2';
const API_KEY = 'emulated-unifi-api-key-0004';

let cli: BuiltCli;
let project: string;
const open: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  cli = await buildCli();
  project = await cli.project();
  expect((await cli.run(['generate', '--example'], { cwd: project })).code).toBe(0);
}, 120_000);
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});
afterAll(async () => {
  await cli.remove();
});

function run(env: Record<string, string>, ...argv: string[]): Promise<BuiltCliResult> {
  return cli.run(argv, { cwd: project, env });
}

/** What the user saw: stdout and stderr together. */
function seen(result: BuiltCliResult): string {
  return `${result.out}${result.err}`;
}

/** Asserts the CLI's name of an option is there and no library spelling of it is. */
function expectNamed(text: string, option: (typeof CLIENT_OPTIONS)[number]): void {
  expect(text).toContain(CLI_OPTION_NAMES[option]);
  // The bare word, unless it is part of the flag (`--adopt`) or of another word (`clusters`).
  expect(text).not.toMatch(new RegExp(`(?<![-\\w])${option}(?![-\\w])`));
  expect(text).not.toContain(`the ${option} option`);
}

async function proxmox(): Promise<Record<string, string>> {
  const pve = await startProxmoxEmulator({
    rootPassword: ROOT_PASSWORD,
    passwords: { 'ops@pve': 'ops-password-1' },
    taskDurationMs: 5,
  });
  open.push(pve);
  return { PROXMOX_URL: pve.url, PROXMOX_ROOT_PASSWORD: ROOT_PASSWORD, PROXMOX_FINGERPRINT: pve.fingerprint256 };
}

describe('client option names in CLI messages', () => {
  it('every client option has a CLI name that is a flag or a variable', () => {
    for (const option of CLIENT_OPTIONS) expect(CLI_OPTION_NAMES[option]).toMatch(/^(--[a-z-]+|[A-Z_]+)/);
  });

  it('cluster: several Proxmox clusters in --out', async () => {
    const env = await proxmox();
    const result = await run(env, 'plan', '--target', 'proxmox');
    expect(result.code).toBe(1);
    expectNamed(result.err, 'cluster');
  });

  it('tokenSecret and skipRootOnly: the plan note, and apply refusing without a destination or root@pam', async () => {
    const env = await proxmox();
    const plan = await run(env, 'plan', '--detailed-exitcode', '--target', 'proxmox', '--cluster', 'matrix');
    expect(plan.code).toBe(2);
    expectNamed(plan.out, 'tokenSecret');
    const apply = await run(env, 'apply', '--yes', '--target', 'proxmox', '--cluster', 'matrix');
    expect(apply.code).toBe(1);
    expectNamed(apply.err, 'tokenSecret');
    const asOps = { ...env, PROXMOX_USERNAME: 'ops@pve', PROXMOX_ROOT_PASSWORD: 'ops-password-1' };
    const secretFile = join(project, 'token-secret');
    const notRoot = await run(
      asOps,
      'apply',
      '--yes',
      '--target',
      'proxmox',
      '--cluster',
      'matrix',
      '--token-secret-file',
      secretFile,
    );
    expect(notRoot.code).toBe(1);
    expectNamed(notRoot.err, 'skipRootOnly');
  });

  it('regenerateToken: a token whose secret is not at the destination', async () => {
    const env = await proxmox();
    const first = join(project, 'first-secret');
    const applied = await run(
      env,
      'apply',
      '--yes',
      '--target',
      'proxmox',
      '--cluster',
      'matrix',
      '--token-secret-file',
      first,
    );
    expect(applied.code, applied.err).toBe(0);
    const elsewhere = join(project, 'elsewhere-secret');
    const plan = await run(
      env,
      'plan',
      '--detailed-exitcode',
      '--target',
      'proxmox',
      '--cluster',
      'matrix',
      '--token-secret-file',
      elsewhere,
    );
    expect(plan.code).toBe(2);
    expectNamed(seen(plan), 'regenerateToken');
  });

  it('adopt and prune: a hand-made UniFi record, and an undeclared one in the zone', async () => {
    const unifi = await startUnifiEmulator({ apiKey: API_KEY });
    open.push(unifi);
    for (const [id, key] of [
      ['hand-made', 'omni.spaceships.work'],
      ['stray', 'stray.spaceships.work'],
    ]) {
      unifi.state.dnsRecords.push({
        _id: id!,
        site_id: 'site-default',
        key: key!,
        record_type: 'A',
        value: '192.168.10.99',
        ttl: 0,
        enabled: true,
      });
    }
    const env = { UNIFI_URL: unifi.url, UNIFI_API_KEY: API_KEY, UNIFI_FINGERPRINT: unifi.fingerprint256 };
    const plan = await run(env, 'plan', '--detailed-exitcode', '--target', 'unifi', '--json');
    expect(plan.code).toBe(2);
    const json = JSON.parse(plan.out) as { changes: { note?: string }[]; unmanaged: { reason: string }[] };
    expectNamed(json.changes.map((change) => change.note ?? '').join('\n'), 'adopt');
    expectNamed(json.unmanaged.map((object) => object.reason).join('\n'), 'prune');
    const text = (await run(env, 'plan', '--target', 'unifi', '--no-color')).out;
    expectNamed(text.split('\n').find((line) => line.includes('> omni.spaceships.work')) ?? '', 'adopt');
  });

  it('serviceAccountKey and providerKey: Omni without a key, and registering a provider without a destination', async () => {
    const omni = await startOmniEmulator();
    open.push(omni);
    const noKey = await run({ OMNI_ENDPOINT: omni.endpoint }, 'plan', '--target', 'omni');
    expect(noKey.code).toBe(1);
    expectNamed(noKey.err, 'serviceAccountKey');
    const account = await createTestServiceAccount();
    await omni.registerPublicKey(account.armoredPublicKey, { role: 'Admin' });
    const env = { OMNI_ENDPOINT: omni.endpoint, OMNI_SERVICE_ACCOUNT_KEY: account.serviceAccountKey };
    const plan = await run(env, 'plan', '--detailed-exitcode', '--target', 'omni', '--no-color');
    expect(plan.code).toBe(2);
    expectNamed(plan.out, 'providerKey');
    const apply = await run(env, 'apply', '--yes', '--target', 'omni', '--json');
    expect(apply.code).toBe(1);
    const { error } = JSON.parse(apply.out) as { error: { kind: string; message: string } };
    expect(error.kind).toBe('usage');
    expectNamed(error.message, 'providerKey');
  });
});

describe('library messages keep the TypeScript option names', () => {
  it('renders them as "the <option> option"', async () => {
    const { renameClientOptions, clientOptionText } = await import('../src/plan/client-option.js');
    const message = `apply with ${clientOptionText('skipRootOnly')}`;
    expect(message).toBe('apply with the skipRootOnly option');
    expect(renameClientOptions(message, CLI_OPTION_NAMES)).toBe('apply with --skip-root-only');
  });
});
