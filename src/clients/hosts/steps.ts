import { createHash } from 'node:crypto';
import type { ArtifactSet } from '../../generators/artifact.js';
import { COMPOSE_CONFIG_CONTENT_VERSION } from '../../generators/host-stack.js';
import { toCanonicalJson } from '../../generators/serialize.js';
import type { Change, FieldDiff, Plan, UnmanagedObject } from '../../plan/change.js';
import { createChange, createPlan } from '../../plan/change.js';
import type { HostArtifacts, HostStack } from './artifacts.js';
import { readHostsArtifacts } from './artifacts.js';
import type { HostConnectionOptions } from './client.js';
import { HostConnection } from './client.js';
import type { OsRelease } from './docker-install.js';
import { DOCKER_PACKAGES, dockerRepository, unsupportedDistribution } from './docker-install.js';
import { quoteDotenvValue } from '../dotenv-value.js';
import type { EnvSources } from './env-values.js';
import { localStackValues } from './env-values.js';
import type { HostState, RemoteStack, StackManifest } from './probe.js';
import { parseProbe, probeScript } from './probe.js';
import type { StackFile } from './stack-inputs.js';
import type { WaitReporter } from '../progress.js';

/** Options of `planHosts` and `applyHosts`. */
export interface HostsPlanOptions extends Omit<HostConnectionOptions, 'jumpHost' | 'secrets'>, EnvSources {
  /** Overwrite files on the host that the SDK did not write or that were edited there by hand. */
  readonly force?: boolean;
  /** Hosts planned at once. Defaults to 8. */
  readonly concurrency?: number;
  /** Only these guests; every host of the set when absent. */
  readonly guests?: readonly string[];
  /** Receives progress messages (never a secret): each change of a stack's container states while apply waits. */
  readonly onProgress?: (message: string) => void;
  /** Told when apply begins and ends waiting for a stack's containers (the CLI prints the elapsed time). */
  readonly onWait?: WaitReporter;
}

/** What apply does in one stack folder. */
export interface StackWork {
  /** The stack. */
  readonly stack: HostStack;
  /** What the host holds. */
  readonly remote: RemoteStack;
  /** Files to write (new or changed). */
  readonly writes: readonly StackFile[];
  /** Files the SDK wrote earlier that are no longer generated and are unchanged since. */
  readonly deletes: readonly string[];
  /** Values to set in `.env` (only when `envChanged`). */
  readonly envValues: ReadonlyMap<string, string>;
  /** Whether `.env` must be rewritten. */
  readonly envChanged: boolean;
  /** Variables with no value here nor on the host: the stack cannot start. */
  readonly missingVariables: readonly string[];
  /** The manifest to write, when it differs from the host's. */
  readonly manifest?: string;
  /** Services to recreate because inputs Compose does not watch changed. */
  readonly recreate: readonly string[];
  /** Whether `docker compose up -d` runs. */
  readonly up: boolean;
  /** Files refused: edited by hand, or not the SDK's. */
  readonly refused: readonly string[];
}

/** A host with its open connection, state and work. */
export interface HostWork {
  /** The host's artifacts. */
  readonly host: HostArtifacts;
  /** The open connection, reused by apply. */
  readonly connection: HostConnection;
  /** What the probe found. */
  readonly state: HostState;
  /** Per stack. */
  readonly stacks: readonly StackWork[];
  /** Why Docker on this host cannot run the stacks and apply will not fix it, when it cannot. */
  readonly dockerProblem?: string;
  /** The distribution to install Docker on from Docker's apt repository, when the host needs it and allows it. */
  readonly dockerInstall?: OsRelease;
}

/** The plan and the work behind it. */
export interface HostsSteps {
  /** The plan. */
  readonly plan: Plan;
  /** Per host, with open connections: close them with {@link closeHostsSteps}. */
  readonly hosts: readonly HostWork[];
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Compares dotted release numbers: negative when `a` is older than `b`. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map((part) => Number.parseInt(part, 10) || 0);
  const pb = b.split(/[.+-]/).map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length, 3); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff) return diff;
  }
  return 0;
}

