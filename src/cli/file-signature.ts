/**
 * What a file's metadata says about its content, the way git's index and Bazel's digest cache use it: a file whose
 * device, inode, type, size, modification time and change time are all as they were still holds the bytes it held.
 * The change time is the one that matters: every write (and every `utimes`, `chmod` or rename) sets it to the system's
 * clock, and no call sets it back.
 *
 * @module
 */
import type { BigIntStats } from 'node:fs';
import { lstatSync, statSync } from 'node:fs';

/**
 * How far back a file's last change must lie before its signature may stand for its content. File systems stamp
 * changes with a coarse clock (Linux with the kernel's tick, a few milliseconds; ext3 and HFS+ to the second; FAT to
 * two seconds), so a file written again within the same tick as the state that was read keeps its signature: git
 * calls such an entry "racily clean" and hashes it again. A change younger than this is not trusted, and the next
 * run reads the file again.
 */
export const SAME_TICK_MARGIN_MS = 2000;

/** A file's signature, and when it last changed (milliseconds since the epoch). */
export interface FileSignature {
  /** Type and permission bits, device, inode, size, and modification and change times to the nanosecond. */
  readonly signature: string;
  /** The change time, in milliseconds. */
  readonly changedAtMs: number;
}

function signatureOf(stats: BigIntStats): FileSignature {
  const { mode, dev, ino, size, mtimeNs, ctimeNs } = stats;
  return { signature: `${mode}:${dev}:${ino}:${size}:${mtimeNs}:${ctimeNs}`, changedAtMs: Number(stats.ctimeMs) };
}

/**
 * The signature of a file, or `undefined` when nothing is there.
 *
 * @param path - The file.
 * @param links - `follow` to describe what a link points at (a topology file may be one), `own` to describe the
 *   entry itself (an output folder's files are never links, and a link in their place must not look like them).
 * @returns Its signature, or `undefined` when the path names nothing (or cannot be examined).
 */
export function fileSignature(path: string, links: 'follow' | 'own'): FileSignature | undefined {
  try {
    const options = { bigint: true, throwIfNoEntry: false } as const;
    const stats = links === 'follow' ? statSync(path, options) : lstatSync(path, options);
    return stats && signatureOf(stats);
  } catch {
    return undefined;
  }
}

/**
 * A folder's identity without its times (a folder's change time moves with every file added to it or removed): a
 * folder replaced by another, or by a link to one, has another.
 *
 * @param path - The folder.
 * @returns Type and permission bits, device and inode, or `undefined` when nothing is there.
 */
export function folderIdentity(path: string): string | undefined {
  try {
    const stats = lstatSync(path, { bigint: true, throwIfNoEntry: false });
    return stats?.isDirectory() ? `${stats.mode}:${stats.dev}:${stats.ino}` : undefined;
  } catch {
    return undefined;
  }
}
