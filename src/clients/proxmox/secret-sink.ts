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
  let existing = '';
  try {
    existing = await readFile(destination.envFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const line = `${variable}=${secret}`;
  const lines = existing === '' ? [] : existing.replace(/\n$/, '').split('\n');
  const index = lines.findIndex((item) => item.startsWith(`${variable}=`));
  if (index >= 0) lines[index] = line;
  else lines.push(line);
  return writeAtomically(destination.envFile, `${lines.join('\n')}\n`);
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
