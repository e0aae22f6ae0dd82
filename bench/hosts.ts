/**
 * Planning 50 hosts with 20 files each against the SSH emulator (127.0.0.1 only): one SSH connection and one command
 * (one round of hashing) per host, printed with the SFTP requests (none) and milliseconds; then the apply that
 * delivers them and the second apply that finds nothing to do. Run with `npx tsx bench/hosts.ts`.
 */
import { performance } from 'node:perf_hooks';
import { applyHosts } from '../src/clients/hosts/apply.js';
import { planHosts } from '../src/clients/hosts/plan.js';
import type { Artifact, ArtifactSet } from '../src/generators/artifact.js';
import { createArtifact } from '../src/generators/artifact.js';
import { toCanonicalJson } from '../src/generators/serialize.js';
import { generateSshKeyPair, startSshEmulator } from '../src/testing/ssh/index.js';

const HOSTS = 50;
const FILES = 20;
const key = generateSshKeyPair();
const host = await startSshEmulator({ user: 'root', authorizedKeys: [key.public] });

const artifacts: Artifact[] = [];
for (let h = 0; h < HOSTS; h++) {
  const guest = `host-${String(h).padStart(2, '0')}`;
  artifacts.push(
    createArtifact(
      `hosts/${guest}/ssh.json`,
      'host-ssh',
      toCanonicalJson({
        guest,
        user: 'root',
        address: host.host,
        port: host.port,
        hostKey: { fingerprint: host.fingerprint },
        stacks: { app: `${host.root}/${guest}/app` },
      }),
    ),
    createArtifact(
      `hosts/${guest}/app/compose.yaml`,
      'compose',
      `name: ${guest}\nservices:\n  app:\n    image: nginx:1.27\n    container_name: ${guest}-app\n`,
    ),
  );
  for (let f = 1; f < FILES; f++) {
    artifacts.push(
      createArtifact(`hosts/${guest}/app/file-${f}.conf`, 'provider-config', `# ${guest} ${f}\n`.repeat(40)),
    );
  }
}
const set: ArtifactSet = { artifacts: artifacts.sort((a, b) => (a.path < b.path ? -1 : 1)) };
const options = {
  credentials: { privateKey: key.private, knownHostsFile: '/nonexistent' },
  env: {},
  pollIntervalMs: 20,
};

async function measure(label: string, run: () => Promise<unknown>): Promise<void> {
  const before = { ...host.record, execs: host.record.execs.length };
  const start = performance.now();
  await run();
  const ms = performance.now() - start;
  const connections = host.record.connections - before.connections;
  const commands = host.record.execs.length - before.execs;
  const sftp = host.record.sftpRequests - before.sftpRequests;
  process.stdout.write(
    `${label.padEnd(34)} ${String(connections).padStart(4)} connections ${String(commands).padStart(5)} commands ${String(sftp).padStart(6)} SFTP requests ${ms.toFixed(0).padStart(7)} ms\n`,
  );
}

process.stdout.write(`${HOSTS} hosts x ${FILES} files, SSH emulator on 127.0.0.1\n`);
await measure('plan (empty hosts)', () => planHosts(set, options));
await measure('apply (deliver and start)', () => applyHosts(set, options));
await measure('plan (in sync)', () => planHosts(set, options));
await measure('apply again (nothing to do)', () => applyHosts(set, options));
await host.close();
