/**
 * A fake `docker` command for the SSH emulator and for tests against a real `sshd`: a bash script on `PATH` that
 * hands its arguments, working folder and environment to this process over a loopback TCP connection (bash's
 * `/dev/tcp`), where Docker Engine and the Compose plugin are emulated from the compose files on disk, much as the real
 * `docker` is a thin client of the daemon. The script starts no Node process: a call costs a few milliseconds, as a
 * real `docker compose ps` does, not the tens of a Node start. It records every `compose` invocation.
 *
 * What it follows from upstream:
 * - `docker version --format '{{.Server.Version}}'` prints the engine version; `docker compose version --short` prints
 *   the plugin's version without a `v` since Compose 2.3.3 (docker/compose#9096, #9272).
 * - `docker compose ps --format json` prints one JSON object per line since Compose 2.21.0 (aligned with
 *   `docker ps`, docker/compose#10918, documented in #13868), a JSON array before; `--all` includes stopped containers.
 * - `up -d` creates missing containers, recreates those whose service configuration changed, and starts stopped ones;
 *   the configuration hash Compose compares covers the service's own definition only, not the content of the
 *   `configs` it mounts nor bind-mounted files (docker/compose#11900, #13045), so only `--force-recreate` replaces
 *   a container whose config content changed.
 * - `${NAME:?message}` in a compose file is refused when `NAME` is unset or empty in the environment or the project's
 *   `.env`: "required variable NAME is missing a value: message".
 * - The project name is the file's top-level `name`, else the project folder's name.
 * - `up` creates the project's default network `<project>_default`, the networks and the named volumes its file
 *   declares (`<project>_<name>`), leaving out those marked `external`. `down` removes the project's containers and
 *   those networks, and keeps the named volumes unless `-v`/`--volumes` is given (docs.docker.com, `docker compose
 *   down`: "Networks and volumes defined as external are never removed").
 *
 * It also stands in for `apt-get` installing the packages of Docker's apt repository (docs.docker.com "Install Docker
 * Engine on Debian"): once `apt-get install` names `docker-ce` (the engine) or `docker-compose-plugin`, `docker`
 * reports the {@link FakeDockerOptions.installable} versions; nothing is ever installed on this machine.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { load } from 'js-yaml';

/** A container as `docker compose ps` reports it. */
export interface FakeContainer {
  /** Container name (`container_name`, else `<project>-<service>-1`). */
  readonly name: string;
  /** Compose service. */
  readonly service: string;
  /** `running`, `exited`, `created`, `restarting`... */
  state: string;
  /** `healthy`, `starting`, `unhealthy`, or empty without a health check. */
  health: string;
  /** The service configuration hash Compose stored when it created the container. */
  configHash: string;
  /** How many times this container was created (1 at first, +1 per recreate). */
  generation: number;
  /** Image reference. */
  readonly image: string;
}

/** One `docker` invocation as the fake received it. */
export interface DockerInvocation {
  /** Arguments after `docker`. */
  readonly args: readonly string[];
  /** Working folder of the command. */
  readonly cwd: string;
}

/** What a started service reports; the default is `running` and no health check. */
export interface FakeServiceState {
  /** Container state after `up`. */
  readonly state?: string;
  /** Health after `up`: `starting` turns `healthy` after {@link FakeDockerOptions.healthyAfterPolls} `ps` calls. */
  readonly health?: string;
}

/** The versions Docker's apt repository serves the fake host. */
export interface InstallableDocker {
  /** What `docker version` reports once `docker-ce` is installed. */
  readonly engineVersion: string;
  /** What `docker compose version --short` reports once `docker-compose-plugin` is installed. */
  readonly composeVersion: string;
}