/**
 * Why Docker on a host cannot run its stacks, when it cannot.
 *
 * @param host - The host and its stacks.
 * @param state - The versions the host reported.
 * @returns The reason, or `undefined` when Docker and Compose are recent enough.
 */
export function dockerProblem(
  host: HostArtifacts,
  state: Pick<HostState, 'dockerVersion' | 'composeVersion'>,
): string | undefined {
  if (!state.dockerVersion) {
    return "Docker Engine is not installed or not running (docker version gave no server version): install docker-ce and docker-compose-plugin from Docker's apt repository";
  }
  if (!state.composeVersion) return 'the Docker Compose plugin is missing: install docker-compose-plugin';
  const needsContent = host.stacks.some((stack) => stack.inputs.usesConfigContent);
  if (needsContent && compareVersions(state.composeVersion, COMPOSE_CONFIG_CONTENT_VERSION) < 0) {
    return `Docker Compose ${state.composeVersion} is older than ${COMPOSE_CONFIG_CONTENT_VERSION}, the first release with configs: content:, which the stacks use: upgrade docker-compose-plugin`;
  }
  return undefined;
}

/** What the plan does about Docker on a host: nothing, install it, or refuse (with the reason). */
function dockerStep(host: HostArtifacts, state: HostState): { change: Change; problem?: string; install?: OsRelease } {
  const guest = host.access.guest;
  const problem = dockerProblem(host, state);
  if (!problem) {
    return {
      change: createChange(
        'hosts',
        'docker',
        guest,
        'no-op',
        [],
        [`Docker ${state.dockerVersion ?? ''}, Compose ${state.composeVersion ?? ''}`],
      ),
    };
  }
  const refuse = (reason: string) => ({
    change: createChange('hosts', 'docker', guest, 'update', [], [reason]),
    problem: reason,
  });
  if (!host.access.installDocker) {
    return refuse(`${problem} (or set guests.${guest}.ssh.installDocker to let apply install it)`);
  }
  const unsupported = unsupportedDistribution(state.os);
  if (unsupported) return refuse(`${problem}; ${unsupported}`);
  const fields: FieldDiff[] = [
    { path: 'engine', ...(state.dockerVersion ? { before: state.dockerVersion } : {}), after: 'docker-ce' },
    {
      path: 'compose',
      ...(state.composeVersion ? { before: state.composeVersion } : {}),
      after: 'docker-compose-plugin',
    },
  ];
  return {
    change: createChange('hosts', 'docker', guest, state.dockerVersion ? 'update' : 'create', fields, [
      `${problem.slice(0, problem.indexOf(':'))}: installs ${DOCKER_PACKAGES.join(' ')} from Docker's apt repository ${dockerRepository(state.os)}`,
    ]),
    install: state.os,
  };
}

/** The hash of what a service reads that Compose does not compare (config content with the values it interpolates, bind-mounted files). */
function serviceInputHashes(stack: HostStack, valueHash: (name: string) => string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const service of stack.inputs.services) {
    if (!service.configContents.length && !service.boundFiles.length) continue;
    const bound = service.boundFiles.map((name) => [
      name,
      stack.inputs.files.find((file) => file.name === name)?.sha256,
    ]);
    const values = service.configVariables.map((name) => [name, valueHash(name)]);
    hashes[service.name] = sha256(JSON.stringify([service.configContents, values, bound]));
  }
  return hashes;
}

interface StackPlan {
  readonly work: StackWork;
  readonly changes: Change[];
  readonly unmanaged: UnmanagedObject[];
}

