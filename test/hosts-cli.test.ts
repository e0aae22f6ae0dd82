import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeArtifacts } from '../src/generators/output-folder.js';
import type { HostsLab } from './hosts-fixtures.js';
import { CLIENT_KEY, SECRETS, startHostsLab } from './hosts-fixtures.js';
import { runCliWith } from './run-cli.js';

let lab: HostsLab | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

describe('hosts: the CLI target', () => {
  it('plans (exit 2), applies with the secret from the out folder .env, then plans clean (exit 0)', async () => {
    lab = await startHostsLab();
    const work = await mkdtemp(join(tmpdir(), 'hosts-cli-'));
    const out = join(work, 'out');
    await writeArtifacts(lab.artifacts(), out);
    // Where apply --target proxmox --token-secret-env-file writes the provider's token secret.
    await writeFile(
      join(out, 'hosts/ct-200/provider-proxmox/.env'),
      `PROXMOX_TOKEN_SECRET=${SECRETS.PROXMOX_TOKEN_SECRET}\nOMNI_SERVICE_ACCOUNT_KEY=${SECRETS.OMNI_SERVICE_ACCOUNT_KEY}\n`,
    );
    const keyFile = join(work, 'id_ed25519');
    await writeFile(keyFile, CLIENT_KEY.private, { mode: 0o600 });
    const env = {
      HOSTS_SSH_KEY_FILE: keyFile,
      TS_AUTHKEY: SECRETS.TS_AUTHKEY,
      // The administrator's own Omni key, which must never reach the provider's host.
      OMNI_SERVICE_ACCOUNT_KEY: 'admin-omni-key-never-delivered-0123456789',
    };
    const plan = await runCliWith(env, 'plan', '--detailed-exitcode', '--target', 'hosts', '--out', out);
    expect(plan.code).toBe(2);
    expect(plan.out).toContain('holly:omni');
    const apply = await runCliWith(env, 'apply', '--yes', '--target', 'hosts', '--out', out);
    expect(apply.code).toBe(0);
    expect(apply.err).toMatch(/ct-200\/provider-proxmox: .*proxmox-provider running/);
    const again = await runCliWith(env, 'plan', '--target', 'hosts', '--out', out);
    expect(again.code).toBe(0);
    const hostEnv = await readFile(join(lab.ct200.root, 'opt/talos-sdk/provider-proxmox/.env'), 'utf8');
    expect(hostEnv).toContain(`OMNI_SERVICE_ACCOUNT_KEY='${SECRETS.OMNI_SERVICE_ACCOUNT_KEY}'\n`);
    expect(hostEnv).not.toContain('admin-omni-key');
    for (const secret of Object.values(SECRETS))
      expect(plan.out + apply.out + apply.err + again.out).not.toContain(secret);
  });

  it('refuses without credentials, naming the variables', async () => {
    lab = await startHostsLab();
    const out = join(await mkdtemp(join(tmpdir(), 'hosts-cli-')), 'out');
    await writeArtifacts(lab.artifacts(), out);
    const result = await runCliWith({}, 'plan', '--target', 'hosts', '--out', out);
    expect(result.code).toBe(1);
    expect(result.err).toContain('SSH_AUTH_SOCK');
  });
});
