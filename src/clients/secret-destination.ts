/**
 * Where a secret that a live system hands out once (a Proxmox token secret, an Omni infra-provider key) is kept:
 * a file of its own, or one `NAME=value` line of an env file. Writes are atomic and mode 0600; the secret is never
 * printed or logged.
 *
 * @module
 */
import { rm } from 'node:fs/promises';
import { readTextIfPresent, writeFileAtomically } from '../generators/files.js';

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
 */
export async function writeSecret(destination: SecretDestination, variable: string, secret: string): Promise<void> {
  if ('file' in destination) return writeFileAtomically(destination.file, `${secret}\n`, 0o600);
  const line = `${variable}=${secret}`;
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
  if ('file' in destination) return ((await readTextIfPresent(destination.file)) ?? '').trim() !== '';
  return envLines(await readTextIfPresent(destination.envFile)).some(
    (line) => line.startsWith(`${variable}=`) && line.slice(variable.length + 1).trim() !== '',
  );
}

/**
 * Removes a secret that no longer belongs to anything live (the file, or the variable's line).
 *
 * @param destination - Where it is.
 * @param variable - The variable an env file sets.
 */
export async function removeSecret(destination: SecretDestination, variable: string): Promise<void> {
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
