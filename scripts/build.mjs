// Builds the package: the library with tsc (ESM + declarations) into dist/, the CLI as one esbuild bundle (zod,
// js-yaml and the library inlined, so start-up is a single module load; client SDKs stay lazy chunks), and the
// topology JSON Schema file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));

rmSync(`${root}/dist`, { recursive: true, force: true });
execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });

await build({
  entryPoints: [`${root}/src/cli/main.ts`],
  outdir: `${root}/dist/cli`,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  alias: { '@talos-sdk/topology': `${root}/src/index.ts` },
  external: ['tsx', '@grpc/grpc-js', '@bufbuild/protobuf', 'openpgp', 'undici', 'selfsigned', 'ssh2'],
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
