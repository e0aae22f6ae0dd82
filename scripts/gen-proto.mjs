// Regenerates packages/omni-client/src/generated (the @talos-sdk/omni-client package) from proto/ with buf and the
// locally installed ts-proto plugin.
// Deterministic: buf.gen.yaml cleans the output folder first and pins every plugin option, and both tools come from
// node_modules at the versions in package-lock.json, so CI can check that a rerun changes nothing.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const buf = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'buf.cmd' : 'buf');

const result = spawnSync(buf, ['generate', '--template', 'buf.gen.yaml'], { cwd: root, stdio: 'inherit' });
if (result.error) {
  console.error(`gen-proto: cannot run buf (${result.error.message}); run npm ci first`);
  process.exit(1);
}
process.exit(result.status ?? 1);
