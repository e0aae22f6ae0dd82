/**
 * How the CLI reports a failure: one kind per failure family, the same in text and in `--json`.
 *
 * @module
 */
import type { TopologyIssue } from '../models/issue.js';
import { formatIssues, isTopologyError } from '../models/issue.js';
import { cliMessage } from './cli-option-names.js';
import type { Command } from './command-table.js';
import { BUILT_IN_EXAMPLE } from './built-in-example.js';
import type { Output } from './output.js';
import { printJson } from './output.js';

/** The families of failure `--json` reports in `error.kind`. */
export type FailureKind =
  'usage' | 'topology' | 'artifacts' | 'credentials' | 'connection' | 'refused' | 'timeout' | 'remote' | 'failure';

/** A failure as `--json` prints it under `error`. */
export interface Failure {
  /** The failure's family. */
  readonly kind: FailureKind;
  /** What failed and what to do, in the CLI's words (flags and variables, never library option names). */
  readonly message: string;
  /** The topology file, or the built-in example's name, for `topology` failures. */
  readonly source?: string;
  /** Every problem found in the topology, for `topology` failures. */
  readonly issues?: readonly TopologyIssue[];
}

/** Error class names (checked by name, so the clients are not loaded to recognise their errors) by family. */
const KIND_BY_NAME: Readonly<Record<string, FailureKind>> = {
  ArtifactSetError: 'artifacts',
  AppliedStateError: 'artifacts',
  ServiceAccountKeyError: 'credentials',
  HttpConnectionError: 'connection',
  HttpTlsError: 'connection',
  HttpTimeoutError: 'connection',
  CertificatePinMismatchError: 'connection',
  OmniUnavailableError: 'connection',
  OmniDeadlineExceededError: 'connection',
  HttpAuthenticationError: 'credentials',
  OmniUnauthenticatedError: 'credentials',
  HttpPermissionError: 'credentials',
  OmniPermissionDeniedError: 'credentials',
  // The command line lacks a flag the client needs (--cluster, a secret's destination).
  MissingClientOptionError: 'usage',
  ProxmoxRootRequiredError: 'refused',
  ProxmoxApplyRefusedError: 'refused',
  ProxmoxPreconditionError: 'refused',
  SecretDestinationError: 'refused',
  ApprovalRequiredError: 'refused',
  // A saved plan that is missing, corrupt, of another version, or stale: plan again.
  SavedPlanError: 'refused',
  TailscaleAddressConflictError: 'refused',
  OmniWaitTimeoutError: 'timeout',
  InfraProviderNotConnectedError: 'timeout',
  ProxmoxTaskTimeoutError: 'timeout',
};

/** The CLI's own message for a missing Omni key: the library's names its `serviceAccountKey` option. */
function serviceAccountKeyMessage(error: Error): string | undefined {
  return (error as { problem?: unknown }).problem === 'missing'
    ? 'no Omni service-account key: set OMNI_SERVICE_ACCOUNT_KEY or SIDERO_SERVICE_ACCOUNT_KEY'
    : undefined;
}

function familyOf(error: Error): FailureKind {
  if (Object.hasOwn(KIND_BY_NAME, error.name)) return KIND_BY_NAME[error.name]!;
  if (
    error.name.startsWith('Omni') ||
    error.name.startsWith('Http') ||
    error.name.startsWith('Proxmox') ||
    error.name.startsWith('Tailnet')
  ) {
    return 'remote';
  }
  return 'failure';
}

/**
 * Describes anything a command threw. Errors are recognised by name, never by `instanceof`: the CLI's entry file and
 * each command's code are bundled apart (see `scripts/bundle-cli.mjs`), so they hold different copies of each class.
 *
 * @param error - What was thrown.
 * @returns The failure.
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof Error && error.name === 'UsageError') return { kind: 'usage', message: error.message };
  if (isTopologyError(error)) {
    const errors = error.issues.filter((issue) => issue.severity === 'error');
    const source = error.source ?? '(topology)';
    const [first] = errors;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    return {
      kind: 'topology',
      message: first ? `${source}: ${first.path || '(topology)'}: ${first.rule}: ${first.message}${more}` : source,
      source,
      issues: error.issues,
    };
  }
  if (!(error instanceof Error)) return { kind: 'failure', message: String(error) };
  const message =
    (error.name === 'ServiceAccountKeyError' ? serviceAccountKeyMessage(error) : undefined) ??
    cliMessage(error.message);
  return { kind: familyOf(error), message };
}

/** What the command line said, as far as a failure's report needs it. */
export interface FailureContext {
  /** `--json` was given. */
  readonly json: boolean;
  /** The command, when the command line named one. */
  readonly command: Command | undefined;
  /** `--example` was given: every line names the built-in example. */
  readonly example: boolean;
}

/**
 * Prints a failure: as `{ "ok": false, "error": ... }` on stdout with `--json` (with `"example": true` for the
 * built-in example), otherwise on stderr (topology issues as `file: path: rule: message` lines, a usage error as one
 * line and the hint to run `--help`).
 *
 * @param output - Where to print.
 * @param failure - The failure.
 * @param context - The command line.
 */
export function printFailure(output: Output, failure: Failure, context: FailureContext): void {
  const reported =
    context.example && failure.kind !== 'usage' && failure.kind !== 'topology'
      ? { ...failure, message: `${BUILT_IN_EXAMPLE}: ${failure.message}` }
      : failure;
  if (context.json) {
    printJson(output, { ok: false, ...(context.example ? { example: true } : {}), error: reported });
    return;
  }
  if (reported.kind === 'topology') output.err(formatIssues(reported.issues ?? [], reported.source));
  else if (reported.kind === 'usage') {
    const hint = context.command
      ? `run talos-topology ${context.command} --help for its options`
      : 'run talos-topology --help for the commands and options';
    output.err(`talos-topology: ${reported.message}\n${hint}`);
  } else output.err(`talos-topology: ${reported.message}`);
}
