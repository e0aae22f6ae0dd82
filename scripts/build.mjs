// Builds the workspace package @talos-sdk/omni-client first (tsc into packages/omni-client/dist/, which the library
// imports through its workspace link), then this package: the library with tsc (ESM + declarations) into dist/, the
// CLI as an esbuild bundle (scripts/bundle-cli.mjs; @talos-sdk/omni-client and the client SDKs stay external or lazy),
// and the topology JSON Schema file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleCli } from './bundle-cli.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));

for (const dir of ['packages/omni-client/dist', 'dist']) rmSync(`${root}/${dir}`, { recursive: true, force: true });
execFileSync(bin('tsc'), ['-p', 'packages/omni-client/tsconfig.json'], { cwd: root, stdio: 'inherit' });
execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });

await bundleCli(`${root}/dist/cli`);

const { topologyJsonSchema } = await import(`${root}/dist/models/json-schema.js`);
mkdirSync(`${root}/schema`, { recursive: true });
writeFileSync(`${root}/schema/topology.schema.json`, `${JSON.stringify(topologyJsonSchema(), null, 2)}\n`);
