/**
 * The one command a plan runs on each host, and how its output is read. Everything a plan needs comes back from a
 * single `exec`: the Docker Engine and Compose versions, the SHA-256 of every file the SDK may write (one
 * `sha256sum` over all of them), the ownership manifest of each stack, a SHA-256 per `.env` key (the values never
 * leave the host), and each stack's containers.
 *
 * Upstream output formats relied on:
 * - `sha256sum FILE...` prints `<64 hex>  <name>` per readable file (GNU coreutils, text mode: two spaces) and a
 *   diagnostic on stderr for a missing one;
 * - `docker version --format '{{.Server.Version}}'` prints the engine version (docker/cli `version` template);
 * - `docker compose version --short` prints e.g. `2.29.7`, without `v` since Compose 2.3.3 (docker/compose#9096);
 * - `docker compose ps --all --format json` prints one object per line since Compose 2.21.0 (docker/compose#10918,
 *   docs fixed in #13868), an array before; each has `Service`, `Name`, `State` and `Health`.
 *
 * @module
 */
import type { HostStack } from './artifacts.js';
import type { OsRelease } from './docker-install.js';
import { parseOsRelease } from './docker-install.js';

/** The ownership manifest file the SDK keeps in each stack folder on the host. */
export const STACK_MANIFEST = '.talos-sdk.json';

/** A container as `docker compose ps --format json` reports it. */
export interface ContainerState {
  /** Compose service. */
  readonly service: string;
  /** Container name. */
  readonly name: string;
  /** `running`, `exited`, `created`, ... */
  readonly state: string;
  /** `healthy`, `starting`, `unhealthy`, or empty. */
  readonly health: string;
}

/** The SDK's record of what it wrote into a stack folder. */
export interface StackManifest {
  /** SHA-256 of each file the SDK wrote, by name. */
  readonly files: Readonly<Record<string, string>>;
  /** Per service, the hash of the inputs Compose does not watch (config content, bind-mounted files). */
  readonly services: Readonly<Record<string, string>>;
}

/** What one stack folder holds on the host. */
export interface RemoteStack {
  /** The ownership manifest, when the SDK wrote one and it parses. */
  readonly manifest?: StackManifest;
  /** SHA-256 of the manifest file's text, when present. */
  readonly manifestSha256?: string;
  /** SHA-256 of each `.env` value, by key. */
  readonly envKeys: ReadonlyMap<string, string>;
  /** Its containers. */
  readonly containers: readonly ContainerState[];
}

/** What the plan learnt about a host in one command. */
export interface HostState {
  /** Docker Engine version, when `docker` answers. */
  readonly dockerVersion?: string;
  /** Compose plugin version, when it answers. */
  readonly composeVersion?: string;
  /** The distribution, from `/etc/os-release`. */
  readonly os: OsRelease;
  /** SHA-256 of each existing file, by absolute path. */
  readonly hashes: ReadonlyMap<string, string>;
  /** Each stack's folder, by stack name. */
  readonly stacks: ReadonlyMap<string, RemoteStack>;
}

/**
 * Quotes a word for the POSIX shell: single quotes, an embedded `'` as `'\''`.
 *
 * @param word - Any text.
 * @returns The quoted word.
 */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

const MARK = '@@talos-sdk';

/**
 * What precedes a privileged command: nothing for root, passwordless sudo otherwise (Debian cloud images allow it).
 *
 * @param user - The login user.
 * @returns `''` or `'sudo -n '`.
 */
export function privilegedPrefix(user: string): string {
  return user === 'root' ? '' : 'sudo -n ';
}

/** `docker` itself, or through passwordless sudo for a user that is not root. */
export function dockerCommand(user: string): string {
  return `${privilegedPrefix(user)}docker`;
}

/**
 * The part of the probe that reads the Docker Engine and Compose versions; apply runs it alone after installing
 * Docker.
 *
 * @param user - The login user.
 * @returns Shell text; {@link parseProbe} reads its output.
 */
export function versionsScript(user: string): string {
  const docker = dockerCommand(user);
  return [
    `echo '${MARK} docker'; ${docker} version --format '{{.Server.Version}}' 2>/dev/null`,
    `echo '${MARK} compose'; ${docker} compose version --short 2>/dev/null`,
  ].join('\n');
}

/**
 * The probe script for a host's stacks.
 *
 * @param user - The login user (`sudo -n` is used for Docker when it is not root).
 * @param stacks - The host's stacks.
 * @returns Shell text without any secret.
 */
