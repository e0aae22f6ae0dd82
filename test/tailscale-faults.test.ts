import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTailscale } from '../src/clients/tailscale/apply.js';
import { planTailscale } from '../src/clients/tailscale/plan.js';
import type { FaultOptions } from '../src/testing/https-emulator.js';
import type { TailscaleEmulator } from '../src/testing/tailscale/index.js';
import { API_KEY, clientFor, spaceshipsSet, startTailnet, tempOut } from './tailscale-fixtures.js';

const set = spaceshipsSet();
const SEEDS = Array.from({ length: 50 }, (_, index) => index + 1);
const STACKS: Readonly<Record<string, string>> = {
  'tag:omni': 'hosts/holly/omni',
  'tag:pve-infra': 'hosts/ct-200/provider-proxmox',
};

/** 20 % faults in equal parts: 5xx before processing, 5xx after it took effect, resets before and after. */
function faults(seed: number): FaultOptions {
  return { serverErrorRate: 0.05, serverErrorAfterRate: 0.05, resetRate: 0.1, seed };
}

let tailnet: TailscaleEmulator;
beforeAll(async () => {
  tailnet = await startTailnet();
});
afterAll(async () => {
  await tailnet.close();
});

describe('tailscale apply under 20 % faults', () => {
  it.each(SEEDS)('seed %i: converges with exactly one live key per sidecar, the one in its .env', async (seed) => {
    tailnet.setFaults({});
    tailnet.state.devices.length = 0;
    tailnet.state.keys.length = 0;
    const out = await tempOut();
    // Odd seeds: the provider already joined with wrong settings and Omni has not; even seeds: neither has joined.
    const provider =
      seed % 2 === 1
        ? tailnet.joinDevice({ hostname: 'omni-provider', tags: ['tag:omni'], keyExpiryDisabled: false })
        : undefined;
    tailnet.setFaults(faults(seed));
    const client = clientFor(tailnet);
    const options = { mintAuthKeys: true, outDir: out, rounds: 12, roundDelayMs: 1 };
    await applyTailscale(set, client, options);
    tailnet.setFaults({});
    const live = tailnet.state.keys.filter((key) => !key.invalid);
    expect(live.map((key) => key.create.tags[0]).sort()).toEqual(
      provider ? ['tag:omni'] : ['tag:omni', 'tag:pve-infra'],
    );
    for (const key of live) {
      const env = await readFile(join(out, STACKS[key.create.tags[0]!]!, '.env'), 'utf8');
      expect(env).toContain(key.key);
      expect(env).not.toContain(API_KEY);
    }
    if (provider) {
      expect(provider.tags).toEqual(['tag:pve-infra']);
      expect(provider.keyExpiryDisabled).toBe(true);
    }
    const again = await planTailscale(set, client, options);
    expect(again.changes.filter((change) => change.action !== 'no-op')).toEqual([]);
    await client.close();
  });
});
