// Bundles the CLI with esbuild; used by build.mjs for dist/cli and by test/cli-startup.test.ts for a throwaway copy.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Node's built-in modules, read with `process.getBuiltinModule` (Node >= 20.16) instead of an ESM `import`: an ESM
 * import of `node:fs` or `node:util` fills in every export of the module namespace, which on Node 24 loads
 * `fs/promises`, readline, `worker_threads` and more that `--help` never uses (about 4 ms of a 40 ms start, measured
 * with `process.moduleLoadList`). esbuild reads the shim as CommonJS and reads each named import off it where used.
 */
const builtinsOnDemand = {
  name: 'builtins-on-demand',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'builtin' }));
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * The packages the CLI bundle leaves to `node_modules`: tsx (optional, for `.ts` topologies), the Omni client package
 * and the client SDKs (loaded lazily by the commands that need them), jsonc-parser (the Tailscale policy), and ssh2 (whose optional native parts a bundle
 * cannot hold).
 */
export const EXTERNAL_PACKAGES = [
  'tsx',
  '@talos-sdk/omni-client',
  '@grpc/grpc-js',
  '@bufbuild/protobuf',
  'openpgp',
  'undici',
  'selfsigned',
  'ssh2',
  'jsonc-parser',
];

/**
 * Bundles the CLI (src/cli/main.ts) into a folder: zod, js-yaml and the library inlined, split into chunks so that
 * `--help` and `--version` load only argument parsing (the commands import the rest on demand, see src/cli/engine.ts)
 * and the client SDKs stay lazy.
 *
 * @param {string} outdir - Where the bundle goes (`dist/cli` for the package; tests bundle into a temporary folder).
 */
export async function bundleCli(outdir) {
  await build({
    entryPoints: [`${root}/src/cli/main.ts`],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    alias: { '@talos-sdk/topology': `${root}/src/index.ts` },
    external: [...EXTERNAL_PACKAGES],
    plugins: [builtinsOnDemand],
    banner: {
      js: "const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);",
    },
    minify: true,
    // Error classes are told apart by name (new.target.name, and the CLI's failure kinds): keep them through minifying.
    keepNames: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
}
