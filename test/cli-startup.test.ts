// What `--help` and `--version` load, and that the compile cache writes nothing beside the package: run against a
// fresh bundle of the CLI (scripts/bundle-cli.mjs) in a temporary folder, as a subprocess.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generalHelp } from '../src/cli/help.js';
import { bundleCli } from '../scripts/bundle-cli.mjs';

const root = new URL('..', import.meta.url).pathname;
let base: string;
let cli: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'talos-topology-startup-'));
  await bundleCli(join(base, 'dist/cli'));
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  await writeFile(join(base, 'package.json'), JSON.stringify({ type: 'module', version }));
  cli = join(base, 'dist/cli/main.js');
}, 60_000);
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: base, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('CLI start-up', () => {
  it('--help and --version load no zod, js-yaml, models or generators', async () => {
    const chunks = join(base, 'dist/cli');
    // Remove every chunk holding zod or js-yaml: anything that imports them would now fail to load.
    for (const file of await readdir(chunks)) {
      const text = await readFile(join(chunks, file), 'utf8');
      if (text.includes('_zod') || text.includes('tag:yaml.org,2002:')) await rm(join(chunks, file));
    }
    expect(run('--help')).toMatchObject({ status: 0, stdout: `${generalHelp()}\n` });
    expect(run('--version').status).toBe(0);
    // The control: a command that validates does need what was removed.
    expect(run('validate', '--example').status).not.toBe(0);
  });

  it('the compile cache never writes into the package folder, and an unusable cache folder changes nothing', async () => {
    await rm(join(base, 'dist'), { recursive: true, force: true });
    await bundleCli(join(base, 'dist/cli'));
    const before = await readdir(base, { recursive: true });
    const unusable = join(base, 'package.json', 'cache'); // below a file: the cache folder cannot be created
    for (const env of [{}, { NODE_COMPILE_CACHE: unusable }]) {
      const result = spawnSync(process.execPath, [cli, 'validate', '--example'], {
        cwd: base,
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('(built-in spaceships example): valid');
    }
    expect((await readdir(base, { recursive: true })).sort()).toEqual(before.sort());
  }, 60_000);
});
