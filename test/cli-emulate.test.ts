import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_CLI as CLI } from './built-cli.js';

const TOPOLOGY = fileURLToPath(new URL('../examples/spaceships/topology.ts', import.meta.url));
const VARIABLES = [
  'OMNI_ENDPOINT',
  'OMNI_SERVICE_ACCOUNT_KEY',
  'PROXMOX_URL',
  'PROXMOX_ROOT_PASSWORD',
  'PROXMOX_FINGERPRINT',
  'UNIFI_URL',
  'UNIFI_API_KEY',
  'UNIFI_FINGERPRINT',
];

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the built CLI with the emulators' variables, from a folder of its own. */
function cli(env: Record<string, string>, cwd: string, ...argv: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...argv], { cwd, env: { ...process.env, ...env } }, (error, out, err) =>
      resolve({ code: error ? Number(error.code) : 0, out, err }),
    );
  });
}

/** The `export NAME=value` lines `emulate` prints, once all of them are there. */
function exportedVariables(child: ChildProcessWithoutNullStreams): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const env = Object.fromEntries(
        [...text.matchAll(/^export ([A-Z_]+)=(.*)$/gm)].map(([, name, value]) => [name, value!.replace(/^'|'$/g, '')]),
      );
      if (VARIABLES.every((name) => name in env)) resolve(env);
    });
    child.once('exit', (code) => reject(new Error(`emulate exited with ${code}: ${text}`)));
  });
}

let child: ChildProcessWithoutNullStreams;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  dir = await mkdtemp(join(tmpdir(), 'talos-topology-emulate-'));
  child = spawn(process.execPath, [CLI, 'emulate'], { cwd: dir });
  env = await exportedVariables(child);
});

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('talos-topology emulate (built CLI)', () => {
  it('prints the variables of all three targets, loopback only', () => {
    expect(Object.keys(env)).toEqual(VARIABLES);
    for (const name of ['OMNI_ENDPOINT', 'PROXMOX_URL', 'UNIFI_URL'])
      expect(env[name]).toMatch(/^https?:\/\/127\.0\.0\.1:\d+$/);
  });

  it('lets plan reach every target and apply to Omni with a connected infra provider', async () => {
    const out = join(dir, 'out');
    expect((await cli(env, dir, 'generate', TOPOLOGY, '--out', out)).code).toBe(0);
    for (const target of [['omni'], ['unifi'], ['proxmox', '--cluster', 'matrix']]) {
      const plan = await cli(env, dir, 'plan', '--detailed-exitcode', '--target', ...target, '--out', out, '--json');
      expect({ target: target[0], code: plan.code, err: plan.err }).toEqual({ target: target[0], code: 2, err: '' });
      expect(JSON.parse(plan.out).summary.create).toBeGreaterThan(0);
    }
    const keyFile = join(out, 'hosts/ct-200/provider-proxmox/.env');
    const flags = ['--provider-key-env-file', keyFile, '--provider-timeout', '20'];
    const apply = await cli(env, dir, 'apply', '--yes', '--target', 'omni', '--out', out, ...flags);
    expect(apply.code).toBe(0);
    expect((await cli(env, dir, 'plan', '--target', 'omni', '--out', out)).code).toBe(0);
  });

  it('stops on Ctrl-C (SIGINT) with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
