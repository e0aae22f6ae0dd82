/**
 * What an artifact path may look like. One check for the paths the generators produce and for the paths a
 * `manifest.json` names, because in CI the output folder and its manifest come from a pull request: a path is only
 * ever joined to the output folder after it passed `folderPathProblem`, and only artifact paths are accepted from
 * generators and manifests (`artifactPathProblem`).
 *
 * @module
 */

/** The start of the names of the SDK's own bookkeeping files in an output folder (its lock and run journal). */
export const BOOKKEEPING_PREFIX = '.talos-topology.';

/** Every problem of {@link folderPathProblem} but the length in one expression: it matches exactly the paths refused. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
const ANY_PATH_PROBLEM = /[\u0000-\u001f\u007f\\:]|^\/|\/\/|\/$|(?:^|\/)\.{1,2}(?:\/|$)/;

/**
 * Why a path cannot name a file inside a folder, or `undefined` when it can. A valid path is relative and normalised:
 * `/`-separated segments, none empty, none `.` or `..`; no backslash (a separator on Windows), no `:` (a drive or an
 * alternate data stream on Windows), no NUL or other control character.
 *
 * @param path - The path, relative to the folder.
 * @returns The problem in a few words, or `undefined` for a valid path.
 */
export function folderPathProblem(path: unknown): string | undefined {
  // One pass for the common valid path: a run checks each of 10,000 paths several times (set, read, write).
  if (typeof path === 'string' && path !== '' && path.length <= 1024 && !ANY_PATH_PROBLEM.test(path)) return undefined;
  if (typeof path !== 'string' || path === '') return 'is not a path';
  if (path.length > 1024) return 'is longer than 1024 characters';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'contains a control character';
  if (path.includes('\\') || path.includes(':')) return 'contains "\\" or ":"';
  if (path.startsWith('/')) return 'is absolute';
  const segments = path.split('/');
  if (segments.some((segment) => segment === '')) return 'has an empty segment';
  if (segments.some((segment) => segment === '.' || segment === '..')) return 'has a "." or ".." segment';
  return undefined;
}

/**
 * Why a path cannot name an artifact, or `undefined` when it can: a valid folder path (`folderPathProblem`)
 * with no segment starting with `.talos-topology.`, the names of the SDK's lock and journal, which no artifact or
 * manifest entry may take over.
 *
 * @param path - The path, relative to the output folder.
 * @returns The problem in a few words, or `undefined` for a valid path.
 *
 * @example
 * ```ts
 * artifactPathProblem('hosts/holly/compose.yaml'); // undefined
 * artifactPathProblem('../victim.txt'); // 'has a "." or ".." segment'
 * ```
 */
export function artifactPathProblem(path: unknown): string | undefined {
  const problem = folderPathProblem(path);
  if (problem) return problem;
  if ((path as string).split('/').some((segment) => segment.startsWith(BOOKKEEPING_PREFIX)))
    return `has a segment starting with ${BOOKKEEPING_PREFIX} (reserved for the SDK's lock and journal)`;
  return undefined;
}

/** Why a list of artifacts cannot be written into one folder. */
export interface PathConflict<T> {
  /** The item at fault. */
  readonly item: T;
  /** Its path's problem (see {@link artifactPathProblem}), or `undefined` when the path is valid but taken. */
  readonly problem?: string;
  /** The earlier item with the same path. */
  readonly first?: T;
}

/**
 * Finds the first item whose path cannot be written: one that leaves the folder, or one an earlier item already has
 * (written second, it would silently replace the first).
 *
 * @param items - The items, in order.
 * @param pathOf - The path of an item.
 * @returns The first conflict, or `undefined` when every path is valid and unique.
 */
export function findPathConflict<T>(items: readonly T[], pathOf: (item: T) => string): PathConflict<T> | undefined {
  const seen = new Map<string, T>();
  for (const item of items) {
    const path = pathOf(item);
    const problem = artifactPathProblem(path);
    if (problem) return { item, problem };
    const first = seen.get(path);
    if (first !== undefined) return { item, first };
    seen.set(path, item);
  }
  return undefined;
}

/**
 * Thrown by `generate` when the generators produced an artifact set that cannot be written: a path that would leave
 * the output folder, or two artifacts on one path. Valid topologies never cause it; it means a bug in the SDK, or a
 * topology object that did not pass `defineTopology`.
 */
export class InternalArtifactError extends Error {
  /** The path at fault. */
  readonly path: string;

  /**
   * @param path - The path at fault.
   * @param message - What is wrong with it.
   */
  constructor(path: string, message: string) {
    super(
      `internal error: artifact ${JSON.stringify(path)} ${message}; nothing was written. Was the topology passed through defineTopology? If so, please report this`,
    );
    this.name = 'InternalArtifactError';
    this.path = path;
  }
}
