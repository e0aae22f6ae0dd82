import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** How the SDK logs in to hosts and checks their keys. */
export interface HostsCredentials {
  /** ssh-agent socket (`SSH_AUTH_SOCK`). */
  readonly agent?: string;
  /** A private key (OpenSSH or PEM text), read from the file `HOSTS_SSH_KEY_FILE` names. */
  readonly privateKey?: string;
  /** Its passphrase (`HOSTS_SSH_KEY_PASSPHRASE`). */
  readonly passphrase?: string;
  /** The `known_hosts` file used when a host pins no key: `HOSTS_SSH_KNOWN_HOSTS`, else `~/.ssh/known_hosts`. */
  readonly knownHostsFile: string;
}

/** The environment variables {@link hostsCredentialsFromEnv} reads. */
export type HostsEnv = Readonly<Record<string, string | undefined>>;

/**
 * Reads SSH credentials from the environment: the agent at `SSH_AUTH_SOCK`, and/or the key file named by
 * `HOSTS_SSH_KEY_FILE` (never a password or a key on the command line).
 *
 * @param env - The environment.
 * @returns The credentials.
 * @throws Error naming the variable when neither is set or the key file cannot be read.
 */
export async function hostsCredentialsFromEnv(env: HostsEnv): Promise<HostsCredentials> {
  const agent = env.SSH_AUTH_SOCK || undefined;
  const keyFile = env.HOSTS_SSH_KEY_FILE || undefined;
  if (!agent && !keyFile) {
    throw new Error(
      'no SSH credentials: start ssh-agent (SSH_AUTH_SOCK) or set HOSTS_SSH_KEY_FILE to a private key file',
    );
  }
  const privateKey = keyFile
    ? await readFile(keyFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new Error(`HOSTS_SSH_KEY_FILE: cannot read ${keyFile} (${error.code ?? 'error'})`);
      })
    : undefined;
  return {
    ...(agent ? { agent } : {}),
    ...(privateKey ? { privateKey } : {}),
    ...(env.HOSTS_SSH_KEY_PASSPHRASE ? { passphrase: env.HOSTS_SSH_KEY_PASSPHRASE } : {}),
    knownHostsFile: env.HOSTS_SSH_KNOWN_HOSTS || join(env.HOME || homedir(), '.ssh', 'known_hosts'),
  };
}
