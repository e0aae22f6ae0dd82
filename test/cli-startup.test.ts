// What `--help` and `--version` load, and where the compile cache goes: run against a
// fresh bundle of the CLI (scripts/bundle-cli.mjs) in a temporary folder, as a subprocess.
import { spawnSync } from 'node:child_process';
import module from 'node:module';
import { mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generalHelp } from '../src/cli/help.js';
import { bundleCli } from '../scripts/bundle-cli.mjs';
import { bundleCliApart } from './cli-bundle-apart.js';

let base: string;
let cli: string;

beforeAll(async () => {
  ({ base, cli } = await bundleCliApart('talos-topology-startup-'));
}, 60_000);
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: base, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A bundle of the CLI of its own under the shared folder, and a way to run it with a preload that writes, at exit,
 * what `recorded` yields: a CommonJS expression, evaluated then, in which `start` is Node's module list when the
 * preload started.
 *
 * @param name - The bundle's folder under the shared one.
 * @param recorded - The expression.
 * @param options - `packages`: link the repository's `node_modules` beside the bundle, for the commands to load.
 * @returns The folder (where the runs start), the bundle's entry, and the run: its environment, the exit status it
 *   must end with, and its arguments.
 */
async function recordingCli(
  name: string,
  recorded: string,
  options: { packages?: boolean } = {},
): Promise<{
  folder: string;
  cli: string;
  run: (env: NodeJS.ProcessEnv, status: number, ...args: string[]) => Promise<string[]>;
}> {
  const own = join(base, name);
  await bundleCli(join(own, 'dist/cli'));
  await writeFile(join(own, 'package.json'), await readFile(join(base, 'package.json')));
  if (options.packages) {
    await symlink(fileURLToPath(new URL('../node_modules', import.meta.url)), join(own, 'node_modules'));
  }
  const record = join(own, 'record.cjs');
  await writeFile(
    record,
    "const start = new Set(process.moduleLoadList); process.on('exit', () => require('node:fs').writeFileSync(" +
      `process.env.RECORD_TO, JSON.stringify(${recorded})));`,
  );
  const cli = join(own, 'dist/cli/main.cjs');
  const run = async (env: NodeJS.ProcessEnv, status: number, ...args: string[]): Promise<string[]> => {
    const to = join(own, 'record.json');
    const result = spawnSync(process.execPath, ['--require', record, cli, ...args], {
      cwd: own,
      encoding: 'utf8',
      env: { ...env, RECORD_TO: to },
    });
    expect(result.status, result.stderr).toBe(status);
    return JSON.parse(await readFile(to, 'utf8')) as string[];
  };
  return { folder: own, cli, run };
}

