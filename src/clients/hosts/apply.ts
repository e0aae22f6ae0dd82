import { setTimeout as sleep } from 'node:timers/promises';
import type { ArtifactSet } from '../../generators/artifact.js';
import type { Change, Plan } from '../../plan/change.js';
import { reportingWait } from '../progress.js';
import { quoteDotenvValue } from '../dotenv-value.js';
import { dockerInstallScript, dockerRepository } from './docker-install.js';
import { HostRefusedError } from './errors.js';
import type { ContainerState } from './probe.js';
import {
  dockerCommand,
  parseComposePs,
  parseProbe,
  privilegedPrefix,
  shellQuote,
  STACK_MANIFEST,
  versionsScript,
} from './probe.js';
import type { HostsPlanOptions, HostWork, StackWork } from './steps.js';
import { buildHostsSteps, closeHostsSteps, dockerProblem, runPooled } from './steps.js';

/** Options of {@link applyHosts}. */
export interface HostsApplyOptions extends HostsPlanOptions {
  /** How long to wait for the containers to run (and be healthy where they have a health check). Defaults to 120 s. */
  readonly waitTimeoutMs?: number;
  /** Between two looks at the containers. Defaults to 1 s. */
  readonly pollIntervalMs?: number;
}

/** The containers of one stack after apply. */
export interface StackContainers {
  /** Guest. */
  readonly guest: string;
  /** Stack name. */
  readonly stack: string;
  /** Its containers, as `docker compose ps` reports them. */
  readonly containers: readonly ContainerState[];
}

/** What {@link applyHosts} did. */
export interface HostsApplyResult {
  /** The plan it worked from. */
  readonly plan: Plan;
  /** Changes made, in order. */
  readonly applied: readonly Change[];
  /** Stacks not started because a variable has no value (listed as their `stack` change). */
  readonly skipped: readonly Change[];
  /** Container states of every stack apply started, after the wait. */
  readonly containers: readonly StackContainers[];
  /** Files written over SFTP. */
  readonly writes: number;
  /** `docker compose up` commands run. */
  readonly composeUps: number;
}

const temporaryName = (name: string): string => `.${name}.talos-sdk-tmp`;
const ENV_PART = '.env.talos-sdk-part';

function needsWrite(stack: StackWork): boolean {
  return stack.writes.length > 0 || stack.deletes.length > 0 || stack.envChanged || stack.manifest !== undefined;
}

/** The folder of each stack exists and the login user may write it (through passwordless sudo when not root). */
function prepareScript(user: string, dirs: readonly string[]): string {
  const quoted = dirs.map(shellQuote).join(' ');
  if (user === 'root') return `mkdir -p -- ${quoted}`;
  return `for d in ${quoted}; do mkdir -p -- "$d" 2>/dev/null && [ -w "$d" ] || sudo -n install -d -o ${shellQuote(user)} -m 0755 -- "$d" || exit 1; done`;
}

/**
 * Moves every uploaded file into place with `mv` (rename(2): a reader sees the old file or the new one, never half),
 * merges `.env` (the keys set here replace theirs; every other line is kept, values never leave the host), removes
 * files no longer generated, and writes the manifest last.
 */
function commitScript(stacks: readonly StackWork[]): string {
  const lines = ['set -e', 'umask 077'];
  for (const work of stacks.filter(needsWrite)) {
    const dir = work.stack.remoteDir;
    const at = (name: string): string => shellQuote(`${dir}/${name}`);
    for (const file of work.writes) lines.push(`mv -f -- ${at(temporaryName(file.name))} ${at(file.name)}`);
    if (work.envChanged) {
      const keys = [...work.envValues.keys()].join('|');
      lines.push(
        `{ grep -v -E '^(${keys})=' ${at('.env')} 2>/dev/null || true; cat -- ${at(ENV_PART)}; } > ${at(temporaryName('.env'))}`,
        `chmod 600 ${at(temporaryName('.env'))}`,
        `mv -f -- ${at(temporaryName('.env'))} ${at('.env')}`,
        `rm -f -- ${at(ENV_PART)}`,
      );
    }
    for (const name of work.deletes) lines.push(`rm -f -- ${at(name)}`);
    if (work.manifest !== undefined) {
      lines.push(`mv -f -- ${at(temporaryName(STACK_MANIFEST))} ${at(STACK_MANIFEST)}`);
    }
  }
  return lines.join('\n');
}

function isReady(container: ContainerState): boolean {
  return container.state === 'running' && (container.health === '' || container.health === 'healthy');
}

function describeContainers(containers: readonly ContainerState[]): string {
  return containers.map((c) => `${c.service} ${c.state}${c.health ? ` (${c.health})` : ''}`).join(', ');
}

