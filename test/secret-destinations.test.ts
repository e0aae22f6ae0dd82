import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliResult } from './run-cli.js';
import { runCliWith } from './run-cli.js';
import { omniKinds } from '@talos-sdk/omni-client';
import { createTestServiceAccount, startOmniEmulator } from '../src/testing/omni/index.js';
import type { ProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';

const ROOT_PASSWORD = 'emulated-root-password-1';
const TOKEN_ID = 'omni-provider@pve!omni';
let dir: string;
let out: string;
let pve: ProxmoxEmulator;
let env: Record<string, string>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talos-topology-token-secret-'));
  out = join(dir, 'out');
  pve = await startProxmoxEmulator({ rootPassword: ROOT_PASSWORD, taskDurationMs: 5 });
  env = { PROXMOX_URL: pve.url, PROXMOX_ROOT_PASSWORD: ROOT_PASSWORD, PROXMOX_FINGERPRINT: pve.fingerprint256 };
  await cli('generate', '--example', '--out', out);
});
afterEach(async () => {
  await pve.close();
  await rm(dir, { recursive: true, force: true });
});

function cli(...argv: string[]): Promise<CliResult> {
  return runCliWith(env, ...argv);
}

const target = ['--target', 'proxmox', '--cluster', 'matrix', '--no-color'];

/** Requests that change the cluster (logging in creates a ticket, which changes nothing). */
function writes(): string[] {
  return pve.state.requests
    .filter((request) => request.method !== 'GET' && request.path !== '/access/ticket')
    .map((request) => `${request.method} ${request.path}`);
}

describe('a Proxmox token whose secret was lost', () => {
  it('is a change in the plan and a refused apply until the secret is put back or the token regenerated', async () => {
    // Writing the secret fails after the token was created: the destination is a folder that is not empty.
    const secretFile = join(dir, 'token-secret');
    await mkdir(secretFile);
    await writeFile(join(secretFile, 'busy'), '');
    const failed = await cli('apply', '--yes', ...target, '--out', out, '--token-secret-file', secretFile);
    expect(failed.code).toBe(1);
    expect(pve.state.tokens.has(TOKEN_ID)).toBe(true);
    await rm(secretFile, { recursive: true });

    const missing = `secret not at ${secretFile}: Proxmox shows a token secret only once, so apply cannot write it`;
    const plan = await cli('plan', '--detailed-exitcode', ...target, '--out', out, '--token-secret-file', secretFile);
    expect(plan.code).toBe(2);
    expect(plan.out).toContain(`  token-secret\n    + ${TOKEN_ID}  (${missing}`);
    const json = await cli(
      'plan',
      '--detailed-exitcode',
      ...target,
      '--out',
      out,
      '--token-secret-file',
      secretFile,
      '--json',
    );
    expect(json.code).toBe(2);
    expect(JSON.parse(json.out).changes).toContainEqual(
      expect.objectContaining({ kind: 'token-secret', id: TOKEN_ID, action: 'create' }),
    );

    const before = writes().length;
    const refused = await cli('apply', '--yes', ...target, '--out', out, '--token-secret-file', secretFile);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`refusing to apply, nothing was changed:\n  token ${TOKEN_ID}: ${missing}`);
    expect(refused.err).toContain('--regenerate-token');
    expect(writes().slice(before)).toEqual([]);

    // Repaired by putting the secret there.
    const secret = pve.state.tokens.get(TOKEN_ID)!.secret;
    await writeFile(secretFile, `${secret}\n`, { mode: 0o600 });
    const repaired = await cli('plan', ...target, '--out', out, '--token-secret-file', secretFile);
    expect(repaired.out).not.toContain('token-secret');
    expect((await cli('apply', '--yes', ...target, '--out', out, '--token-secret-file', secretFile)).code).toBe(0);
    expect((await cli('plan', ...target, '--out', out, '--token-secret-file', secretFile)).code).toBe(0);

    // Lost again, repaired by regenerating the token.
    await rm(secretFile);
    expect(
      (await cli('plan', '--detailed-exitcode', ...target, '--out', out, '--token-secret-file', secretFile)).code,
    ).toBe(2);
    const regenerated = await cli(
      'apply',
      '--yes',
      ...target,
      '--out',
      out,
      '--token-secret-file',
      secretFile,
      '--regenerate-token',
    );
    expect(regenerated.code).toBe(0);
    const newSecret = pve.state.tokens.get(TOKEN_ID)!.secret;
    expect(newSecret).not.toBe(secret);
    expect(await readFile(secretFile, 'utf8')).toBe(`${newSecret}\n`);
    expect((await cli('plan', ...target, '--out', out, '--token-secret-file', secretFile)).code).toBe(0);
    for (const result of [failed, plan, json, refused, regenerated]) {
      expect(`${result.out}${result.err}`).not.toContain(secret);
      expect(`${result.out}${result.err}`).not.toContain(newSecret);
    }
  });
});

describe('a secret destination that is a symbolic link', () => {
  it.each(['--token-secret-file', '--token-secret-env-file'])(
    'is refused by %s before any change is made, and the link and its target are left as they were',
    async (flag) => {
      const real = join(dir, 'real.env');
      await writeFile(real, 'OTHER=1\n');
      const link = join(dir, 'link.env');
      await symlink(real, link);
      for (const command of ['plan', 'apply']) {
        const result = await cli(command, ...target, '--out', out, flag, link);
        expect(result.code).toBe(1);
        expect(result.err).toBe(
          `talos-topology: refusing to use ${link} for a secret: it is a symbolic link, and writing the secret would ` +
            'replace the link with a regular file; give the path of the file itself\n',
        );
      }
      expect(writes()).toEqual([]);
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
      expect(await readlink(link)).toBe(real);
      expect(await readFile(real, 'utf8')).toBe('OTHER=1\n');
    },
  );
});

describe('an Omni provider-key destination that is a symbolic link', () => {
  it('is refused before the InfraProvider is created, and the link is left as it was', async () => {
    const account = await createTestServiceAccount();
    const omni = await startOmniEmulator();
    try {
      await omni.registerPublicKey(account.armoredPublicKey, { role: 'Admin' });
      const real = join(dir, 'real.env');
      await writeFile(real, 'OTHER=1\n');
      const link = join(dir, 'provider.env');
      await symlink(real, link);
      env = { OMNI_ENDPOINT: omni.endpoint, OMNI_SERVICE_ACCOUNT_KEY: account.serviceAccountKey };
      const result = await cli('apply', '--yes', '--target', 'omni', '--out', out, '--provider-key-env-file', link);
      expect(result.code).toBe(1);
      expect(result.err).toContain(`talos-topology: refusing to use ${link} for a secret: it is a symbolic link`);
      expect(omni.state.get(omniKinds.InfraProvider, 'proxmox')).toBeUndefined();
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
      expect(await readFile(real, 'utf8')).toBe('OTHER=1\n');
    } finally {
      await omni.close();
    }
  });
});