/** Options of {@link startFakeDocker}. */
export interface FakeDockerOptions {
  /** Docker Engine version; `false` for a host without Docker (no `docker` on `PATH`). */
  readonly engineVersion?: string | false;
  /** Compose plugin version, e.g. `2.29.7`; `false` for an engine without the plugin. */
  readonly composeVersion?: string | false;
  /** State per service name after `up`. */
  readonly serviceStates?: Readonly<Record<string, FakeServiceState>>;
  /** `ps` calls after which a `starting` container turns `healthy`. Defaults to 1. */
  readonly healthyAfterPolls?: number;
  /** The versions `apt-get install docker-ce docker-compose-plugin` brings. Defaults to 28.0.1 and 2.33.1. */
  readonly installable?: InstallableDocker;
}

/** A running fake `docker`. */
export interface FakeDocker {
  /** Folder holding the `docker` script: put it first on `PATH`. */
  readonly binDir: string;
  /** Absolute path of the `docker` script. */
  readonly command: string;
  /** Absolute path of the fake `apt-get` (not in {@link FakeDocker.binDir}: the emulator puts it on `PATH`). */
  readonly aptGetCommand: string;
  /** Every `apt-get` invocation's arguments, in order. */
  readonly aptGetInvocations: string[][];
  /** Every invocation, in order. */
  readonly invocations: DockerInvocation[];
  /** Containers by project name, then service. */
  readonly projects: Map<string, Map<string, FakeContainer>>;
  /** The variables each project's last `up` read (its `.env` as Compose parses it, then the environment). */
  readonly projectValues: Map<string, ReadonlyMap<string, string>>;
  /** Networks `up` created, by name (`<project>_default`, `<project>_<network>`). */
  readonly networks: Set<string>;
  /** Named volumes `up` created, by name (`<project>_<volume>`). */
  readonly volumes: Set<string>;
  /** The `compose` invocations that were `up`, in order. */
  composeUps(): DockerInvocation[];
  /** Sets the state of a service's container, e.g. to simulate a crash. */
  setContainerState(project: string, service: string, state: Partial<Pick<FakeContainer, 'state' | 'health'>>): void;
  /** Stops the TCP server and removes the scripts. */
  close(): Promise<void>;
}

interface Reply {
  stdout: string;
  stderr: string;
  code: number;
}

type Yaml = Record<string, unknown>;

/** The names Compose gives a project's own networks or volumes (external ones are not the project's). */
function projectObjects(doc: Yaml, section: 'networks' | 'volumes', project: string, withDefault: boolean): string[] {
  const declared = (doc[section] ?? {}) as Record<string, Yaml | null>;
  const own = Object.entries(declared)
    .filter(([, definition]) => !definition?.external)
    .map(([name, definition]) => (typeof definition?.name === 'string' ? definition.name : `${project}_${name}`));
  return withDefault ? [`${project}_default`, ...own] : own;
}

/** What the script sends: the tool's name, its working folder, its arguments and its environment. */
interface ToolRequest {
  readonly tool: string;
  readonly cwd: string;
  readonly args: string[];
  readonly env: Record<string, string>;
}

/**
 * The `docker` or `apt-get` script. It writes NUL-terminated fields: the tool, the working folder, the argument count,
 * the arguments, then `env -0`'s `NAME=value` entries and an empty field. It reads the exit code on the first line,
 * standard error up to a NUL byte, and standard output to the end ({@link toolReply}). Bash reads a socket a byte at a
 * time up to a delimiter, so nothing of standard output is lost to `read`.
 */
function toolScript(tool: string, port: number): string {
  return `#!/bin/bash
{ exec 3<>/dev/tcp/127.0.0.1/${port}; } 2>/dev/null || {
  echo 'Cannot connect to the Docker daemon. Is the docker daemon running?' >&2
  exit 1
}
{ printf '%s\\0' ${tool} "$PWD" "$#" "$@"; env -0; printf '\\0'; } >&3
IFS= read -r code <&3
IFS= read -r -d '' err <&3
printf '%s' "$err" >&2
cat <&3
exit "\${code:-1}"
`;
}

