/**
 * The two file operations every writer of the SDK shares: read a file that may be missing, and replace a file
 * atomically so that nothing is ever left half-written. A run killed between the two steps of an atomic write leaves
 * its temporary file behind; {@link temporaryFileTarget} recognises those by their name so a later run can remove
 * them (and nothing else).
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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

/** `.<file name>.<12 hex digits>.tmp`: the name of every temporary file {@link writeFileAtomically} makes. */
const TEMPORARY_FILE = /^\.(.+)\.[0-9a-f]{12}\.tmp$/;

/**
 * The file a temporary file of {@link writeFileAtomically} was meant to replace.
 *
 * @param name - A file name (no folder).
 * @returns The name of the file it was meant to become, or `undefined` when the name is not one the SDK makes.
 */
export function temporaryFileTarget(name: string): string | undefined {
  return TEMPORARY_FILE.exec(name)?.[1];
}

// One random draw per process, at the first temporary file, then a counter: a name per file without drawing random
// bytes for each of 10,000 files. The name need not be secret: the temporary file is created with O_EXCL ('wx'), so a
// file or link already at that name makes the write fail rather than be followed, and a run removes such leftovers
// before it writes.
let temporarySequence: number | undefined;

/**
 * A fresh name for a temporary file that will become `path`: hidden, beside it, and recognised by
 * {@link temporaryFileTarget}.
 *
 * @param path - The file it will become.
 * @returns The temporary file's path.
 */
export function temporaryPathFor(path: string): string {
  temporarySequence = ((temporarySequence ?? randomBytes(6).readUIntBE(0, 6)) + 1) % 2 ** 48;
  return join(dirname(path), `.${basename(path)}.${temporarySequence.toString(16).padStart(12, '0')}.tmp`);
}

/**
 * Replaces a file atomically in a folder that exists: the content goes to a hidden temporary file beside it, which is
 * then renamed over it, so a reader (or a run killed in between) sees the old bytes or the new ones, never a part. No
 * fsync: the guarantee is against an interrupted process, whose written data the kernel keeps; surviving a power
 * loss would cost two fsyncs per file. On failure the temporary file is removed.
 *
 * @param path - The file; its folder must exist.
 * @param content - The new content.
 * @param mode - Permission bits of the new file, e.g. `0o600` for a secret.
 */
export function replaceFileAtomically(path: string, content: string | Buffer, mode: number): void {
  // Synchronous system calls: a generate run writes thousands of small files, and on the 2-core test machine the
  // thread pool's round trips made 10,000 writes 2 to 3 times slower than this, one after another or 4 or 32 at once
  // (creating files in one folder serialises in the kernel anyway). Each call blocks for one small file only.
  const temporary = temporaryPathFor(path);
  try {
    writeFileSync(temporary, content, { mode, flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Replaces a file atomically (see {@link replaceFileAtomically}), creating its parent folder when missing.
 *
 * @param path - The file.
 * @param content - The new content.
 * @param mode - Permission bits of the new file, e.g. `0o600` for a secret.
 */
export async function writeFileAtomically(path: string, content: string | Buffer, mode: number): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  replaceFileAtomically(path, content, mode);
}
