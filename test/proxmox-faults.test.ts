import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyProxmox } from '../src/clients/proxmox/apply.js';
import { ProxmoxClient } from '../src/clients/proxmox/client.js';
import { planProxmox } from '../src/clients/proxmox/plan.js';
import { seededRandom } from '../src/testing/seeded-random.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { EXAMPLE_PROVIDER_ACCESS, exampleProxmoxArtifactSet } from './client-fixtures.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

describe('Proxmox apply under injected faults', () => {
  it.each([11, 23, 42])(
    'seed %i: converges with 5xx answers and connection resets at 20 percent each, creating nothing twice',
    async (seed) => {
      const pve = await startProxmoxEmulator({
        rootPassword: 'emulated-root-pw',
        taskDurationMs: 5,
        faults: { serverErrorRate: 0.2, resetRate: 0.2, latencyMs: 1, seed },
      });
      open.push(pve);
      const client = new ProxmoxClient({
        url: pve.url,
        credentials: { kind: 'password', username: 'root@pam', password: 'emulated-root-pw' },
        tls: { fingerprint256: pve.fingerprint256 },
        taskPollMs: 5,
        retry: { retries: 4, baseDelayMs: 1, maxDelayMs: 5 },
        random: seededRandom(seed),
      });
      open.push(client);
      const set = exampleProxmoxArtifactSet();
      const tokenSecret = { envFile: join(await mkdtemp(join(tmpdir(), 'pve-')), 'provider.env') };
      let attempts = 0;
      for (let done = false; !done && attempts < 30; attempts++) {
        done = await applyProxmox(set, client, { cluster: 'matrix', tokenSecret }).then(
          () => true,
          () => false,
        );
      }
      expect(attempts).toBeLessThan(30);
      pve.setFaults({});
      const plan = await planProxmox(set, client, { cluster: 'matrix', tokenSecret });
      expect(plan.changes.filter((change) => change.action !== 'no-op')).toEqual([]);
      expect(pve.state.creations.sort()).toEqual([
        'lxc/200',
        'role/OmniInfraProvider',
        'token/omni-provider@pve!omni',
        'user/omni-provider@pve',
      ]);
      expect(pve.state.acl).toHaveLength(EXAMPLE_PROVIDER_ACCESS.acl.length);
    },
  );
});
