// npm run bench: every benchmark in turn, each in its own process so one's warm-up and memory do not colour the next.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benches = [
  'topology.ts',
  'output-folder.ts',
  'cli-startup.ts',
  'omni.ts',
  'http.ts',
  'hosts.ts',
  'tailscale.ts',
  'lab-apply.ts',
];
for (const bench of benches) {
  console.log(`\n## ${bench}`);
  execFileSync(process.execPath, ['--import', 'tsx', '--expose-gc', fileURLToPath(new URL(bench, import.meta.url))], {
    stdio: 'inherit',
  });
}