async function planStack(
  guest: string,
  stack: HostStack,
  state: HostState,
  options: HostsPlanOptions,
): Promise<StackPlan> {
  const remote: RemoteStack = state.stacks.get(stack.name) ?? { envKeys: new Map<string, string>(), containers: [] };
  const owned = remote.manifest?.files ?? {};
  const changes: Change[] = [];
  const unmanaged: UnmanagedObject[] = [];
  const writes: StackFile[] = [];
  const refused: string[] = [];
  const id = (name: string): string => `${guest}:${stack.remoteDir}/${name}`;

  for (const file of stack.inputs.files) {
    const live = state.hashes.get(`${stack.remoteDir}/${file.name}`);
    const fields: FieldDiff[] =
      live === file.sha256 ? [] : [{ path: 'sha256', ...(live ? { before: live } : {}), after: file.sha256 }];
    if (live === undefined) {
      writes.push(file);
      changes.push(createChange('hosts', 'file', id(file.name), 'create', fields));
    } else if (live === file.sha256) {
      changes.push(createChange('hosts', 'file', id(file.name), 'no-op'));
    } else if (owned[file.name] === live) {
      writes.push(file);
      changes.push(createChange('hosts', 'file', id(file.name), 'update', fields));
    } else {
      const why = owned[file.name]
        ? 'edited on the host since the SDK wrote it'
        : 'on the host, but not written by the SDK';
      if (options.force) writes.push(file);
      else refused.push(file.name);
      changes.push(
        createChange('hosts', 'file', id(file.name), 'adopt', fields, [
          why,
          options.force ? 'overwritten (force)' : 'apply refuses it without --force',
        ]),
      );
    }
  }

  const deletes: string[] = [];
  for (const [name, hash] of Object.entries(owned)) {
    if (stack.inputs.files.some((file) => file.name === name)) continue;
    const live = state.hashes.get(`${stack.remoteDir}/${name}`);
    if (live === undefined) continue;
    if (live === hash) {
      deletes.push(name);
      changes.push(createChange('hosts', 'file', id(name), 'delete', [], ['no longer generated']));
    } else {
      unmanaged.push({
        kind: 'file',
        id: id(name),
        reason: 'no longer generated, but edited on the host: left alone',
        inSdkNamespace: true,
      });
    }
  }

  const local = await localStackValues(stack, options);
  const envFields: FieldDiff[] = [];
  // The probe hashes the text after `NAME=` on the host, which is the value as quoteDotenvValue writes it.
  const envTextHash = (name: string, value: string): string => sha256(quoteDotenvValue(name, value));
  for (const [name, value] of local) {
    const live = remote.envKeys.get(name);
    if (live === envTextHash(name, value)) continue;
    envFields.push({ path: name, ...(live ? { before: '(a value)' } : {}), after: '(the value set here)' });
  }
  const missingVariables = stack.inputs.variables.filter((name) => !local.has(name) && !remote.envKeys.has(name));
  const envChanged = envFields.length > 0;
  const missingNote = missingVariables.length
    ? `no value here or on the host for ${missingVariables.join(', ')}: the stack is not started until they are set`
    : undefined;
  changes.push(
    createChange(
      'hosts',
      'env',
      id('.env'),
      envChanged ? (remote.envKeys.size ? 'update' : 'create') : 'no-op',
      envFields,
      [missingNote],
    ),
  );

  const valueHash = (name: string): string => {
    const value = local.get(name);
    return value !== undefined ? envTextHash(name, value) : (remote.envKeys.get(name) ?? '');
  };
  const services = serviceInputHashes(stack, valueHash);
  const recreate = Object.entries(services)
    .filter(
      ([service, hash]) =>
        remote.containers.some((c) => c.service === service) && remote.manifest?.services[service] !== hash,
    )
    .map(([service]) => service);
  const manifestText = toCanonicalJson({
    files: Object.fromEntries(stack.inputs.files.map((file) => [file.name, file.sha256])),
    services,
  } satisfies StackManifest);
  const manifestChanged = remote.manifestSha256 !== sha256(manifestText);

  const notRunning = stack.inputs.services.filter(
    (service) => !remote.containers.some((c) => c.service === service.name && c.state === 'running'),
  );
  const up =
    !missingVariables.length &&
    (writes.length > 0 || deletes.length > 0 || envChanged || recreate.length > 0 || notRunning.length > 0);
  const stackFields: FieldDiff[] = [
    ...notRunning.map((service) => ({
      path: `containers.${service.name}`,
      before: remote.containers.find((c) => c.service === service.name)?.state ?? '(none)',
      after: 'running',
    })),
    ...(recreate.length ? [{ path: 'recreate', after: recreate }] : []),
  ];
  changes.push(
    createChange('hosts', 'stack', `${guest}:${stack.name}`, up ? 'update' : 'no-op', up ? stackFields : [], [
      recreate.length
        ? `recreates ${recreate.join(', ')}: its config content or bind-mounted files changed, which docker compose up -d alone does not pick up (docker/compose#11900)`
        : undefined,
      missingVariables.length
        ? `not started: no value here or on the host for ${missingVariables.join(', ')}`
        : undefined,
    ]),
  );

  return {
    work: {
      stack,
      remote,
      writes,
      deletes,
      envValues: local,
      envChanged,
      missingVariables,
      ...(manifestChanged ? { manifest: manifestText } : {}),
      recreate,
      up,
      refused,
    },
    changes,
    unmanaged,
  };
}

