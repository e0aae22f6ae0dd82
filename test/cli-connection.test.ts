import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServiceAccount } from '../src/testing/omni/index.js';
import { closedLoopbackPort, runBuiltCli } from './built-cli.js';

let dir: string;
let out: string;
let closedPort: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talos-topology-connection-'));
  out = join(dir, 'out');
  expect((await runBuiltCli(['generate', '--example', '--out', out])).code).toBe(0);
  closedPort = await closedLoopbackPort();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('connection errors name the host and port, never a secret (built CLI)', () => {
  it('Omni', async () => {
    const account = await createTestServiceAccount();
    const env = {
      OMNI_ENDPOINT: `http://127.0.0.1:${closedPort}`,
      OMNI_SERVICE_ACCOUNT_KEY: account.serviceAccountKey,
    };
    const result = await runBuiltCli(['plan', '--target', 'omni', '--out', out], env);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`cannot connect to 127.0.0.1:${closedPort}: connection refused (ECONNREFUSED)`);
    expect(result.err).not.toContain(account.serviceAccountKey.slice(0, 40));
  });

  it('Proxmox', async () => {
    const secret = '3f1e2d4c-5b6a-4789-9abc-def012345678';
    const env = {
      PROXMOX_URL: `https://127.0.0.1:${closedPort}`,
      PROXMOX_ADMIN_TOKEN_ID: 'root@pam!talos',
      PROXMOX_ADMIN_TOKEN_SECRET: secret,
    };
    const result = await runBuiltCli(['plan', '--target', 'proxmox', '--out', out, '--cluster', 'matrix'], env);
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      `talos-topology: GET /api2/json/version failed: cannot connect to 127.0.0.1:${closedPort}: connection refused (ECONNREFUSED)`,
    );
    expect(result.err).not.toContain(secret);
  });

  it('UniFi', async () => {
    const apiKey = 'unifi-api-key-that-must-not-leak-0001';
    const env = { UNIFI_URL: `https://127.0.0.1:${closedPort}`, UNIFI_API_KEY: apiKey };
    const result = await runBuiltCli(['plan', '--target', 'unifi', '--out', out], env);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`cannot connect to 127.0.0.1:${closedPort}: connection refused (ECONNREFUSED)`);
    expect(result.err).not.toContain(apiKey);
  });
});
