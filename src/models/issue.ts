/**
 * Problems found in a topology, by the models or by the rules, and the error that carries them.
 *
 * @module
 */
import { redactSecretShapes } from './secret-patterns.js';

/** How serious a problem is: an `error` stops generation, a `warning` is reported. */
export type Severity = 'error' | 'warning';

/** One problem in a topology: where it is, which rule it breaks and what to do. */
export interface TopologyIssue {
  /** Dotted path to the offending value, e.g. `guests.holly.lan.address` (empty for the whole topology). */
  readonly path: string;
  /** Stable, machine-readable rule id, e.g. `required`, `secret-literal`, `l2-adjacency`. */
  readonly rule: string;
  /** What is wrong and what to do, for a person. Never contains a secret value. */
  readonly message: string;
  /** `error` or `warning`. */
  readonly severity: Severity;
  /** The line (from 1) of the path in a YAML or JSON topology file, or of its nearest ancestor the file declares. */
  readonly line?: number;
  /** The column (from 1, in UTF-16 code units) that goes with {@link TopologyIssue.line}. */
  readonly column?: number;
}

/** Thrown when a topology is invalid; carries every issue found, not just the first. */
export class TopologyError extends Error {
  /** Every problem found, sorted by path then rule. */
  readonly issues: readonly TopologyIssue[];
  /** The file the topology came from, when known. */
  readonly source: string | undefined;

  /**
   * @param issues - The problems found (at least one).
   * @param source - The file the topology came from, named in the message when known.
   */
  constructor(issues: readonly TopologyIssue[], source?: string) {
    const sorted = sortIssues(issues);
    super(`invalid topology${source ? ` in ${source}` : ''}:\n${formatIssues(sorted, source)}`);
    this.name = 'TopologyError';
    this.issues = sorted;
    this.source = source;
  }
}

/**
 * Removes secret-shaped text from an issue's path and message: a reference to a misspelled name, an unknown key or a
 * record key may quote what the user wrote, and that may be a pasted token. The issue says what it found instead.
 *
 * @param issue - An issue as a check built it.
 * @returns The issue with every secret-shaped part of its path and message replaced by what it looks like.
 */
export function redactIssue(issue: TopologyIssue): TopologyIssue {
  return { ...issue, path: redactSecretShapes(issue.path), message: redactSecretShapes(issue.message) };
}

/**
 * Puts issues in report form: secret-shaped text redacted ({@link redactIssue}), sorted by path, then rule, then
 * message, so reports are stable. Every list of issues the library hands out (`safeDefineTopology`, `checkTopology`,
 * `TopologyError`) passes through here, so no message anywhere repeats a secret.
 *
 * @param issues - Issues in any order.
 * @returns A new sorted array of redacted issues.
 */
export function sortIssues(issues: readonly TopologyIssue[]): TopologyIssue[] {
  const key = (issue: TopologyIssue): string => `${issue.path}\u0000${issue.rule}\u0000${issue.message}`;
  return issues.map(redactIssue).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * Prints issues the way a person wants to read them: one per line, `file: path: rule: message`, or
 * `file:line:column: path: rule: message` when the issue knows where its path is in the file.
 *
 * @param issues - The issues to print.
 * @param source - The file name to put in front of each line, if any.
 * @returns The lines joined with newlines (no trailing newline).
 *
 * @example
 * ```ts
 * formatIssues(error.issues, 'topology.yaml');
 * // topology.yaml:23:7: guests.holly.lan.address: address-in-subnet: 192.168.9.20 is outside 192.168.10.0/24 ...
 * ```
 */
export function formatIssues(issues: readonly TopologyIssue[], source?: string): string {
  return issues
    .map((issue) => {
      const where = issue.path === '' ? '(topology)' : issue.path;
      const level = issue.severity === 'warning' ? 'warning: ' : '';
      const at = issue.line === undefined ? '' : `:${issue.line}:${issue.column ?? 1}`;
      const file = source ? `${source}${at}: ` : '';
      return `${file}${where}: ${level}${issue.rule}: ${issue.message}`;
    })
    .join('\n');
}

/**
 * Whether a value has the shape of a {@link TopologyIssue}: one that crossed a boundary (another copy of this library,
 * a file) is checked before it is used.
 *
 * @param value - Anything.
 * @returns `true` for an object with a string `path`, `rule` and `message`, a known `severity`, and a numeric `line`
 *   and `column` where it has them.
 */
export function isTopologyIssue(value: unknown): value is TopologyIssue {
  if (value === null || typeof value !== 'object') return false;
  const { path, rule, message, severity, line, column } = value as Record<string, unknown>;
  return (
    typeof path === 'string' &&
    typeof rule === 'string' &&
    typeof message === 'string' &&
    (severity === 'error' || severity === 'warning') &&
    (line === undefined || typeof line === 'number') &&
    (column === undefined || typeof column === 'number')
  );
}

/**
 * Whether a value is a {@link TopologyError} from any copy of this library: the one a `.ts` topology imported from
 * its own `node_modules`, or another chunk of the CLI bundle, where `instanceof` cannot tell.
 *
 * @param error - What was thrown.
 * @returns `true` for an error named `TopologyError` that carries well-formed issues.
 */
export function isTopologyError(
  error: unknown,
): error is Error & { readonly issues: readonly TopologyIssue[]; readonly source?: string } {
  if (!(error instanceof Error) || error.name !== 'TopologyError') return false;
  const issues = (error as { issues?: unknown }).issues;
  return Array.isArray(issues) && issues.every(isTopologyIssue);
}
