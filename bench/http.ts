/**
 * Plan + apply against the Proxmox, UniFi and Auth0 emulators (127.0.0.1 only), printing requests and milliseconds.
 * Run with `npx tsx bench/http.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applyAuth0 } from '../src/clients/auth0/apply.js';
import { planAuth0 } from '../src/clients/auth0/plan.js';
import { applyProxmox } from '../src/clients/proxmox/apply.js';
import { ProxmoxClient } from '../src/clients/proxmox/client.js';
import { planProxmox } from '../src/clients/proxmox/plan.js';
import { applyUnifi } from '../src/clients/unifi/apply.js';
import { UnifiClient } from '../src/clients/unifi/client.js';
import { planUnifi } from '../src/clients/unifi/plan.js';
import { startAuth0Emulator } from '../src/testing/auth0/index.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import { AUTH0_SCOPES, EXAMPLE_AUTH0_APPLICATION, auth0ClientFor } from '../test/auth0-fixtures.js';
import { exampleProxmoxArtifactSet, exampleUnifiArtifactSet, jsonArtifactSet } from '../test/client-fixtures.js';

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

/**
 * An Auth0 plan costs one token request (client credentials, then cached), one `GET` of the application and one
 * `users-by-email` per initial user, whatever the number of URLs: `urls` grows the three lists, the count stays.
 */
async function benchAuth0(urls: number, users: number): Promise<void> {
  const auth0 = await startAuth0Emulator();
  const clientId = auth0.addApplication({ name: 'Omni' })['client_id'] as string;
  const client = auth0ClientFor(auth0, { kind: 'client-credentials', ...auth0.addM2mApplication(AUTH0_SCOPES) });
  const origins = Array.from({ length: urls }, (_, index) => `https://omni-${index}.spaceships.work`);
  const set = jsonArtifactSet([
    {
      path: 'auth0/omni-application.json',
      kind: 'auth0-application',
      data: {
        ...EXAMPLE_AUTH0_APPLICATION,
        tenant: auth0.domain,
        clientId,
        body: { app_type: 'spa', callbacks: origins, allowed_logout_urls: origins, web_origins: origins },
        initialUsers: Array.from({ length: users }, (_, index) => `admin-${index}@spaceships.work`),
      },
    },
  ]);
  const label = `auth0 ${urls} URL ${users} user`;
  try {
    await measure(`${label} plan (cold)`, client, () => planAuth0(set, client));
    await measure(`${label} apply`, client, () => applyAuth0(set, client));
    await measure(`${label} plan (converged)`, client, () => planAuth0(set, client));
  } finally {
    await client.close();
    await auth0.close();
  }
}

await benchAuth0(1, 1);
await benchAuth0(6, 1);
await benchAuth0(6, 3);