describe('CLI start-up', () => {
  it('--help, --version and a usage error load nothing but the entry file', async () => {
    const commands = join(base, 'dist/cli/commands');
    expect((await readdir(commands)).some((file) => file.endsWith('.js'))).toBe(true);
    const entry = await readFile(cli, 'utf8');
    // The entry imports no module up front: only the commands, each when it runs.
    expect(entry).not.toMatch(/\bfrom\s*["']/);
    expect(entry).not.toContain('_zod');
    await rm(commands, { recursive: true });
    expect(run('--help')).toMatchObject({ status: 0, stdout: `${generalHelp()}\n` });
    expect(run('--version').status).toBe(0);
    expect(run('help', 'generate').status).toBe(0);
    expect(run('validate', '--bogus')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('unknown option --bogus'),
    });
    // The control: a command does need what was removed.
    expect(run('validate', '--example').status).not.toBe(0);
  });

  it('the compile cache goes to a folder only the user can write, never beside the package or in the shared temporary folder', async () => {
    await rm(join(base, 'dist'), { recursive: true, force: true });
    await bundleCli(join(base, 'dist/cli'));
    const before = await readdir(base, { recursive: true });
    const home = await mkdtemp(join(tmpdir(), 'talos-topology-home-'));
    const temporary = await mkdtemp(join(tmpdir(), 'talos-topology-tmp-'));
    const unusable = join(base, 'package.json', 'cache'); // below a file: the cache folder cannot be created
    const surroundings: NodeJS.ProcessEnv = { ...process.env, HOME: home, TMPDIR: temporary };
    delete surroundings['NODE_COMPILE_CACHE'];
    delete surroundings['XDG_CACHE_HOME'];
    try {
      for (const env of [surroundings, { ...surroundings, NODE_COMPILE_CACHE: unusable }]) {
        const result = spawnSync(process.execPath, [cli, 'validate', '--example'], {
          cwd: base,
          encoding: 'utf8',
          env,
        });
        expect(result.status).toBe(0);
        expect(result.stdout).toContain('(built-in spaceships example): valid');
      }
      expect((await readdir(base, { recursive: true })).sort()).toEqual(before.sort());
      // Node's default, os.tmpdir()/node-compile-cache, is shared by every user of the machine: never used.
      expect(await readdir(temporary)).toEqual([]);
      const cache = join(home, '.cache', 'talos-topology', 'compile-cache');
      expect((await stat(cache)).mode & 0o777).toBe(0o700);
      // The command's script cache, on every Node; Node's own module cache beside it where Node has one (22.1).
      const scripts = await readdir(join(cache, 'scripts'));
      expect(scripts).toEqual([
        expect.stringMatching(new RegExp(`^validate\\.cjs-[0-9a-f]{8}-[0-9a-f]{32}-\\d+-\\d+-${process.version}-`)),
      ]);
      expect((await stat(join(cache, 'scripts', scripts[0]!))).mode & 0o777).toBe(0o600);
      const nodeCache = (await readdir(cache)).filter((entry) => entry !== 'scripts');
      const hasNodeCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
      expect(nodeCache.length > 0).toBe(hasNodeCache);
    } finally {
      await rm(home, { recursive: true, force: true });
      await rm(temporary, { recursive: true, force: true });
    }
  }, 60_000);

  it("plan loads no client SDK before a target runs, and a target's own when it runs", async () => {
    // Beside the repository's packages (the shared bundle has none to load), recording every CommonJS file the run
    // loaded: the SDKs are CommonJS, required by the command script.
    const { folder, cli, run } = await recordingCli('lazy', 'Object.keys(require.cache)', { packages: true });
    const generated = spawnSync(process.execPath, [cli, 'generate', '--example'], {
      cwd: folder,
      encoding: 'utf8',
    });
    expect(generated.status, generated.stderr).toBe(0);
    const loaded = (env: Record<string, string>): Promise<string[]> =>
      run({ PATH: process.env['PATH'] ?? '', ...env }, 1, 'plan');
    const sdk = (files: string[], name: string): boolean =>
      files.some((file) => file.includes(`/node_modules/${name}/`));
    const sdks = ['ssh2', '@grpc/grpc-js', 'openpgp', 'jsonc-parser'];
    // No credentials: no target is covered, and nothing but the HTTP clients' core (undici) is loaded.
    const none = await loaded({});
    expect(sdks.filter((name) => sdk(none, name))).toEqual([]);
    expect(sdk(none, 'undici')).toBe(true);
    // The control: Tailscale covered (its API unreachable), its session loads its client, which needs jsonc-parser.
    const tailscale = await loaded({ TS_API_KEY: 'tskey-api-unused', TS_API_URL: 'https://127.0.0.1:9' });
    expect(sdks.filter((name) => sdk(tailscale, name))).toEqual(['jsonc-parser']);
  }, 60_000);

  it('validate, and generate and check of a folder that is current, load no built-in they do not call', async () => {
    // A bundle of its own (the first test removes the shared one's commands), recording the built-ins the run loaded
    // after Node's own start.
    const { run } = await recordingCli('modules', 'process.moduleLoadList.filter((m) => !start.has(m))');
    const loaded = (...args: string[]): Promise<string[]> => run(process.env, 0, ...args);
    // The control: writing the folder does load node:fs/promises (its lock and folders) and node:os (the lock's host).
    const writing = await loaded('generate', '--example', '--out', 'current');
    expect(writing).toEqual(expect.arrayContaining(['NativeModule fs/promises', 'NativeModule os']));
    // node:module only where it has a compile cache to turn on (Node >= 22.1).
    const hasCompileCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
    const unused = ['NativeModule fs/promises', 'NativeModule os', ...(hasCompileCache ? [] : ['NativeModule module'])];
    for (const args of [
      ['validate', '--example'],
      ['generate', '--example', '--out', 'current'],
      ['check', '--example', '--out', 'current'],
    ]) {
      expect({ args, loaded: (await loaded(...args)).filter((m) => unused.includes(m)) }).toEqual({ args, loaded: [] });
    }
  }, 60_000);
});
