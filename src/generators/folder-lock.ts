/**
 * One writer per output folder: a lock file that names its holder (process ID and host), so a second `generate`
 * into the same folder is refused with a message saying who holds it, and a lock left by a killed run is recognised
 * (its process is gone) and taken over.
 *
 * @module
 */
import { link, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BOOKKEEPING_PREFIX } from './artifact-path.js';
import { ArtifactSetError } from './artifact-set-error.js';
import type { ContainedFolder } from './contained-folder.js';
import { temporaryPathFor } from './files.js';

/** The lock file's name in the output folder. */
export const LOCK_FILE = `${BOOKKEEPING_PREFIX}lock`;

/** Who holds a lock. */
interface LockHolder {
  readonly pid: number;
  readonly host: string;
}

/** A held lock on an output folder. */
export interface FolderLock {
  /** Gives the lock up (removes the lock file). */
  release(): Promise<void>;
}

/**
 * Creates the lock file only if there is none, with its content complete from the first moment: the content goes to
 * a temporary file that is then hard-linked to the lock's name (`link` fails when the name exists, atomically), so
 * no reader ever sees a half-written lock. File systems without hard links fall back to an exclusive create.
 */
async function createExclusively(path: string, content: string): Promise<boolean> {
  const temporary = temporaryPathFor(path);
  try {
    await writeFile(temporary, content, { flag: 'wx', mode: 0o644 });
    await link(temporary, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOENT: the lock's holder removed our temporary file as a killed run's leftover; the lock is theirs.
    if (code === 'EEXIST' || code === 'ENOENT') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
  } finally {
    await rm(temporary, { force: true });
  }
  try {
    await writeFile(path, content, { flag: 'wx', mode: 0o644 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const { pid, host } = JSON.parse(text) as Partial<LockHolder>;
    // A pid of 0 or below would make process.kill signal a whole process group: never accept one.
    if (typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0 && typeof host === 'string')
      return { pid, host };
  } catch {
    // Not a lock this SDK wrote: reported below as held by an unknown process.
  }
  return undefined;
}

/** Whether a process runs on this host: signal 0 checks without sending anything (EPERM: it runs as someone else). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the output folder's lock, or refuses. A lock whose holder ran on this host and has exited is stale and taken
 * over; a lock from another host cannot be checked and is left to the person. Two runs that find the same stale lock
 * at the same instant could both take it over; that needs a run killed and two new ones started together.
 *
 * @param folder - The output folder (it must exist and not be a link).
 * @returns The lock; release it when done.
 * @throws {@link ArtifactSetError} when another run holds the folder.
 */
export async function lockOutputFolder(folder: ContainedFolder): Promise<FolderLock> {
  const path = join(folder.root, LOCK_FILE);
  const content = `${JSON.stringify({ pid: process.pid, host: hostname() })}\n`;
  const held: FolderLock = { release: () => rm(path, { force: true }) };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createExclusively(path, content)) return held;
    const text = await folder.read(LOCK_FILE);
    if (text === undefined) continue; // released between our two steps: try again
    const holder = parseHolder(text);
    if (holder && holder.host === hostname() && !isRunning(holder.pid)) {
      await rm(path, { force: true });
      continue;
    }
    const who = holder ? `process ${holder.pid} on ${holder.host}` : 'an unknown process';
    throw new ArtifactSetError(
      LOCK_FILE,
      `another talos-topology generate (${who}) is writing ${folder.root}; wait for it to finish, or remove ${path} if it is no longer running`,
    );
  }
  throw new ArtifactSetError(LOCK_FILE, `could not take the lock of ${folder.root}; try again`);
}
