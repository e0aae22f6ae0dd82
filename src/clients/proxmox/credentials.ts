import type { Environment } from '../http/env.js';
import { readSecretFromEnv, tlsOptionsFromEnv } from '../http/env.js';
import type { TlsOptions } from '../http/tls.js';

/**
 * How a client authenticates to Proxmox VE.
 *
 * - `token`: an API token, `Authorization: PVEAPIToken=USER@REALM!TOKENID=SECRET`. Cannot do root@pam-only steps
 *   (LXC feature flags other than nesting, `dev[n]` device passthrough), even for `root@pam!…` tokens.
 * - `password`: a ticket from `POST /access/ticket` (cookie `PVEAuthCookie` plus `CSRFPreventionToken` on writes);
 *   as `root@pam` it can do every step.
 */
export type ProxmoxCredentials =
  | {
      /** API token auth. */
      readonly kind: 'token';
      /** `user@realm!tokenid`. */
      readonly tokenId: string;
      /** The token secret (UUID). */
      readonly secret: string;
    }
  | {
      /** Ticket auth. */
      readonly kind: 'password';
      /** `user@realm`, usually `root@pam`. */
      readonly username: string;
      /** The user's password. */
      readonly password: string;
    };

/** Connection settings read from the environment. */
export interface ProxmoxEnvOptions {
  /** `PROXMOX_URL`, e.g. `https://pve.example:8006`. */
  readonly url: string;
  /** From the token or root password variables. */
  readonly credentials: ProxmoxCredentials;
  /** From `PROXMOX_CA_FILE`, `PROXMOX_FINGERPRINT`, `PROXMOX_INSECURE_SKIP_VERIFY`. */
  readonly tls: TlsOptions;
}

/**
 * Reads Proxmox connection settings from the environment. Every secret may also come from a file named by the same
 * variable with `_FILE` appended.
 *
 * | variable | meaning |
 * | --- | --- |
 * | `PROXMOX_URL` | API origin, `https://<node>:8006` (required) |
 * | `PROXMOX_ROOT_PASSWORD` | password for a ticket login; when set it wins over the token, so root@pam-only steps work |
 * | `PROXMOX_USERNAME` | user of the ticket login, default `root@pam` |
 * | `PROXMOX_ADMIN_TOKEN_ID` | API token ID, `user@realm!tokenid` |
 * | `PROXMOX_ADMIN_TOKEN_SECRET` | API token secret (`_FILE` to read it from a file) |
 * | `PROXMOX_CA_FILE` / `PROXMOX_FINGERPRINT` / `PROXMOX_INSECURE_SKIP_VERIFY=1` | TLS trust |
 *
 * @param env - The environment, `process.env` by default.
 * @returns URL, credentials and TLS options.
 * @throws Error naming the missing variables (never their values).
 */
export function proxmoxOptionsFromEnv(env: Environment = process.env): ProxmoxEnvOptions {
  const url = env['PROXMOX_URL'];
  if (!url) throw new Error('PROXMOX_URL is not set (e.g. https://pve.example:8006)');
  const password = readSecretFromEnv(env, 'PROXMOX_ROOT_PASSWORD');
  const tokenId = env['PROXMOX_ADMIN_TOKEN_ID'];
  const secret = readSecretFromEnv(env, 'PROXMOX_ADMIN_TOKEN_SECRET');
  let credentials: ProxmoxCredentials;
  if (password !== undefined) {
    credentials = { kind: 'password', username: env['PROXMOX_USERNAME'] || 'root@pam', password };
  } else if (tokenId && secret !== undefined) {
    credentials = { kind: 'token', tokenId, secret };
  } else {
    throw new Error(
      'no Proxmox credentials: set PROXMOX_ADMIN_TOKEN_ID and PROXMOX_ADMIN_TOKEN_SECRET (or PROXMOX_ADMIN_TOKEN_SECRET_FILE), ' +
        'or PROXMOX_ROOT_PASSWORD (or PROXMOX_ROOT_PASSWORD_FILE) for root@pam-only steps',
    );
  }
  return { url, credentials, tls: tlsOptionsFromEnv(env, 'PROXMOX') };
}

/**
 * The suffix that marks a variable as one cluster's: the cluster's name in upper case, each character other than a
 * letter or digit as `_` (`matrix` → `MATRIX`, `lab-2` → `LAB_2`).
 *
 * @param cluster - The Proxmox cluster's name in the topology.
 * @returns The suffix, without the `__` before it.
 */
export function proxmoxClusterSuffix(cluster: string): string {
  return cluster.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/**
 * The environment as one Proxmox cluster's client reads it. Each cluster is its own API with its own address and
 * credentials, so any `PROXMOX_*` variable may be given for one cluster as `PROXMOX_<NAME>__<CLUSTER>`
 * (`PROXMOX_URL__MATRIX`, `PROXMOX_ADMIN_TOKEN_SECRET_FILE__QUANTUM`), which wins over `PROXMOX_<NAME>` for that
 * cluster; the unsuffixed variables serve every cluster that has no variable of its own. The double underscore keeps
 * a cluster suffix apart from the variables' own words (`PROXMOX_ROOT_PASSWORD` is not `PROXMOX_ROOT` of cluster
 * `PASSWORD`).
 *
 * @param env - The environment (`process.env`).
 * @param cluster - The cluster's name in the topology.
 * @returns The environment with the cluster's own variables in place of the shared ones.
 * @example
 * ```ts
 * const env = proxmoxClusterEnvironment(process.env, 'matrix');
 * const { url, credentials, tls } = proxmoxOptionsFromEnv(env); // PROXMOX_URL__MATRIX when set, else PROXMOX_URL
 * ```
 */
export function proxmoxClusterEnvironment(env: Environment, cluster: string): Environment {
  const suffix = `__${proxmoxClusterSuffix(cluster)}`;
  const own = Object.entries(env).filter(
    ([name, value]) => name.startsWith('PROXMOX_') && name.endsWith(suffix) && value !== undefined,
  );
  if (own.length === 0) return env;
  return { ...env, ...Object.fromEntries(own.map(([name, value]) => [name.slice(0, -suffix.length), value])) };
}