export function probeScript(user: string, stacks: readonly HostStack[]): string {
  const docker = dockerCommand(user);
  const files = stacks.flatMap((stack) =>
    [...stack.inputs.files.map((file) => file.name), STACK_MANIFEST].map((name) => `${stack.remoteDir}/${name}`),
  );
  const lines = [
    `echo '${MARK} os'; cat -- /etc/os-release 2>/dev/null`,
    versionsScript(user),
    `echo '${MARK} hashes'; sha256sum -- ${files.map(shellQuote).join(' ')} 2>/dev/null`,
  ];
  for (const stack of stacks) {
    const dir = shellQuote(stack.remoteDir);
    const env = shellQuote(`${stack.remoteDir}/.env`);
    lines.push(
      `echo '${MARK} manifest ${stack.name}'; cat -- ${shellQuote(`${stack.remoteDir}/${STACK_MANIFEST}`)} 2>/dev/null`,
      // One hash per key: the value itself never leaves the host.
      `echo '${MARK} env ${stack.name}'; [ -r ${env} ] && while IFS= read -r line || [ -n "$line" ]; do case $line in [A-Za-z_]*=*) printf '%s %s\\n' "\${line%%=*}" "$(printf '%s' "\${line#*=}" | sha256sum)";; esac; done < ${env}`,
      `echo '${MARK} ps ${stack.name}'; [ -f ${shellQuote(`${stack.remoteDir}/compose.yaml`)} ] && (cd -- ${dir} && ${docker} compose ps --all --format json 2>/dev/null)`,
    );
  }
  lines.push(`echo '${MARK} end'`);
  return lines.join('\n');
}

/**
 * Reads `docker compose ps --format json` output in both shapes (JSON lines, or one array before Compose 2.21.0).
 *
 * @param text - The output.
 * @returns The containers.
 */
export function parseComposePs(text: string): ContainerState[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  const entries: unknown[] = trimmed.startsWith('[')
    ? (JSON.parse(trimmed) as unknown[])
    : trimmed.split('\n').map((line) => JSON.parse(line) as unknown);
  return entries.map((entry) => {
    const record = entry as Record<string, unknown>;
    return {
      service: String(record.Service ?? ''),
      name: String(record.Name ?? ''),
      state: String(record.State ?? '').toLowerCase(),
      health: String(record.Health ?? '').toLowerCase(),
    };
  });
}

function parseManifest(text: string): StackManifest | undefined {
  try {
    const json = JSON.parse(text) as Partial<StackManifest>;
    if (typeof json.files !== 'object' || json.files === null) return undefined;
    return { files: json.files, services: json.services ?? {} };
  } catch {
    return undefined;
  }
}

/**
 * Reads the probe's output.
 *
 * @param stdout - What the probe printed.
 * @param stacks - The host's stacks, as given to {@link probeScript}.
 * @returns The host's state.
 */
export function parseProbe(stdout: string, stacks: readonly HostStack[]): HostState {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith(`${MARK} `)) {
      current = [];
      sections.set(line.slice(MARK.length + 1), current);
    } else current?.push(line);
  }
  const text = (name: string): string => (sections.get(name) ?? []).join('\n').trim();
  const hashes = new Map<string, string>();
  for (const line of sections.get('hashes') ?? []) {
    const match = /^\\?([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (match?.[1] && match[2]) hashes.set(match[2], match[1]);
  }
  const remoteStacks = new Map<string, RemoteStack>();
  for (const stack of stacks) {
    const manifestText = text(`manifest ${stack.name}`);
    const manifest = manifestText ? parseManifest(manifestText) : undefined;
    const manifestSha256 = hashes.get(`${stack.remoteDir}/${STACK_MANIFEST}`);
    const envKeys = new Map<string, string>();
    for (const line of sections.get(`env ${stack.name}`) ?? []) {
      const match = /^([A-Za-z_][A-Za-z0-9_]*) ([0-9a-f]{64})/.exec(line);
      if (match?.[1] && match[2]) envKeys.set(match[1], match[2]);
    }
    let containers: ContainerState[] = [];
    try {
      containers = parseComposePs(text(`ps ${stack.name}`));
    } catch {
      containers = [];
    }
    remoteStacks.set(stack.name, {
      ...(manifest ? { manifest } : {}),
      ...(manifestSha256 ? { manifestSha256 } : {}),
      envKeys,
      containers,
    });
  }
  const docker = text('docker');
  const compose = text('compose').replace(/^v/, '');
  return {
    ...(/^\d+\.\d+/.test(docker) ? { dockerVersion: docker } : {}),
    ...(/^\d+\.\d+/.test(compose) ? { composeVersion: compose } : {}),
    os: parseOsRelease(text('os')),
    hashes,
    stacks: remoteStacks,
  };
}
