/**
 * `--target tailscale` as a user runs it: the built CLI as a child process against the Tailscale emulator.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TailscaleEmulator } from '../src/testing/tailscale/index.js';
import type { BuiltCli } from './built-cli.js';
import { buildCli } from './built-cli.js';
import { API_KEY, OAUTH_CLIENT, startTailnet } from './tailscale-fixtures.js';

let cli: BuiltCli;
let tailnet: TailscaleEmulator;
beforeAll(async () => {
  cli = await buildCli();
  tailnet = await startTailnet();
}, 120_000);
afterAll(async () => {
  await tailnet.close();
  await cli.remove();
});

describe('talos-topology --target tailscale', () => {
  it('mints auth keys into the stacks’ .env only, then sets the joined node and plans nothing', async () => {
    const project = await cli.project();
    expect((await cli.run(['generate', '--example', '--out', 'out'], { cwd: project })).code).toBe(0);
    const env = { TS_API_URL: tailnet.url, TS_API_KEY: API_KEY, TS_API_FINGERPRINT: tailnet.fingerprint256 };
    const plan = await cli.run(
      ['plan', '--detailed-exitcode', '--target', 'tailscale', '--mint-auth-keys', '--no-color'],
      {
        cwd: project,
        env,
      },
    );
    expect(plan.code).toBe(2);
    expect(plan.out).toContain('auth-key');
    const apply = await cli.run(['apply', '--yes', '--target', 'tailscale', '--mint-auth-keys', '--json'], {
      cwd: project,
      env,
    });
    expect(apply.code).toBe(0);
    expect(tailnet.state.keys).toHaveLength(2);
    const omniEnv = await readFile(join(project, 'out/hosts/holly/omni/.env'), 'utf8');
    const omniKey = tailnet.state.keys.find((key) => key.create.tags.includes('tag:omni'))!.key;
    expect(omniEnv).toContain(omniKey);
    for (const key of tailnet.state.keys) {
      expect(`${plan.out}${plan.err}${apply.out}${apply.err}`).not.toContain(key.key);
    }
    expect(`${apply.out}${apply.err}`).not.toContain(API_KEY);

    tailnet.joinDevice({ hostname: 'omni', authKey: omniKey });
    const oauth = {
      TS_API_URL: tailnet.url,
      TS_OAUTH_CLIENT_ID: OAUTH_CLIENT.id,
      TS_OAUTH_CLIENT_SECRET: OAUTH_CLIENT.secret,
      TS_API_FINGERPRINT: tailnet.fingerprint256,
    };
    const joined = await cli.run(['apply', '--yes', '--target', 'tailscale', '--mint-auth-keys'], {
      cwd: project,
      env: oauth,
    });
    expect(joined).toMatchObject({ code: 0, out: expect.stringContaining('applied 1 change') });
    expect(tailnet.state.devices[0]?.addresses[0]).toBe('100.101.12.20');
    const again = await cli.run(['plan', '--target', 'tailscale', '--mint-auth-keys', '--json'], {
      cwd: project,
      env: oauth,
    });
    expect(again.code).toBe(0);
    expect(`${again.out}${again.err}${joined.out}${joined.err}`).not.toContain(OAUTH_CLIENT.secret);
  });

  it('refuses, naming the node, when another node holds Omni’s address (exit 1, kind refused)', async () => {
    tailnet.state.devices.length = 0;
    tailnet.joinDevice({ hostname: 'omni-old', tags: ['tag:omni'], ipv4: '100.101.12.20' });
    tailnet.joinDevice({ hostname: 'omni', tags: ['tag:omni'] });
    const project = await cli.project();
    await cli.run(['generate', '--example', '--out', 'out'], { cwd: project });
    const env = { TS_API_URL: tailnet.url, TS_API_KEY: API_KEY, TS_API_FINGERPRINT: tailnet.fingerprint256 };
    const apply = await cli.run(['apply', '--yes', '--target', 'tailscale', '--json'], { cwd: project, env });
    expect(apply.code).toBe(1);
    const error = (JSON.parse(apply.out) as { error: { kind: string; message: string } }).error;
    expect(error.kind).toBe('refused');
    expect(error.message).toContain('another node holds it: omni-old.tail1234.ts.net');
  });

  it('names the missing credentials', async () => {
    const project = await cli.project();
    await cli.run(['generate', '--example', '--out', 'out'], { cwd: project });
    const plan = await cli.run(['plan', '--target', 'tailscale'], { cwd: project });
    expect(plan).toMatchObject({ code: 1, err: expect.stringContaining('TS_API_KEY') });
  });
});
