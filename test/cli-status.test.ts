import { afterEach, describe, expect, it } from 'vitest';
import { ClusterSpec } from '@talos-sdk/omni-client/generated/omni/specs/omni.js';
import { omniKinds } from '@talos-sdk/omni-client';
import type { OmniEmulator, TestServiceAccount } from '../src/testing/omni/index.js';
import { createTestServiceAccount, startOmniEmulator } from '../src/testing/omni/index.js';
import { runBuiltCli } from './built-cli.js';

const open: OmniEmulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((omni) => omni.close()));
});

async function omniWithAdmin(): Promise<{
  omni: OmniEmulator;
  env: Record<string, string>;
  account: TestServiceAccount;
}> {
  const account = await createTestServiceAccount();
  const omni = await startOmniEmulator();
  open.push(omni);
  await omni.registerPublicKey(account.armoredPublicKey, { role: 'Admin' });
  return { omni, account, env: { OMNI_ENDPOINT: omni.endpoint, OMNI_SERVICE_ACCOUNT_KEY: account.serviceAccountKey } };
}

describe('talos-topology status --wait (built CLI against the Omni emulator)', () => {
  it('says at once that a cluster Omni does not have does not exist, instead of waiting out --timeout', async () => {
    const { env } = await omniWithAdmin();
    // A 300 s timeout: the test's own 30 s limit fails it if the CLI waits.
    const result = await runBuiltCli(['status', '--cluster', 'talos-nowhere', '--wait', '--timeout', '300'], env);
    expect(result).toMatchObject({
      code: 1,
      err: 'talos-topology: cluster talos-nowhere does not exist in Omni (no Cluster talos-nowhere in namespace default); check its name\n',
    });
  });

  it('waits for a cluster that exists but is not ready, and reports the timeout in seconds, the unit of --timeout', async () => {
    const { omni, env } = await omniWithAdmin();
    // A Cluster that a template sync has just created: no machine set yet, so it is not ready.
    omni.state.put(omniKinds.Cluster, {
      id: 'talos-new',
      spec: ClusterSpec.fromPartial({ kubernetesVersion: '1.33.3', talosVersion: '1.10.4' }),
    });
    const result = await runBuiltCli(['status', '--cluster', 'talos-new', '--wait', '--timeout', '1'], env);
    expect(result).toMatchObject({
      code: 1,
      err: expect.stringContaining(
        'timed out after 1 s waiting for machine sets of cluster talos-new to be ready',
      ) as string,
    });
  });

  it('prints what it waits for and for how long every 5 s on stderr, and nothing with --quiet', async () => {
    const { omni, env } = await omniWithAdmin();
    omni.state.put(omniKinds.Cluster, { id: 'talos-new', spec: ClusterSpec.fromPartial({}) });
    const argv = ['status', '--cluster', 'talos-new', '--wait', '--timeout', '6'];
    const [loud, quiet] = await Promise.all([runBuiltCli(argv, env), runBuiltCli([...argv, '--quiet'], env)]);
    expect(loud.code).toBe(1);
    expect(loud.err).toMatch(/^waiting for machine sets of cluster talos-new to be ready \(5 s\)\n/);
    expect(loud.out).toBe('');
    expect(quiet.code).toBe(1);
    expect(quiet.err).toBe(
      'talos-topology: timed out after 6 s waiting for machine sets of cluster talos-new to be ready\n',
    );
  });
});
