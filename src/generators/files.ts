/**
 * The two file operations every writer of the SDK shares: read a file that may be missing, and replace a file
 * atomically so that nothing is ever left half-written.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Reads a text file that may not exist.
 *
 * @param path - The file.
 * @returns Its UTF-8 text, or `undefined` when there is no such file.
 */
export async function readTextIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Replaces a file atomically: the content goes to a hidden temporary file beside it, which is then renamed over it.
 * The parent folder is created when missing; on failure the temporary file is removed.
 *
 * @param path - The file.
 * @param content - The new content.
 * @param mode - Permission bits of the new file, e.g. `0o600` for a secret.
 */
export async function writeFileAtomically(path: string, content: string | Buffer, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, content, { mode, flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
