/**
 * The CLI run as a child process, the way a user runs it: either the package's own build (`dist/cli/main.cjs`, as
 * `npm run build` and `npm ci` write it) or a fresh build under the repository's `.tmp/`, made by the same
 * `scripts/bundle-cli.mjs`, so the bundle finds its external packages (`tsx`, `@talos-sdk/omni-client`, the client
 * SDKs) in the repository's `node_modules`; beside a fresh build sits a bundle of the library as
 * `node_modules/@talos-sdk/topology`, so a `.ts` topology written into a project folder under it imports
 * `defineTopology` as a consumer's would.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleCli, EXTERNAL_PACKAGES } from '../scripts/bundle-cli.mjs';

const REPOSITORY = fileURLToPath(new URL('..', import.meta.url));

/**
 * The built CLI, as `npm run build` (and `npm ci`, through `prepare`) writes it; or the one `TALOS_TOPOLOGY_CLI`
 * names, which `.ci/run` points at the CLI of the packed tarball installed into an empty project.
 */
export const BUILT_CLI = process.env['TALOS_TOPOLOGY_CLI'] ?? join(REPOSITORY, 'dist/cli/main.cjs');

/** What one run of the built CLI printed, and its exit code. */
export interface BuiltCliResult {
  /** The exit code. */
  readonly code: number | null;
  /** Standard output. */
  readonly out: string;
  /** Standard error. */
  readonly err: string;
}

/** Where and with what a CLI child process runs. */
interface RunOptions {
  /** The working directory. */
  readonly cwd?: string;
  /**
   * Variables added to a minimal environment: nothing of the test's environment is passed but `PATH`, so neither a
   * credential of the machine nor `NO_COLOR`/`FORCE_COLOR` of the shell running the tests can leak in.
   */
  readonly env?: Record<string, string>;
}

function spawnCli(main: string, argv: readonly string[], options: RunOptions): Promise<BuiltCliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...argv], {
      cwd: options.cwd ?? REPOSITORY,
      env: { PATH: process.env['PATH'] ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/**
 * Runs the package's built CLI (`dist/cli/main.cjs`) as a subprocess.
 *
 * @param argv - The arguments, as after `talos-topology`.
 * @param env - Variables added to a minimal environment (`PATH` only).
 * @returns The exit code and what it printed.
 */
export function runBuiltCli(argv: readonly string[], env: Record<string, string> = {}): Promise<BuiltCliResult> {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run npm run build first`);
  return spawnCli(BUILT_CLI, argv, { env });
}

/** A built CLI and the folder it lives in. */
export interface BuiltCli {
  /** The folder holding the bundle; project folders made with {@link BuiltCli.project} sit inside it. */
  readonly root: string;
  /**
   * Runs the CLI.
   *
   * @param argv - The arguments after `talos-topology`.
   * @param options - The working directory (default: {@link BuiltCli.root}) and environment variables.
   */
  run(argv: readonly string[], options?: RunOptions): Promise<BuiltCliResult>;
  /** Makes an empty project folder inside {@link BuiltCli.root}. */
  project(): Promise<string>;
  /** Removes everything. */
  remove(): Promise<void>;
}

/**
 * Builds the CLI and the library into a fresh folder under the repository's `.tmp/`.
 *
 * @returns The built CLI.
 */
export async function buildCli(): Promise<BuiltCli> {
  await mkdir(join(REPOSITORY, '.tmp'), { recursive: true });
  const root = await mkdtemp(join(REPOSITORY, '.tmp', 'built-cli-'));
  const library = join(root, 'node_modules', '@talos-sdk', 'topology');
  await bundleCli(join(root, 'dist', 'cli'));
  await build({
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    external: [...EXTERNAL_PACKAGES],
    logLevel: 'error',
    entryPoints: [join(REPOSITORY, 'src/index.ts')],
    outfile: join(library, 'index.js'),
  });
  await writeFile(
    join(library, 'package.json'),
    JSON.stringify({ name: '@talos-sdk/topology', type: 'module', exports: './index.js' }),
  );
  // The bundle is ES modules in .js files, as in dist/cli (a package.json without a name, so that project folders below
  // do not resolve @talos-sdk/topology to this folder by the package's self-reference).
  await writeFile(join(root, 'package.json'), JSON.stringify({ type: 'module' }));
  const main = join(root, 'dist', 'cli', 'main.cjs');
  let projects = 0;
  return {
    root,
    run: (argv, options = {}) => spawnCli(main, argv, { cwd: root, ...options }),
    project: async () => {
      const folder = join(root, `project-${++projects}`);
      await mkdir(folder);
      return folder;
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/**
 * A loopback port nothing listens on: bound once to get a free number, then closed.
 *
 * @returns The port.
 */
export async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