async function writeHost(host: HostWork): Promise<number> {
  const { connection } = host;
  const stacks = host.stacks.filter(needsWrite);
  if (!stacks.length) return 0;
  await connection.run(
    prepareScript(
      host.host.access.user,
      stacks.map((work) => work.stack.remoteDir),
    ),
    'creating the stack folders',
  );
  const uploads: { path: string; content: string; mode: number }[] = [];
  for (const work of stacks) {
    const dir = work.stack.remoteDir;
    for (const file of work.writes) {
      uploads.push({ path: `${dir}/${temporaryName(file.name)}`, content: file.content, mode: 0o644 });
    }
    if (work.envChanged) {
      const lines = [...work.envValues].map(([name, value]) => `${name}=${quoteDotenvValue(name, value)}\n`).join('');
      uploads.push({ path: `${dir}/${ENV_PART}`, content: lines, mode: 0o600 });
    }
    if (work.manifest !== undefined) {
      uploads.push({ path: `${dir}/${temporaryName(STACK_MANIFEST)}`, content: work.manifest, mode: 0o644 });
    }
  }
  // Every file to its own temporary name, all at once: SFTP lets a client keep any number of requests outstanding and
  // matches answers by request id (draft-ietf-secsh-filexfer-02 section 3; OpenSSH's sftp(1) keeps 64 in flight,
  // `-R`), so a host's files cost the round trips of one file, not of each in turn. Nothing is in place until the
  // commit's `mv`.
  await Promise.all(uploads.map((upload) => connection.upload(upload.path, upload.content, upload.mode)));
  await connection.run(commitScript(stacks), 'moving the uploaded files into place');
  return uploads.length;
}

async function startStack(host: HostWork, work: StackWork): Promise<void> {
  const docker = dockerCommand(host.host.access.user);
  const dir = shellQuote(work.stack.remoteDir);
  // `up -d` leaves a container whose configs content or bind-mounted file changed as it is (docker/compose#11900,
  // #13045), so exactly those services are recreated first; the plain `up -d` then finds them current.
  const recreate = work.recreate.length
    ? `${docker} compose up -d --force-recreate --no-deps ${work.recreate.map(shellQuote).join(' ')} && `
    : '';
  await host.connection.run(
    `cd -- ${dir} && ${recreate}${docker} compose up -d`,
    `docker compose up -d in ${work.stack.remoteDir}`,
  );
}

async function waitForStack(
  host: HostWork,
  work: StackWork,
  options: HostsApplyOptions,
): Promise<readonly ContainerState[]> {
  const docker = dockerCommand(host.host.access.user);
  const deadline = Date.now() + (options.waitTimeoutMs ?? 120_000);
  const label = `${host.host.access.guest}/${work.stack.name}`;
  return reportingWait(options.onWait, `${label} containers running or healthy`, async () => {
    let told = '';
    for (;;) {
      const output = await host.connection.run(
        `cd -- ${shellQuote(work.stack.remoteDir)} && ${docker} compose ps --all --format json`,
        `docker compose ps in ${work.stack.remoteDir}`,
      );
      const containers = parseComposePs(output);
      const ready = work.stack.inputs.services.every((service) =>
        containers.some((c) => c.service === service.name && isReady(c)),
      );
      // Only a change is news: the wait reporter tells the elapsed time, a line per poll would repeat itself.
      const states = `${label}: ${describeContainers(containers) || 'no containers yet'}`;
      if (states !== told) options.onProgress?.(states);
      told = states;
      if (ready || Date.now() >= deadline) return containers;
      await sleep(options.pollIntervalMs ?? 1000);
    }
  });
}

/**
 * Installs Docker from Docker's apt repository, then asks the host for its versions again and refuses when they
 * still cannot run the stacks (e.g. a mirror serving an old Compose).
 */
async function installDocker(host: HostWork, options: HostsApplyOptions): Promise<void> {
  const { guest, user } = host.host.access;
  const os = host.dockerInstall;
  if (!os) return;
  options.onProgress?.(`${guest}: installing Docker from ${dockerRepository(os)} (apt-get, a few minutes)`);
  await host.connection.run(
    dockerInstallScript(os, privilegedPrefix(user)),
    "installing Docker from Docker's apt repository",
  );
  const versions = parseProbe(await host.connection.run(versionsScript(user), 'reading the Docker versions'), []);
  const problem = dockerProblem(host.host, versions);
  if (problem) throw new HostRefusedError(guest, `Docker was installed, but ${problem}`);
  options.onProgress?.(
    `${guest}: Docker ${versions.dockerVersion ?? ''}, Compose ${versions.composeVersion ?? ''} installed`,
  );
}

