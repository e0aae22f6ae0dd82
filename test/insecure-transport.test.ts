import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliResult } from './run-cli.js';
import { runCliWith } from './run-cli.js';
import { createOmniClient } from '@talos-sdk/omni-client';
import { createTestServiceAccount } from '../src/testing/omni/index.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';

const ROOT_PASSWORD = 'emulated-root-password-1';
let dir: string;
const processWarnings: string[] = [];
const onWarning = (warning: Error): void => void processWarnings.push(warning.message);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talos-topology-insecure-'));
  process.on('warning', onWarning);
});
afterEach(async () => {
  process.off('warning', onWarning);
  processWarnings.splice(0);
  await rm(dir, { recursive: true, force: true });
});

function cli(env: Record<string, string>, ...argv: string[]): Promise<CliResult> {
  return runCliWith(env, ...argv);
}

describe('insecure transport', () => {
  it('is warned about through the CLI output (stderr and the JSON plan), not as a process warning', async () => {
    const pve = await startProxmoxEmulator({ rootPassword: ROOT_PASSWORD, taskDurationMs: 5 });
    try {
      const out = join(dir, 'out');
      await cli({}, 'generate', '--example', '--out', out);
      const env = { PROXMOX_URL: pve.url, PROXMOX_ROOT_PASSWORD: ROOT_PASSWORD, PROXMOX_INSECURE_SKIP_VERIFY: '1' };
      const warning =
        `TLS certificate verification is disabled for ${pve.url}: anyone on the path can read and change this ` +
        'traffic, credentials included. Trust the server CA (caFile) or pin its fingerprint256 instead.';
      const text = await cli(
        env,
        'plan',
        '--detailed-exitcode',
        '--target',
        'proxmox',
        '--cluster',
        'matrix',
        '--out',
        out,
      );
      expect(text.code).toBe(2);
      expect(text.err).toBe(`warning: ${warning}\n`);
      const json = await cli(env, 'plan', '--target', 'proxmox', '--cluster', 'matrix', '--out', out, '--json');
      expect(JSON.parse(json.out).warnings).toEqual([warning]);
      expect(processWarnings).toEqual([]);
    } finally {
      await pve.close();
    }
  });

  it('warns about a plaintext http:// Omni endpoint off this machine, and not about one on loopback', async () => {
    const account = await createTestServiceAccount();
    const warned: string[] = [];
    const logger = { warn: (message: string) => void warned.push(message) };
    for (const endpoint of [
      'http://127.0.0.1:8080',
      'http://localhost:8080',
      'http://[::1]:8080',
      'https://omni.example',
    ]) {
      (await createOmniClient({ endpoint, serviceAccountKey: account.serviceAccountKey, logger })).close();
    }
    expect(warned).toEqual([]);
    (
      await createOmniClient({ endpoint: 'http://omni.lan:8080', serviceAccountKey: account.serviceAccountKey, logger })
    ).close();
    expect(warned).toEqual([
      'Omni endpoint http://omni.lan:8080 is plaintext http://: anyone on the path can read and change this traffic ' +
        '(machine configuration and cluster patches included). Use https://.',
    ]);
  });
});
