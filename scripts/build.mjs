// Builds the workspace package @talos-sdk/omni-client first (tsc into packages/omni-client/dist/, which the library
// imports through its workspace link), then this package: the library with tsc (ESM + declarations) into dist/, the
// CLI as one esbuild bundle (zod, js-yaml and the library inlined, so start-up is a single module load; client SDKs,
// @talos-sdk/omni-client among them, stay lazy chunks or external), and the topology JSON Schema file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));

for (const dir of ['packages/omni-client/dist', 'dist']) rmSync(`${root}/${dir}`, { recursive: true, force: true });
execFileSync(bin('tsc'), ['-p', 'packages/omni-client/tsconfig.json'], { cwd: root, stdio: 'inherit' });
execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });

await build({
  entryPoints: [`${root}/src/cli/main.ts`],
  outdir: `${root}/dist/cli`,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  alias: { '@talos-sdk/topology': `${root}/src/index.ts` },
  external: ['tsx', '@talos-sdk/omni-client', '@grpc/grpc-js', '@bufbuild/protobuf', 'openpgp', 'undici', 'selfsigned'],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

const { topologyJsonSchema } = await import(`${root}/dist/models/json-schema.js`);
mkdirSync(`${root}/schema`, { recursive: true });
writeFileSync(`${root}/schema/topology.schema.json`, `${JSON.stringify(topologyJsonSchema(), null, 2)}\n`);
