/**
 * Where a secret that a live system hands out once (a Proxmox token secret, an Omni infra-provider key) is kept:
 * a file of its own, or one `NAME=value` line of an env file (quoted so that Docker Compose, which reads the file
 * where the hosts target delivers it, takes the value literally). Writes are atomic and mode 0600; the secret is never
 * printed or logged.
 *
 * @module
 */
import { lstat, rm } from 'node:fs/promises';
import { readTextIfPresent, writeFileAtomically } from '../generators/files.js';
import { quoteDotenvValue, unquoteDotenvValue } from './dotenv-value.js';

/** A place the user named for a secret. */
export type SecretDestination =
  | {
      /** File to hold the secret alone. */
      readonly file: string;
    }
  | {
      /** Env file to hold a `NAME=secret` line (other lines are kept). */
      readonly envFile: string;
    };

/** A secret destination that cannot be used safely, e.g. a symbolic link. */
export class SecretDestinationError extends Error {
  /** The destination path as given. */
  readonly path: string;

  /**
   * @param path - The destination path as given.
   * @param message - What is wrong and what to do.
   */
  constructor(path: string, message: string) {
    super(message);
    this.name = 'SecretDestinationError';
    this.path = path;
  }
}

/**
 * Refuses a destination that is a symbolic link. A secret file is replaced atomically (a new file renamed over the
 * old one), and `rename` replaces the link itself, not its target: the link would silently become a regular file
 * (for an env file, holding a copy of the target's other lines), and the file the link points at would keep the old
 * secret. Called at plan time as well, so apply refuses before any remote change is made.
 *
 * @param destination - Where a secret goes.
 * @throws {@link SecretDestinationError} naming the path when it is a symbolic link.
 */
export async function checkSecretDestination(destination: SecretDestination): Promise<void> {
  const path = 'file' in destination ? destination.file : destination.envFile;
  const stats = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (stats?.isSymbolicLink()) {
    throw new SecretDestinationError(
      path,
      `refusing to use ${path} for a secret: it is a symbolic link, and writing the secret would replace the link ` +
        'with a regular file; give the path of the file itself',
    );
  }
}

/**
 * Names a destination for messages, never with the secret.
 *
 * @param destination - The destination.
 * @param variable - The variable an env file sets.
 * @returns E.g. `/etc/omni/provider.key` or `PROXMOX_TOKEN_SECRET in hosts/ct-200/.env`.
 */
export function describeSecretDestination(destination: SecretDestination, variable: string): string {
  return 'file' in destination ? destination.file : `${variable} in ${destination.envFile}`;
}

/**
 * Writes a secret atomically with mode 0600, replacing the variable's line in an env file or the whole file.
 *
 * @param destination - Where to write.
 * @param variable - The variable an env file sets.
 * @param secret - The secret.
 * @throws {@link SecretDestinationError} when the destination is a symbolic link.
 */
export async function writeSecret(destination: SecretDestination, variable: string, secret: string): Promise<void> {
  await checkSecretDestination(destination);
  if ('file' in destination) return writeFileAtomically(destination.file, `${secret}\n`, 0o600);
  const line = `${variable}=${quoteDotenvValue(variable, secret)}`;
  const lines = envLines(await readTextIfPresent(destination.envFile));
  const index = lines.findIndex((item) => item.startsWith(`${variable}=`));
  if (index >= 0) lines[index] = line;
  else lines.push(line);
  return writeFileAtomically(destination.envFile, `${lines.join('\n')}\n`, 0o600);
}

/**
 * Tells whether a destination holds a non-empty secret.
 *
 * @param destination - Where to look.
 * @param variable - The variable an env file sets.
 * @returns `true` when the file is non-empty, or the env file has a non-empty line for the variable.
 */
export async function hasSecret(destination: SecretDestination, variable: string): Promise<boolean> {
  return (await readSecret(destination, variable)) !== undefined;
}

/**
 * Reads the secret a destination holds, for a client that must tell which live credential it is (never to print it).
 *
 * @param destination - Where to look.
 * @param variable - The variable an env file sets.
 * @returns The file's trimmed content or the variable's unquoted value; `undefined` when absent or empty.
 * @throws {@link SecretDestinationError} when the destination is a symbolic link.
 */
export async function readSecret(destination: SecretDestination, variable: string): Promise<string | undefined> {
  await checkSecretDestination(destination);
  const value =
    'file' in destination
      ? ((await readTextIfPresent(destination.file)) ?? '').trim()
      : envLines(await readTextIfPresent(destination.envFile))
          .filter((line) => line.startsWith(`${variable}=`))
          .map((line) => unquoteDotenvValue(line.slice(variable.length + 1).trim()))
          .find((item) => item !== '');
  return value === '' ? undefined : value;
}

/**
 * Removes a secret that no longer belongs to anything live (the file, or the variable's line).
 *
 * @param destination - Where it is.
 * @param variable - The variable an env file sets.
 */
export async function removeSecret(destination: SecretDestination, variable: string): Promise<void> {
  await checkSecretDestination(destination);
  if ('file' in destination) return rm(destination.file, { force: true });
  const text = await readTextIfPresent(destination.envFile);
  if (text === undefined) return;
  const lines = envLines(text);
  const kept = lines.filter((line) => !line.startsWith(`${variable}=`));
  if (kept.length === lines.length) return;
  return writeFileAtomically(destination.envFile, kept.length ? `${kept.join('\n')}\n` : '', 0o600);
}

function envLines(text: string | undefined): string[] {
  return text === undefined || text === '' ? [] : text.replace(/\n$/, '').split('\n');
}
