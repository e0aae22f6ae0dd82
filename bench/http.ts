/**
 * Plan + apply against the Proxmox and UniFi emulators (127.0.0.1 only), printing requests and milliseconds.
 * Run with `npx tsx bench/http.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applyProxmox } from '../src/clients/proxmox/apply.js';
import { ProxmoxClient } from '../src/clients/proxmox/client.js';
import { planProxmox } from '../src/clients/proxmox/plan.js';
import { applyUnifi } from '../src/clients/unifi/apply.js';
import { UnifiClient } from '../src/clients/unifi/client.js';
import { planUnifi } from '../src/clients/unifi/plan.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import { exampleProxmoxArtifactSet, exampleUnifiArtifactSet } from '../test/client-fixtures.js';

interface Counted {
  readonly http: { readonly stats: { requests: number; retries: number } };
}

async function measure(label: string, client: Counted, run: () => Promise<unknown>): Promise<void> {
  const before = { ...client.http.stats };
  const start = performance.now();
  await run();
  const ms = performance.now() - start;
  const requests = client.http.stats.requests - before.requests;
  const retries = client.http.stats.retries - before.retries;
  process.stdout.write(
    `${label.padEnd(36)} ${String(requests).padStart(4)} requests ${String(retries).padStart(3)} retries ${ms.toFixed(1).padStart(8)} ms\n`,
  );
}

async function benchProxmox(
  faults: { serverErrorRate?: number; resetRate?: number; seed?: number },
  label: string,
): Promise<void> {
  const pve = await startProxmoxEmulator({ rootPassword: 'bench-root-password', taskDurationMs: 20, faults });
  const client = new ProxmoxClient({
    url: pve.url,
    credentials: { kind: 'password', username: 'root@pam', password: 'bench-root-password' },
    tls: { fingerprint256: pve.fingerprint256 },
    taskPollMs: 10,
    retry: { baseDelayMs: 2, maxDelayMs: 20 },
  });
  const dir = await mkdtemp(join(tmpdir(), 'bench-pve-'));
  const options = { cluster: 'matrix', tokenSecret: { envFile: join(dir, 'provider.env') } };
  const set = exampleProxmoxArtifactSet();
  try {
    await measure(`proxmox ${label} plan (empty)`, client, () => planProxmox(set, client, options));
    await measure(`proxmox ${label} apply`, client, async () => {
      for (let attempt = 0; attempt < 20; attempt++) {
        if (
          await applyProxmox(set, client, options).then(
            () => true,
            () => false,
          )
        )
          return;
      }
      throw new Error('apply did not converge');
    });
    await measure(`proxmox ${label} plan (converged)`, client, () => planProxmox(set, client, options));
  } finally {
    await client.close();
    await pve.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function benchUnifi(
  faults: { serverErrorRate?: number; resetRate?: number; seed?: number },
  label: string,
): Promise<void> {
  const admin = { username: 'bench-admin', password: 'bench-admin-password' };
  const unifi = await startUnifiEmulator({ admin, faults });
  const client = new UnifiClient({
    url: unifi.url,
    credentials: { kind: 'login', ...admin },
    tls: { ca: unifi.caPem },
    retry: { baseDelayMs: 2, maxDelayMs: 20 },
  });
  const set = exampleUnifiArtifactSet();
  try {
    await measure(`unifi ${label} plan (empty)`, client, () => planUnifi(set, client));
    await measure(`unifi ${label} apply`, client, async () => {
      for (let attempt = 0; attempt < 20; attempt++) {
        if (
          await applyUnifi(set, client).then(
            () => true,
            () => false,
          )
        )
          return;
      }
      throw new Error('apply did not converge');
    });
    await measure(`unifi ${label} plan (converged)`, client, () => planUnifi(set, client));
  } finally {
    await client.close();
    await unifi.close();
  }
}

await benchProxmox({}, 'clean');
await benchProxmox({ serverErrorRate: 0.2, resetRate: 0.2, seed: 7 }, '20% faults');
await benchUnifi({}, 'clean');
await benchUnifi({ serverErrorRate: 0.2, resetRate: 0.2, seed: 7 }, '20% faults');