/**
 * Runs a task over items with at most `limit` at once, keeping the results in item order.
 *
 * @param items - The items.
 * @param limit - Tasks at once.
 * @param task - The task.
 * @returns The results, in item order.
 */
export async function runPooled<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Closes every connection a plan opened.
 *
 * @param steps - The steps.
 */
export function closeHostsSteps(steps: HostsSteps): void {
  for (const host of steps.hosts) host.connection.close();
}

/**
 * Connects to every host of the set (one SSH connection each), runs the probe (one command each), and compares.
 *
 * @param set - The artifact set.
 * @param options - Credentials, value sources, force.
 * @returns The plan and the open connections.
 */
export async function buildHostsSteps(set: ArtifactSet, options: HostsPlanOptions): Promise<HostsSteps> {
  const all = readHostsArtifacts(set);
  const hosts = options.guests ? all.filter((host) => options.guests?.includes(host.access.guest)) : all;
  const secretValues: string[] = [];
  const opened: HostConnection[] = [];
  try {
    const works = await runPooled(
      hosts,
      options.concurrency ?? 8,
      async (host): Promise<HostWork & { changes: Change[]; unmanaged: UnmanagedObject[] }> => {
        const { access } = host;
        const connection = await HostConnection.open(
          {
            guest: access.guest,
            address: access.address,
            port: access.port,
            user: access.user,
            hostKey: access.hostKey,
          },
          {
            ...options,
            secrets: () => secretValues,
            jumpHost: access.jumpHost && {
              guest: `${access.guest} (jump host)`,
              address: access.jumpHost.address,
              port: access.jumpHost.port,
              user: access.jumpHost.user,
              hostKey: access.jumpHost.hostKey,
            },
          },
        );
        opened.push(connection);
        options.onProgress?.(
          `${access.guest}: connected to ${access.user}@${access.address}:${access.port}, reading its stacks`,
        );
        const probe = await connection.exec(probeScript(access.user, host.stacks));
        const state = parseProbe(probe.stdout, host.stacks);
        const docker = dockerStep(host, state);
        const changes: Change[] = [docker.change];
        const unmanaged: UnmanagedObject[] = [];
        const stacks: StackWork[] = [];
        for (const stack of host.stacks) {
          const planned = await planStack(access.guest, stack, state, options);
          for (const value of planned.work.envValues.values()) secretValues.push(value);
          changes.push(...planned.changes);
          unmanaged.push(...planned.unmanaged);
          stacks.push(planned.work);
        }
        return {
          host,
          connection,
          state,
          stacks,
          changes,
          unmanaged,
          ...(docker.problem ? { dockerProblem: docker.problem } : {}),
          ...(docker.install ? { dockerInstall: docker.install } : {}),
        };
      },
    );
    return {
      plan: createPlan(
        'hosts',
        works.flatMap((work) => work.changes),
        works.flatMap((work) => work.unmanaged),
      ),
      hosts: works,
    };
  } catch (error) {
    for (const connection of opened) connection.close();
    throw error;
  }
}