/** What apply did on one host. */
type HostApplied = Omit<HostsApplyResult, 'plan'>;

/** Writes one host's files, then starts and waits for each stack that needs it. */
async function applyHost(plan: Plan, host: HostWork, options: HostsApplyOptions): Promise<HostApplied> {
  const guest = host.host.access.guest;
  const applied: Change[] = [];
  const skipped: Change[] = [];
  const containers: StackContainers[] = [];
  if (host.dockerInstall) {
    await installDocker(host, options);
    const change = plan.changes.find((item) => item.kind === 'docker' && item.id === guest);
    if (change) applied.push(change);
  }
  const writes = await writeHost(host);
  const prefixes = host.stacks.filter(needsWrite).map((work) => `${guest}:${work.stack.remoteDir}/`);
  applied.push(
    ...plan.changes.filter(
      (change) =>
        change.action !== 'no-op' &&
        (change.kind === 'file' || change.kind === 'env') &&
        prefixes.some((prefix) => change.id.startsWith(prefix)),
    ),
  );
  let composeUps = 0;
  for (const work of host.stacks) {
    const change = plan.changes.find((item) => item.kind === 'stack' && item.id === `${guest}:${work.stack.name}`);
    if (work.missingVariables.length) {
      if (change) skipped.push(change);
      continue;
    }
    if (!work.up) continue;
    options.onProgress?.(
      `${guest}/${work.stack.name}: docker compose up -d${work.recreate.length ? `, recreating ${work.recreate.join(', ')}` : ''}`,
    );
    await startStack(host, work);
    composeUps++;
    const states = await waitForStack(host, work, options);
    containers.push({ guest, stack: work.stack.name, containers: states });
    const waiting = work.stack.inputs.services.filter(
      (service) => !states.some((c) => c.service === service.name && isReady(c)),
    );
    if (change && waiting.length) {
      skipped.push({
        ...change,
        note: `started, but not ready after ${Math.round((options.waitTimeoutMs ?? 120_000) / 1000)} s: ${describeContainers(states.filter((c) => waiting.some((service) => service.name === c.service))) || waiting.map((service) => service.name).join(', ')}`,
      });
    } else if (change) applied.push(change);
  }
  return { applied, skipped, containers, writes, composeUps };
}

/**
 * Plans, then delivers every host's stacks over SSH: uploads changed files to temporary names and renames them into
 * place, merges `.env` (mode 0600) with the values of this machine, runs `docker compose up -d` in each stack that
 * changed or is not fully running, recreating exactly the services whose config content or bind-mounted files
 * changed, and waits for the containers to run and be healthy. A second apply writes nothing and starts nothing.
 *
 * A host that lacks Docker or a recent enough Compose gets them from Docker's apt repository first when its
 * `ssh.installDocker` allows it (Debian and Ubuntu); otherwise apply refuses, before writing anything anywhere, as it
 * does for a host holding a file the SDK did not write or that was edited by hand (unless `force`).
 *
 * @param set - The artifact set.
 * @param options - Credentials, value sources, force, wait.
 * @returns The plan, what was applied, and the containers' states.
 * @throws {@link HostRefusedError}, `HostConnectionError`, {@link HostCommandError}.
 *
 * @example
 * ```ts
 * const credentials = await hostsCredentialsFromEnv(process.env);
 * const result = await applyHosts(await readArtifactSet('out'), { credentials, env: process.env, outDir: 'out' });
 * ```
 */
export async function applyHosts(set: ArtifactSet, options: HostsApplyOptions): Promise<HostsApplyResult> {
  const steps = await buildHostsSteps(set, options);
  try {
    for (const host of steps.hosts) {
      if (host.dockerProblem) throw new HostRefusedError(host.host.access.guest, host.dockerProblem);
      const refused = host.stacks.flatMap((work) => work.refused.map((name) => `${work.stack.remoteDir}/${name}`));
      if (refused.length) {
        throw new HostRefusedError(
          host.host.access.guest,
          `${refused.join(', ')} differ from what the SDK last wrote there (edited by hand, or not written by the SDK); nothing was written: move the edit into the topology, or apply with --force to overwrite`,
        );
      }
    }
    const done = await runPooled(steps.hosts, options.concurrency ?? 8, (host) => applyHost(steps.plan, host, options));
    const applied = done.flatMap((host) => host.applied);
    const skipped = done.flatMap((host) => host.skipped);
    const containers = done.flatMap((host) => host.containers);
    const writes = done.reduce((sum, host) => sum + host.writes, 0);
    const composeUps = done.reduce((sum, host) => sum + host.composeUps, 0);
    return { plan: steps.plan, applied, skipped, containers, writes, composeUps };
  } finally {
    closeHostsSteps(steps);
  }
}
