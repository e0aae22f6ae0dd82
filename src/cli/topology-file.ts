/**
 * Reads a topology file safely: only a regular file, and at most {@link MAX_TOPOLOGY_FILE_BYTES}. A path such as
 * `/dev/zero`, `/dev/urandom` or a FIFO would otherwise be read without end.
 *
 * @module
 */
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { TopologyError } from '../models/issue.js';

/** The largest topology file read (8 MiB); the 10,000-guest benchmark topology is about 3 MiB of YAML. */
export const MAX_TOPOLOGY_FILE_BYTES = 8 * 1024 * 1024;

/**
 * An error about the file as a whole.
 *
 * @param source - The file.
 * @param rule - The rule id (`file`, `module`, `input-limit`, ...).
 * @param message - What is wrong and what to do.
 * @returns A TopologyError with one issue at the topology's root.
 */
export function fileIssue(source: string, rule: string, message: string): TopologyError {
  return new TopologyError([{ path: '', rule, message, severity: 'error' }], source);
}

const NOT_A_FILE = 'is not a regular file (a folder, a device, a FIFO or a socket); name a topology file';

/**
 * Refuses anything but an existing regular file, before anything opens it (opening a device can have effects).
 *
 * @param file - The topology file.
 * @throws {@link TopologyError} with rule `file`.
 */
export async function requireRegularFile(file: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(file)).isFile();
  } catch (error) {
    throw fileIssue(file, 'file', `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!isFile) throw fileIssue(file, 'file', NOT_A_FILE);
}

/**
 * Reads a topology file as UTF-8 text.
 *
 * @param file - The topology file.
 * @returns Its text (a byte order mark is kept; the parsers skip it).
 * @throws {@link TopologyError} with rule `file` (missing, not a regular file, not UTF-8) or `input-limit` (larger
 *   than {@link MAX_TOPOLOGY_FILE_BYTES}).
 */
export async function readTopologyText(file: string): Promise<string> {
  await requireRegularFile(file);
  let handle: FileHandle;
  try {
    // Non-blocking, and checked again once open: the path may have been swapped for a FIFO since the check.
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    throw fileIssue(file, 'file', `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    if (!(await handle.stat()).isFile()) throw fileIssue(file, 'file', NOT_A_FILE);
    // Read one byte past the limit rather than trusting the size: the file may grow while it is read.
    const buffer = Buffer.allocUnsafe(MAX_TOPOLOGY_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_TOPOLOGY_FILE_BYTES) {
        throw fileIssue(
          file,
          'input-limit',
          `is larger than ${MAX_TOPOLOGY_FILE_BYTES / 1024 / 1024} MiB, the limit for a topology file`,
        );
      }
    }
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buffer.subarray(0, length));
    } catch {
      throw fileIssue(file, 'file', 'is not UTF-8 text');
    }
  } finally {
    await handle.close();
  }
}

/** How a topology file is read: as a module (`.ts`, `.mts`, `.js`, `.mjs`), as JSON or as YAML. */
export type TopologyFormat = 'module' | 'json' | 'yaml';

/**
 * How a topology file is read, by its extension, or `undefined` for an extension no topology has.
 *
 * @param file - The file.
 * @returns Its format, or `undefined`.
 */
export function topologyFormatOf(file: string): TopologyFormat | undefined {
  const extension = extname(file).toLowerCase();
  if (extension === '.ts' || extension === '.mts' || extension === '.js' || extension === '.mjs') return 'module';
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return undefined;
}

/**
 * How a topology file is read, by its extension.
 *
 * @param file - The file.
 * @returns Its format.
 * @throws {@link TopologyError} for any other extension.
 */
export function topologyFormat(file: string): TopologyFormat {
  const format = topologyFormatOf(file);
  if (!format) throw fileIssue(file, 'file', 'must be a .ts, .js, .yaml, .yml or .json topology');
  return format;
}
