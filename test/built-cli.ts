/**
 * The CLI built the way `npm run build` builds it (one esbuild bundle), run as a child process the way a user runs it.
 * The build goes under the repository's `.tmp/` so the bundle finds its external packages (`tsx`, the client SDKs)
 * in the repository's `node_modules`; beside it sits a bundle of the library as `node_modules/@talos-sdk/topology`,
 * so a `.ts` topology written into a project folder under the root imports `defineTopology` as a consumer's would.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPOSITORY = fileURLToPath(new URL('..', import.meta.url));
const EXTERNAL = ['tsx', '@grpc/grpc-js', '@bufbuild/protobuf', 'openpgp', 'undici', 'selfsigned'];
const BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** What one run of the built CLI printed, and its exit code. */
export interface BuiltCliResult {
  /** The exit code. */
  readonly code: number | null;
  /** Standard output. */
  readonly out: string;
  /** Standard error. */
  readonly err: string;
}

/** A built CLI and the folder it lives in. */
export interface BuiltCli {
  /** The folder holding the bundle; project folders made with {@link BuiltCli.project} sit inside it. */
  readonly root: string;
  /**
   * Runs the CLI.
   *
   * @param argv - The arguments after `talos-topology`.
   * @param options - The working directory and environment variables (nothing else of the test's environment is
   *   passed but `PATH`, so `NO_COLOR` or `FORCE_COLOR` of the shell running the tests cannot leak in).
   */
  run(argv: readonly string[], options?: { cwd?: string; env?: Record<string, string> }): Promise<BuiltCliResult>;
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
  const common = {
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.18',
    external: EXTERNAL,
    banner: { js: BANNER },
    logLevel: 'error',
  } as const;
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(REPOSITORY, 'src/cli/main.ts')],
      outdir: join(root, 'dist', 'cli'),
      splitting: true,
      alias: { '@talos-sdk/topology': join(REPOSITORY, 'src/index.ts') },
    }),
    build({ ...common, entryPoints: [join(REPOSITORY, 'src/index.ts')], outfile: join(library, 'index.js') }),
  ]);
  await writeFile(
    join(library, 'package.json'),
    JSON.stringify({ name: '@talos-sdk/topology', type: 'module', exports: './index.js' }),
  );
  // The CLI reads its version from the package.json two folders above the bundle, as in dist/cli (one without a name, so that
  // project folders below do not resolve @talos-sdk/topology to this folder by the package's self-reference).
  const { version } = JSON.parse(await readFile(join(REPOSITORY, 'package.json'), 'utf8')) as { version: string };
  await writeFile(join(root, 'package.json'), JSON.stringify({ version, type: 'module' }));
  const main = join(root, 'dist', 'cli', 'main.js');
  let projects = 0;
  return {
    root,
    run: (argv, options = {}) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [main, ...argv], {
          cwd: options.cwd ?? root,
          env: { PATH: process.env['PATH'] ?? '', ...options.env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, out, err }));
      }),
    project: async () => {
      const folder = join(root, `project-${++projects}`);
      await mkdir(folder);
      return folder;
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
