import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { unquoteDotenvValue } from '../src/clients/dotenv-value.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { omniKinds } from '../src/clients/omni/index.js';
import { writeArtifacts } from '../src/generators/output-folder.js';
import type { OmniEmulator } from '../src/testing/omni/index.js';
import { createTestServiceAccount, startInfraProvider, startOmniEmulator } from '../src/testing/omni/index.js';
import type { ProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';
import type { HostsLab } from './hosts-fixtures.js';
import { CLIENT_KEY, SECRETS, startHostsLab } from './hosts-fixtures.js';
import { runCliWith } from './run-cli.js';

let lab: HostsLab | undefined;
let omni: OmniEmulator | undefined;
let pve: ProxmoxEmulator | undefined;
afterEach(async () => {
  await lab?.close();
  await omni?.close();
  await pve?.close();
  lab = undefined;
  omni = undefined;
  pve = undefined;
});

const ROOT_PASSWORD = 'emulated-root-password-1';

describe('examples/spaceships from a clean state: proxmox, hosts, then omni with --provider-key-host', () => {
  it('ends with both stacks running on their hosts and the provider connected to Omni, no secret printed', async () => {
    lab = await startHostsLab();
    pve = await startProxmoxEmulator({ rootPassword: ROOT_PASSWORD, taskDurationMs: 5 });
    omni = await startOmniEmulator();
    const admin = await createTestServiceAccount();
    await omni.registerPublicKey(admin.armoredPublicKey, { role: 'Admin' });
    const work = await mkdtemp(join(tmpdir(), 'provider-key-host-'));
    const out = join(work, 'out');
    await writeArtifacts(lab.artifacts(), out);
    const keyFile = join(work, 'id_ed25519');
    await writeFile(keyFile, CLIENT_KEY.private, { mode: 0o600 });
    const env = {
      OMNI_ENDPOINT: omni.endpoint,
      OMNI_SERVICE_ACCOUNT_KEY: admin.serviceAccountKey,
      HOSTS_SSH_KEY_FILE: keyFile,
      TS_AUTHKEY: SECRETS.TS_AUTHKEY,
      PROXMOX_URL: pve.url,
      PROXMOX_ROOT_PASSWORD: ROOT_PASSWORD,
      PROXMOX_FINGERPRINT: pve.fingerprint256,
    };
    const printed: string[] = [];
    const run = async (...argv: string[]) => {
      const result = await runCliWith(env, ...argv);
      printed.push(result.out, result.err);
      return result;
    };
    // CT 200 and the provider's Proxmox access; the token secret goes into the provider stack's .env in out/.
    const providerEnv = join(out, 'hosts/ct-200/provider-proxmox/.env');
    const proxmox = await run(
      'apply',
      '--yes',
      '--target',
      'proxmox',
      '--cluster',
      'matrix',
      '--out',
      out,
      '--token-secret-env-file',
      providerEnv,
    );
    expect(proxmox.code).toBe(0);
    const tokenSecret = pve.state.tokens.get('omni-provider@pve!omni')?.secret ?? 'missing';
    // Bring the lab up: the stacks first; the provider's lacks its Omni key, so it is delivered but not started.
    const hosts = await run('apply', '--yes', '--target', 'hosts', '--out', out);
    // A change left undone (the provider's stack, not started) makes apply exit 2.
    expect(hosts.code).toBe(2);
    expect(hosts.err).toMatch(
      /skipped: stack ct-200:provider-proxmox \(not started: no value here or on the host for OMNI_SERVICE_ACCOUNT_KEY/,
    );
    expect(lab.ct200.docker.composeUps()).toHaveLength(0);
    // The simulated provider starts when the fake docker on CT 200 starts its container, with the key on the host.
    const hostEnv = join(lab.ct200.root, 'opt/talos-sdk/provider-proxmox/.env');
    const emulator = omni;
    const ct200 = lab.ct200;
    let provider: Promise<{ stop(): Promise<void> }> | undefined;
    const watcher = setInterval(() => {
      if (provider || !ct200.docker.projects.get('omni-infra-provider-proxmox')?.get('proxmox-provider')) return;
      provider = readFile(hostEnv, 'utf8').then((text) => {
        const key = unquoteDotenvValue(/^OMNI_SERVICE_ACCOUNT_KEY=(.*)$/m.exec(text)?.[1] ?? '');
        return startInfraProvider(emulator.endpoint, key, { heartbeatIntervalMs: 20 });
      });
    }, 10);
    try {
      const result = await run(
        'apply',
        '--yes',
        '--target',
        'omni',
        '--out',
        out,
        '--provider-key-host',
        '--provider-timeout',
        '30',
      );
      expect(result.err).toContain("provider key: delivering the provider's stack to ct-200 over SSH");
      expect(result.code).toBe(0);
    } finally {
      clearInterval(watcher);
      await (await provider)?.stop();
    }
    expect(omni.state.list(omniKinds.MachineClass)).toHaveLength(2);
    const delivered = await readFile(hostEnv, 'utf8');
    expect(delivered).not.toContain(admin.serviceAccountKey);
    expect(delivered).toMatch(/^OMNI_SERVICE_ACCOUNT_KEY=\S+$/m);
    expect(ct200.docker.composeUps()).toHaveLength(1);
    expect(delivered).toContain(`PROXMOX_TOKEN_SECRET='${tokenSecret}'\n`);
    expect((await run('plan', '--target', 'hosts', '--out', out)).code).toBe(0);
    const providerKey = unquoteDotenvValue(/^OMNI_SERVICE_ACCOUNT_KEY=(.*)$/m.exec(delivered)?.[1] ?? 'missing');
    for (const secret of [tokenSecret, providerKey, SECRETS.TS_AUTHKEY, ROOT_PASSWORD, admin.serviceAccountKey]) {
      expect(printed.join('\n')).not.toContain(secret);
    }
  });
});
