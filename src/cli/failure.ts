/**
 * How the CLI reports a failure: one kind per failure family, the same in text and in `--json`.
 *
 * @module
 */
import type { TopologyIssue } from '../models/issue.js';
import { formatIssues, TopologyError } from '../models/issue.js';
import { UsageError } from './args.js';
import { cliMessage } from './cli-option-names.js';
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
  ProxmoxRootRequiredError: 'refused',
  ProxmoxApplyRefusedError: 'refused',
  ProxmoxPreconditionError: 'refused',
  SecretDestinationError: 'refused',
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
  if (error.name.startsWith('Omni') || error.name.startsWith('Http') || error.name.startsWith('Proxmox')) {
    return 'remote';
  }
  return 'failure';
}

/**
 * Describes anything a command threw.
 *
 * @param error - What was thrown.
 * @returns The failure.
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof UsageError) return { kind: 'usage', message: error.message };
  if (error instanceof TopologyError) {
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

/**
 * Prints a failure: as `{ "ok": false, "error": ... }` on stdout with `--json`, otherwise on stderr (topology issues
 * as `file: path: rule: message` lines, a usage error as one line and the hint to run `--help`).
 *
 * @param output - Where to print.
 * @param failure - The failure.
 * @param json - Whether `--json` was given.
 * @param extra - Fields to add to the JSON object beside `ok` and `error` (e.g. `example: true`).
 */
export function printFailure(
  output: Output,
  failure: Failure,
  json: boolean,
  extra: Readonly<Record<string, unknown>> = {},
): void {
  if (json) {
    printJson(output, { ok: false, ...extra, error: failure });
    return;
  }
  if (failure.kind === 'topology') output.err(formatIssues(failure.issues ?? [], failure.source));
  else if (failure.kind === 'usage') {
    output.err(`talos-topology: ${failure.message}\nrun talos-topology --help for the commands and options`);
  } else output.err(`talos-topology: ${failure.message}`);
}
