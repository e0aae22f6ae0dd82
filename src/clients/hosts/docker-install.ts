/**
 * Installing Docker Engine and the Compose plugin on a host that lacks them (or whose Compose is too old), the way
 * Docker documents it for Debian and Ubuntu ("Install Docker Engine on Debian", docs.docker.com/engine/install/debian,
 * docker/docs `content/manuals/engine/install/debian.md`, and its Ubuntu twin): Docker's GPG key saved as
 * `/etc/apt/keyrings/docker.asc`, the source `deb [arch=<dpkg arch> signed-by=/etc/apt/keyrings/docker.asc]
 * https://download.docker.com/linux/<ID> <VERSION_CODENAME> stable`, then `apt-get install docker-ce docker-ce-cli
 * containerd.io docker-buildx-plugin docker-compose-plugin`.
 *
 * Docker's repository, not the distribution's: Debian 12's own `docker-compose` is Compose v1 (1.29) and its
 * `docker.io` ships no Compose v2 plugin, so no distribution package gives Compose 2.23.1 or later there.
 *
 * @module
 */

/** `ID` values of `/etc/os-release` Docker's apt repository serves (`https://download.docker.com/linux/<ID>`). */
export const DOCKER_APT_DISTRIBUTIONS: readonly string[] = ['debian', 'ubuntu'];

/** The packages Docker's install guide names. */
export const DOCKER_PACKAGES: readonly string[] = [
  'docker-ce',
  'docker-ce-cli',
  'containerd.io',
  'docker-buildx-plugin',
  'docker-compose-plugin',
];

/** Where Docker's guide keeps the repository key. */
const KEYRING = '/etc/apt/keyrings/docker.asc';

/** The distribution a host runs, from `/etc/os-release`. */
export interface OsRelease {
  /** `ID`, e.g. `debian`. */
  readonly id: string;
  /** `VERSION_CODENAME`, e.g. `bookworm`. */
  readonly codename: string;
}

/**
 * Reads `ID` and `VERSION_CODENAME` from `/etc/os-release` text (os-release(5): `KEY=value` lines, the value
 * optionally in double or single quotes).
 *
 * @param text - The file's text.
 * @returns The distribution; empty fields when absent.
 */
export function parseOsRelease(text: string): OsRelease {
  const field = (key: string): string => {
    const match = new RegExp(`^${key}=(.*)$`, 'm').exec(text);
    return (match?.[1] ?? '').trim().replace(/^(["'])(.*)\1$/, '$2');
  };
  return { id: field('ID'), codename: field('VERSION_CODENAME') };
}

/**
 * Why Docker's apt repository cannot be used on a distribution, when it cannot.
 *
 * @param os - What `/etc/os-release` says.
 * @returns The reason, or `undefined` when the install can proceed.
 */
export function unsupportedDistribution(os: OsRelease): string | undefined {
  if (!DOCKER_APT_DISTRIBUTIONS.includes(os.id)) {
    return `cannot install Docker on ${os.id ? `distribution ${os.id}` : 'a host without /etc/os-release'}: only ${DOCKER_APT_DISTRIBUTIONS.join(' and ')} (Docker's apt repository) are handled; install Docker Engine and the Compose plugin by hand`;
  }
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(os.codename)) {
    return `cannot install Docker on ${os.id}: /etc/os-release names no VERSION_CODENAME for Docker's apt repository`;
  }
  return undefined;
}

/**
 * The repository line and where it comes from, for the plan.
 *
 * @param os - A handled distribution.
 * @returns E.g. `https://download.docker.com/linux/debian bookworm stable`.
 */
export function dockerRepository(os: OsRelease): string {
  return `https://download.docker.com/linux/${os.id} ${os.codename} stable`;
}

/**
 * The install script: Docker's documented steps, non-interactive, each privileged command as root or through
 * `sudo -n` (`prefix`). Fails at the first failing step.
 *
 * @param os - A handled distribution ({@link unsupportedDistribution} said nothing).
 * @param prefix - `''` for root, `'sudo -n '` otherwise.
 * @returns Shell text.
 */
export function dockerInstallScript(os: OsRelease, prefix: string): string {
  const apt = `${prefix}env DEBIAN_FRONTEND=noninteractive apt-get`;
  const url = `https://download.docker.com/linux/${os.id}`;
  return [
    'set -e',
    `${apt} update`,
    `${apt} install -y ca-certificates curl`,
    `${prefix}install -m 0755 -d /etc/apt/keyrings`,
    `${prefix}curl -fsSL ${url}/gpg -o ${KEYRING}`,
    `${prefix}chmod a+r ${KEYRING}`,
    `echo "deb [arch=$(dpkg --print-architecture) signed-by=${KEYRING}] ${url} ${os.codename} stable" | ${prefix}tee /etc/apt/sources.list.d/docker.list > /dev/null`,
    `${apt} update`,
    `${apt} install -y ${DOCKER_PACKAGES.join(' ')}`,
  ].join('\n');
}