/** The request in `data` once all of it arrived, else `undefined` ({@link toolScript}'s fields). */
function parseToolRequest(data: string): ToolRequest | undefined {
  const fields = data.split('\0');
  const [tool, cwd, count] = fields;
  if (tool === undefined || cwd === undefined || count === undefined) return undefined;
  const argsEnd = 3 + Number(count);
  const envEnd = fields.indexOf('', argsEnd);
  if (fields.length <= argsEnd || envEnd < 0 || envEnd === fields.length - 1) return undefined;
  const env: Record<string, string> = {};
  for (const entry of fields.slice(argsEnd, envEnd)) {
    const equals = entry.indexOf('=');
    if (equals > 0) env[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return { tool, cwd, args: fields.slice(3, argsEnd), env };
}

/** The answer {@link toolScript} reads: exit code line, standard error, NUL, standard output. */
function toolReply(reply: Reply): string {
  return `${reply.code}\n${reply.stderr.replaceAll('\0', '')}\0${reply.stdout}`;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * `KEY=value` lines of a `.env` file as Compose reads them (docs.docker.com/compose/env-file): a single-quoted value
 * literally (`\'` a quote); a double-quoted one with `\"`, `\\`, `\n`, `\t`, `\r` unescaped and `$NAME`/`${NAME}`
 * interpolated from the lines above; an unquoted one without a ` #` comment and surrounding spaces, interpolated.
 */
function parseDotEnv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  const interpolate = (value: string): string =>
    value.replace(
      /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g,
      (_all, a?: string, b?: string) => values.get(a ?? b ?? '') ?? '',
    );
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r' };
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    if (!match?.[1]) continue;
    const raw = (match[2] ?? '').trimStart();
    const single = /^'((?:[^'\\]|\\.)*)'/.exec(raw);
    const double = /^"((?:[^"\\]|\\.)*)"/.exec(raw);
    if (single) values.set(match[1], (single[1] ?? '').replace(/\\'/g, "'"));
    else if (double) {
      values.set(match[1], interpolate((double[1] ?? '').replace(/\\(.)/g, (_all, c: string) => escapes[c] ?? c)));
    } else values.set(match[1], interpolate(raw.replace(/\s+#.*$/, '').trim()));
  }
  return values;
}

/** Compose's `${NAME:?message}` check over the whole file text. */
function missingRequired(text: string, values: ReadonlyMap<string, string>): string | undefined {
  for (const match of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):\?([^}]*)\}/g)) {
    const name = match[1] ?? '';
    if (!values.get(name)) return `required variable ${name} is missing a value: ${match[2] ?? ''}`;
  }
  return undefined;
}

function psEntry(project: string, container: FakeContainer): Record<string, unknown> {
  const running = container.state === 'running';
  return {
    ID: sha256(`${project}/${container.name}/${container.generation}`).slice(0, 12),
    Name: container.name,
    Names: container.name,
    Project: project,
    Service: container.service,
    Image: container.image,
    State: container.state,
    Health: container.health,
    ExitCode: running ? 0 : 1,
    Status: running ? `Up 2 seconds${container.health ? ` (${container.health})` : ''}` : 'Exited (1) 2 seconds ago',
    Publishers: [],
  };
}

/** Compares dotted release numbers: negative when `a` is older than `b`. */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff) return diff;
  }
  return 0;
}

/**
 * Starts a fake `docker`: a loopback TCP server in this process and a `docker` script that talks to it.
 *
 * @param options - Versions and the state services report.
 * @returns The fake; close it when done.
 *
 * @example
 * ```ts
 * const docker = await startFakeDocker({ composeVersion: '2.29.7' });
 * // run commands with PATH=`${docker.binDir}:/usr/bin:/bin`
 * await docker.close();
 * ```
 */
