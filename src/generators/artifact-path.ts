/**
 * What an artifact path may look like. One check for the paths the generators produce and for the paths a
 * `manifest.json` names, because in CI the output folder and its manifest come from a pull request: a path is only
 * ever joined to the output folder after it passed this check.
 *
 * @module
 */

/**
 * Why a path cannot name a file inside an output folder, or `undefined` when it can. A valid path is relative and
 * normalised: `/`-separated segments, none empty, none `.` or `..`; no backslash (a separator on Windows), no `:`
 * (a drive or an alternate data stream on Windows), no NUL or other control character.
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
