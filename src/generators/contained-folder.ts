/**
 * File I/O confined to an output folder. In CI the folder comes from a pull request, so everything in it is treated
 * as hostile: a path is checked with `folderPathProblem` before it is joined to the folder; every folder on the way
 * to the file is checked with `lstat` and must be a real folder, not a symbolic link (a link would lead the read or
 * write outside); files are opened with `O_NOFOLLOW` (and `lstat`-checked first where the platform lacks it) and
 * must be regular files, so a link, FIFO or device in the folder is refused rather than followed.
 *
 * What this does not defend against: another process swapping a folder for a link between the check and the use.
 * The threat is a hostile folder checked out before the run, not a hostile process running beside it; that is also
 * why a folder, once checked, is not checked again by the same {@link ContainedFolder}.
 *
 * @module
 */
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { folderPathProblem } from './artifact-path.js';
import { ArtifactSetError } from './artifact-set-error.js';
import { replaceFileAtomically, temporaryFileTarget } from './files.js';

// O_NOFOLLOW makes open fail with ELOOP on a symbolic link (POSIX); Windows has no such flag, hence the `lstat` there.
// O_NONBLOCK keeps open from waiting for a writer when the file is a FIFO; it changes nothing for a regular file.
const NO_FOLLOW = constants.O_NOFOLLOW;
const OPEN_FOR_READING = constants.O_RDONLY | (NO_FOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * `lstat` of a path that may be missing, synchronous like the folder checks of {@link ContainedFolder}: one system call,
 * and `generate`/`check` of a current folder then need no `node:fs/promises` (1–1.5 ms to load, with readline's
 * interface) before they have anything to write.
 */
function lstatIfPresent(path: string): Stats | undefined {
  return lstatSync(path, { throwIfNoEntry: false });
}

/**
 * Checks an output folder itself: it may be missing, but when present it must be a real folder, not a link.
 *
 * @param root - The output folder as the person named it.
 * @returns `true` when it exists.
 * @throws {@link ArtifactSetError} when it is a link or not a folder.
 */
export async function checkOutputFolder(root: string): Promise<boolean> {
  // resolve() drops a trailing separator, with which lstat would follow a link named `out/`.
  const stats = lstatIfPresent(resolve(root));
  if (!stats) return false;
  if (stats.isSymbolicLink())
    throw new ArtifactSetError(root, 'is a symbolic link; name the real folder (an output folder never follows links)');
  if (!stats.isDirectory()) throw new ArtifactSetError(root, 'is not a folder');
  return true;
}

/**
 * Opens a file without following a link, checks that it is a regular file, and reads it, with synchronous system
 * calls: a run reads every file of the folder, and for 10,000 small files the thread pool's round trips cost more than
 * the reads themselves (bench/output-folder.ts on Node 20, the read part of a run where nothing changed: 1.4 s with file
 * handles, 0.8 s with callbacks, 0.5 s like this). Each call blocks for one small file only.
 */
function readRegularFile(file: string, path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FOR_READING);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP' || code === 'EMLINK') throw notRegular(path, true);
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw notRegular(path, false);
    return readToEnd(fd, stats.size);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads an open regular file into one buffer of the size `fstat` gave plus a byte. Once the bytes `fstat` promised are
 * in and a read stopped short of the buffer's end, the file has ended: this spares the read returning 0 that
 * `readFileSync` makes for each of 10,000 files. A file that shrinks or grows meanwhile is still read to its end.
 */
function readToEnd(fd: number, size: number): string {
  let buffer = Buffer.allocUnsafe(size + 1);
  let length = 0;
  for (;;) {
    const count = readSync(fd, buffer, length, buffer.length - length, null);
    length += count;
    if (count === 0 || (length >= size && length < buffer.length)) return buffer.toString('utf8', 0, length);
    if (length === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
  }
}

function notRegular(path: string, link: boolean): ArtifactSetError {
  return new ArtifactSetError(
    path,
    link
      ? 'is a symbolic link; an output folder holds regular files only, remove the link'
      : 'is not a regular file; remove it',
  );
}

/** An output folder whose files are read, written and removed only inside it (see the module comment). */
export class ContainedFolder {
  /** The output folder as the person named it (see {@link checkOutputFolder} for the folder itself). */
  readonly root: string;
  /** Folders (relative, `/`-separated) already checked to be real folders; `''` is the root. */
  private readonly checked = new Set<string>(['']);
  /**
   * Folders found missing while reading: the reads of a run into an empty folder then cost no system call each, and
   * a write that creates the folder takes it off this list.
   */
  private readonly missing = new Set<string>();

  /**
   * @param root - The output folder.
   */
  constructor(root: string) {
    this.root = root;
  }

  /** The `/`-separated segments of a path that passed `folderPathProblem`. */
  private segments(path: string): string[] {
    const problem = folderPathProblem(path);
    if (problem) throw new ArtifactSetError(path, `${problem}: refused, it would not stay inside ${this.root}`);
    return path.split('/');
  }

  /**
   * Walks from the root down some folder names, checking that each is a real folder.
   *
   * @param folders - The folder names, outermost first.
   * @param path - The path being resolved, for messages.
   * @param create - Create missing folders (for writing).
   * @returns The innermost folder, or `undefined` when one is missing and `create` is false.
   */
  private folder(folders: readonly string[], path: string, create: boolean): string | undefined {
    // Synchronous system calls, like the reads and writes (see readRegularFile): each folder is checked once a run.
    for (let depth = 1; depth <= folders.length; depth++) {
      const relative = folders.slice(0, depth).join('/');
      if (this.checked.has(relative)) continue;
      if (!create && this.missing.has(relative)) return undefined;
      const absolute = join(this.root, ...folders.slice(0, depth));
      const stats = lstatSync(absolute, { throwIfNoEntry: false });
      const segment = folders[depth - 1];
      if (!stats) {
        if (!create) {
          this.missing.add(relative);
          return undefined;
        }
        mkdirSync(absolute);
        this.missing.delete(relative);
      } else if (stats.isSymbolicLink()) {
        throw new ArtifactSetError(
          path,
          `lies under the symbolic link ${segment}; an output folder holds real folders only, remove the link`,
        );
      } else if (!stats.isDirectory()) {
        throw new ArtifactSetError(path, `lies under ${segment}, which is not a folder`);
      }
      this.checked.add(relative);
    }
    return join(this.root, ...folders);
  }

  /**
   * Resolves a path inside the folder, checking every folder on the way.
   *
   * @param path - The path relative to the root.
   * @param create - Create missing folders (for writing).
   * @returns The file's path, or `undefined` when a folder on the way is missing and `create` is false.
   */
  private async resolve(path: string, create: boolean): Promise<string | undefined> {
    const segments = this.segments(path);
    const folder = this.folder(segments.slice(0, -1), path, create);
    return folder === undefined ? undefined : join(folder, segments.at(-1) ?? '');
  }

  /**
   * Reads a file that may be missing.
   *
   * @param path - The file, relative to the root (checked with `folderPathProblem`).
   * @returns Its UTF-8 text, or `undefined` when it does not exist.
   * @throws {@link ArtifactSetError} when the path leaves the folder, passes a link, or is not a regular file.
   */
  async read(path: string): Promise<string | undefined> {
    const file = await this.resolve(path, false);
    if (file === undefined) return undefined;
    if (NO_FOLLOW === undefined) {
      const stats = lstatIfPresent(file);
      if (!stats) return undefined;
      if (!stats.isFile()) throw notRegular(path, stats.isSymbolicLink());
    }
    return readRegularFile(file, path);
  }

  /**
   * Writes a file atomically (temporary file, then rename), creating the folders on the way. The rename replaces a
   * link at the file's own path rather than writing through it.
   *
   * @param path - The file, relative to the root (checked with `folderPathProblem`).
   * @param content - The new content.
   * @throws {@link ArtifactSetError} when the path leaves the folder or passes a link.
   */
  async write(path: string, content: string): Promise<void> {
    const file = await this.resolve(path, true);
    if (file !== undefined) replaceFileAtomically(file, content, 0o644);
  }

  /**
   * Removes a file (a link at that path is removed itself, never its target).
   *
   * @param path - The file, relative to the root (checked with `folderPathProblem`).
   * @throws {@link ArtifactSetError} when the path leaves the folder or passes a link.
   */
  async remove(path: string): Promise<void> {
    const file = await this.resolve(path, false);
    if (file !== undefined) await rm(file, { force: true });
  }

  /**
   * Removes the temporary files a killed run left beside the given files: only names the SDK's atomic writer makes
   * (`.<file>.<12 hex digits>.tmp`) for exactly these files, so a person's own dot-files are never touched. Call it
   * only while holding the folder's lock, or a running writer's temporary file could go.
   *
   * @param paths - The files whose leftovers to remove, relative to the root.
   * @returns The removed temporary files, relative to the root.
   */
  async removeTemporaryFiles(paths: Iterable<string>): Promise<string[]> {
    const namesByFolder = new Map<string, Set<string>>();
    for (const path of paths) {
      const segments = this.segments(path);
      const folder = segments.slice(0, -1).join('/');
      namesByFolder.set(folder, (namesByFolder.get(folder) ?? new Set()).add(segments.at(-1) ?? ''));
    }
    const removed: string[] = [];
    for (const [folder, names] of [...namesByFolder].sort()) {
      const absolute = this.folder(folder === '' ? [] : folder.split('/'), folder, false);
      if (absolute === undefined) continue;
      for (const entry of await readdir(absolute, { withFileTypes: true })) {
        const target = temporaryFileTarget(entry.name);
        if (!entry.isFile() || target === undefined || !names.has(target)) continue;
        await rm(join(absolute, entry.name), { force: true });
        removed.push(folder === '' ? entry.name : `${folder}/${entry.name}`);
      }
    }
    return removed;
  }
}