export async function startFakeDocker(options: FakeDockerOptions = {}): Promise<FakeDocker> {
  let engineVersion = options.engineVersion ?? '27.3.1';
  let composeVersion = options.composeVersion ?? '2.29.7';
  const installable = options.installable ?? { engineVersion: '28.0.1', composeVersion: '2.33.1' };
  const aptGetInvocations: string[][] = [];
  const healthyAfterPolls = options.healthyAfterPolls ?? 1;
  const dir = await mkdtemp(join(tmpdir(), 'fd-'));
  const binDir = join(dir, 'bin');
  const invocations: DockerInvocation[] = [];
  const projects = new Map<string, Map<string, FakeContainer>>();
  const projectValues = new Map<string, ReadonlyMap<string, string>>();
  const networks = new Set<string>();
  const volumes = new Set<string>();
  const polls = new Map<FakeContainer, number>();

  async function readProject(cwd: string, env: Readonly<Record<string, string | undefined>>) {
    const file = join(cwd, 'compose.yaml');
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) return { error: 'no configuration file provided: not found' };
    const dotenv = parseDotEnv(await readFile(join(cwd, '.env'), 'utf8').catch(() => ''));
    const values = new Map(dotenv);
    for (const [key, value] of Object.entries(env)) if (value !== undefined) values.set(key, value);
    const doc = (load(text) ?? {}) as Yaml;
    const name = typeof doc.name === 'string' ? doc.name : basename(cwd);
    return { text, doc, name, values };
  }

  function compose(args: string[], cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<Reply> {
    return (async () => {
      if (args[0] === 'version') {
        return {
          stdout: args.includes('--short') ? `${composeVersion}\n` : `Docker Compose version v${composeVersion}\n`,
          stderr: '',
          code: 0,
        };
      }
      const project = await readProject(cwd, env);
      if ('error' in project) return { stdout: '', stderr: `${project.error}\n`, code: 1 };
      const containers = projects.get(project.name) ?? new Map<string, FakeContainer>();
      projects.set(project.name, containers);
      if (args[0] === 'ps') {
        const entries = [...containers.values()]
          .filter((container) => args.includes('--all') || args.includes('-a') || container.state === 'running')
          .map((container) => {
            const count = (polls.get(container) ?? 0) + 1;
            polls.set(container, count);
            if (container.health === 'starting' && count >= healthyAfterPolls) container.health = 'healthy';
            return psEntry(project.name, container);
          });
        const ndjson = compareVersions(composeVersion as string, '2.21.0') >= 0;
        const stdout = ndjson
          ? entries.map((entry) => `${JSON.stringify(entry)}\n`).join('')
          : `${JSON.stringify(entries)}\n`;
        return { stdout, stderr: '', code: 0 };
      }
      if (args[0] === 'up') {
        const missing = missingRequired(project.text, project.values);
        if (missing) return { stdout: '', stderr: `${missing}\n`, code: 1 };
        projectValues.set(project.name, project.values);
        for (const name of projectObjects(project.doc, 'networks', project.name, true)) networks.add(name);
        for (const name of projectObjects(project.doc, 'volumes', project.name, false)) volumes.add(name);
        const services = (project.doc.services ?? {}) as Record<string, Yaml>;
        const flags = args.slice(1).filter((arg) => arg.startsWith('-'));
        const selected = args.slice(1).filter((arg) => !arg.startsWith('-'));
        const force = flags.includes('--force-recreate');
        for (const [service, definition] of Object.entries(services)) {
          if (selected.length && !selected.includes(service)) continue;
          const interpolated = JSON.stringify(definition).replace(
            /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?][^}]*)?\}/g,
            (_all, name: string) => project.values.get(name) ?? '',
          );
          const configHash = sha256(interpolated);
          const wanted = options.serviceStates?.[service] ?? {};
          const existing = containers.get(service);
          const fresh = (generation: number): FakeContainer => ({
            name:
              typeof definition.container_name === 'string'
                ? definition.container_name
                : `${project.name}-${service}-1`,
            service,
            state: wanted.state ?? 'running',
            health: wanted.health ?? '',
            configHash,
            generation,
            image: String(definition.image ?? ''),
          });
          if (!existing) containers.set(service, fresh(1));
          else if (force || existing.configHash !== configHash) containers.set(service, fresh(existing.generation + 1));
          else if (existing.state !== 'running') existing.state = wanted.state ?? 'running';
        }
        return { stdout: '', stderr: '', code: 0 };
      }
      if (args[0] === 'down') {
        containers.clear();
        for (const name of projectObjects(project.doc, 'networks', project.name, true)) networks.delete(name);
        if (args.includes('-v') || args.includes('--volumes')) {
          for (const name of projectObjects(project.doc, 'volumes', project.name, false)) volumes.delete(name);
        }
        return { stdout: '', stderr: '', code: 0 };
      }
      return { stdout: '', stderr: `unknown docker compose command: ${args[0] ?? ''}\n`, code: 1 };
    })();
  }

  const command = join(binDir, 'docker');
  const aptGetCommand = join(dir, 'apt-get');
  let port = 0;
  const installDockerScript = async (): Promise<void> => {
    await mkdir(binDir, { recursive: true });
    await writeFile(command, toolScript('docker', port), { mode: 0o755 });
  };

  /** `apt-get update` succeeds; `apt-get install` of Docker's packages makes `docker` report their versions. */
  async function aptGet(args: string[]): Promise<Reply> {
    aptGetInvocations.push(args);
    if (args.includes('install')) {
      if (args.includes('docker-ce')) {
        engineVersion = installable.engineVersion;
        await installDockerScript();
      }
      if (args.includes('docker-compose-plugin')) composeVersion = installable.composeVersion;
    }
    return { stdout: '', stderr: '', code: 0 };
  }

  async function handle(request: ToolRequest): Promise<Reply> {
    if (request.tool === 'apt-get') return aptGet(request.args);
    invocations.push({ args: request.args, cwd: request.cwd });
    const [command, ...rest] = request.args;
    if (command === 'version') {
      return { stdout: `${engineVersion}\n`, stderr: '', code: 0 };
    }
    if (command === 'compose') {
      if (composeVersion === false) {
        return { stdout: '', stderr: "docker: 'compose' is not a docker command.\n", code: 1 };
      }
      let cwd = request.cwd;
      const args = [...rest];
      const directory = args.indexOf('--project-directory');
      if (directory >= 0) {
        cwd = resolve(request.cwd, args[directory + 1] ?? '.');
        args.splice(directory, 2);
      }
      return compose(args, cwd, request.env);
    }
    return { stdout: '', stderr: `docker: '${command ?? ''}' is not a docker command.\n`, code: 1 };
  }

  const server: Server = createServer((socket: Socket) => {
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
      const request = parseToolRequest(data);
      if (!request) return;
      socket.removeAllListeners('data');
      handle(request)
        .catch((error: unknown): Reply => ({ stdout: '', stderr: `${String(error)}\n`, code: 1 }))
        .then(
          (reply) => socket.end(toolReply(reply)),
          () => socket.destroy(),
        );
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  port = (server.address() as AddressInfo).port;

  await writeFile(aptGetCommand, toolScript('apt-get', port), { mode: 0o755 });
  if (engineVersion !== false) await installDockerScript();

  return {
    binDir,
    command,
    aptGetCommand,
    aptGetInvocations,
    invocations,
    projects,
    projectValues,
    networks,
    volumes,
    composeUps: () => invocations.filter((call) => call.args[0] === 'compose' && call.args.includes('up')),
    setContainerState(project, service, state) {
      const container = projects.get(project)?.get(service);
      if (!container) throw new Error(`no container for ${project}/${service}`);
      Object.assign(container, state);
    },
    async close() {
      await new Promise<void>((done) => server.close(() => done()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
