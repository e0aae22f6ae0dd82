import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Where a newly created API token's secret goes. Proxmox returns it once; it is never printed or logged.
 *
 * - `file`: the secret alone, in a file written atomically with mode 0600.
 * - `envFile`: a `NAME=secret` line (NAME from the artifact's `secretEnv`, e.g. `PROXMOX_TOKEN_SECRET`) replaced or
 *   added in an env file, written atomically with mode 0600.
 */
export type TokenSecretDestination =
  | {
      /** File to hold the secret alone. */
      readonly file: string;
    }
  | {
      /** Env file to hold a `NAME=secret` line. */
      readonly envFile: string;
    };

/**
 * Describes a destination for plan notes without revealing anything secret.
 *
 * @param destination - Where the secret goes.
 * @param variable - The env variable name for `envFile`.
 * @returns E.g. `written to /run/secrets/pve (mode 0600)`.
 */
export function describeDestination(destination: TokenSecretDestination, variable: string): string {
  return 'file' in destination
    ? `secret written to ${destination.file} (mode 0600)`
    : `secret written as ${variable}=… to ${destination.envFile} (mode 0600)`;
}

/**
 * Writes a token secret to its destination atomically (temporary file in the same folder, then rename), mode 0600.
 *
 * @param destination - Where it goes.
 * @param variable - The env variable name for `envFile`.
 * @param secret - The secret.
 * @returns When written.
 */
export async function writeTokenSecret(
  destination: TokenSecretDestination,
  variable: string,
  secret: string,
): Promise<void> {
  if ('file' in destination) return writeAtomically(destination.file, `${secret}\n`);
  const line = `${variable}=${secret}`;
  const lines = envLines(await readIfPresent(destination.envFile));
  const index = lines.findIndex((item) => item.startsWith(`${variable}=`));
  if (index >= 0) lines[index] = line;
  else lines.push(line);
  return writeAtomically(destination.envFile, `${lines.join('\n')}\n`);
}

/**
 * Tells whether the destination holds a secret: a file that is not empty, or an env file with a non-empty
 * `NAME=` line. Whether the secret still works is not checked.
 *
 * @param destination - Where the secret would be.
 * @param variable - The env variable name for `envFile`.
 * @returns `true` when a secret is there.
 * @throws Error when the file exists but cannot be read.
 */
export async function hasTokenSecret(destination: TokenSecretDestination, variable: string): Promise<boolean> {
  if ('file' in destination) return ((await readIfPresent(destination.file)) ?? '').trim() !== '';
  return envLines(await readIfPresent(destination.envFile)).some(
    (line) => line.startsWith(`${variable}=`) && line.slice(variable.length + 1).trim() !== '',
  );
}

/**
 * Removes a secret that no longer belongs to the live token (deletes the file, or drops the `NAME=` line of the env
 * file and keeps the rest), so a later plan sees it is missing instead of trusting a stale one.
 *
 * @param destination - Where the secret is.
 * @param variable - The env variable name for `envFile`.
 * @returns When removed (also when there was nothing to remove).
 */
export async function removeTokenSecret(destination: TokenSecretDestination, variable: string): Promise<void> {
  if ('file' in destination) return rm(destination.file, { force: true });
  const text = await readIfPresent(destination.envFile);
  if (text === undefined) return;
  const lines = envLines(text);
  const kept = lines.filter((line) => !line.startsWith(`${variable}=`));
  if (kept.length === lines.length) return;
  return writeAtomically(destination.envFile, kept.length ? `${kept.join('\n')}\n` : '');
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function envLines(text: string | undefined): string[] {
  return text === undefined || text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
