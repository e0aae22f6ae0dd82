/**
 * Typed Omni errors, one class per failure kind, mapped from gRPC status codes. Credentials (signature, payload,
 * authorization) are redacted before metadata is stored on an error.
 *
 * @module
 */
import type { Metadata, ServiceError } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';

/** Machine-readable kind of an {@link OmniError}. */
export type OmniErrorCode =
  | 'not-found'
  | 'already-exists'
  | 'version-conflict'
  | 'pending-finalizers'
  | 'eula-not-accepted'
  | 'permission-denied'
  | 'validation-failed'
  | 'invalid-argument'
  | 'unauthenticated'
  | 'unavailable'
  | 'deadline-exceeded'
  | 'unimplemented'
  | 'unknown';

/** The call an error belongs to, without credentials. */
export interface OmniRequestInfo {
  /** Full gRPC method, e.g. `/cosi.resource.State/Update`. */
  readonly method: string;
  /** Resource type, when the call names one. */
  readonly type?: string;
  /** Resource ID, when the call names one. */
  readonly id?: string;
}

/** Metadata keys whose values are credentials and never kept on errors. */
export const REDACTED_METADATA_KEYS: readonly string[] = [
  'x-sidero-signature',
  'x-sidero-payload',
  'authorization',
  'cookie',
  'set-cookie',
];

/** Options of the {@link OmniError} constructor. */
export interface OmniErrorOptions {
  /** gRPC status code. */
  readonly grpcCode: number;
  /** The server's message. */
  readonly details: string;
  /** The call that failed. */
  readonly request: OmniRequestInfo;
  /** Response metadata, already redacted. */
  readonly metadata?: Readonly<Record<string, readonly string[]>>;
}

/** Any error returned by Omni. Subclasses say which kind; `code` says the same as a string. */
export class OmniError extends Error {
  /** Machine-readable kind. */
  readonly code: OmniErrorCode;
  /** gRPC status code. */
  readonly grpcCode: number;
  /** The server's message. */
  readonly details: string;
  /** The call that failed. */
  readonly request: OmniRequestInfo;
  /** Response metadata with credentials redacted. */
  readonly metadata: Readonly<Record<string, readonly string[]>>;

  /**
   * @param code - Machine-readable kind.
   * @param options - Status, message, request and metadata.
   */
  constructor(code: OmniErrorCode, options: OmniErrorOptions) {
    const target = options.request.type
      ? ` ${options.request.type}${options.request.id ? `/${options.request.id}` : ''}`
      : '';
    super(`${options.request.method}${target}: ${code}: ${options.details}`);
    this.name = 'OmniError';
    this.code = code;
    this.grpcCode = options.grpcCode;
    this.details = options.details;
    this.request = options.request;
    this.metadata = options.metadata ?? {};
  }
}

/** The resource does not exist (`NotFound`). */
export class OmniNotFoundError extends OmniError {
  /** @param options - Status, message and request. */
  constructor(options: OmniErrorOptions) {
    super('not-found', options);
    this.name = 'OmniNotFoundError';
  }
}

/** A resource with that ID already exists (`AlreadyExists`). */
export class OmniAlreadyExistsError extends OmniError {
  /** @param options - Status, message and request. */
  constructor(options: OmniErrorOptions) {
    super('already-exists', options);
    this.name = 'OmniAlreadyExistsError';
  }
}

/** The version sent with an update is not the stored one (`FailedPrecondition`): read again and retry. */
export class OmniVersionConflictError extends OmniError {
  /** @param options - Status, message and request. */
  constructor(options: OmniErrorOptions) {
    super('version-conflict', options);
    this.name = 'OmniVersionConflictError';
  }
}

/** Destroy was refused because finalizers are pending (`FailedPrecondition`): tear down and wait first. */
export class OmniPendingFinalizersError extends OmniError {
  /** @param options - Status, message and request. */
  constructor(options: OmniErrorOptions) {
    super('pending-finalizers', options);
    this.name = 'OmniPendingFinalizersError';
  }
}

/** Omni's EULA has not been accepted (`FailedPrecondition`): accept it in the UI or with `--eula-accept-*`. */
export class OmniEulaNotAcceptedError extends OmniError {
  /** @param options - Status, message and request. */
  constructor(options: OmniErrorOptions) {
    super('eula-not-accepted', options);
    this.name = 'OmniEulaNotAcceptedError';
  }
}

/** Owner mismatch (controller-owned resource) or a role too low for the call (`PermissionDenied`). */
export class OmniPermissionDeniedError extends OmniError {
  /** @param options - Status, message and request. */
  constructor(options: OmniErrorOptions) {
    super('permission-denied', options);
    this.name = 'OmniPermissionDeniedError';
  }
}

/** Omni's validation refused the resource (`InvalidArgument`, message `failed to validate: ...`). */
export class OmniValidationError extends OmniError {
  /** Omni's explanation: the text after `failed to validate: `. */
  readonly validation: string;

  /**
   * @param options - Status, message and request.
   * @param validation - The text after `failed to validate: `.
   */
  constructor(options: OmniErrorOptions, validation: string) {
    super('validation-failed', options);
    this.name = 'OmniValidationError';
    this.validation = validation;
  }
}

/** Any other `InvalidArgument`, e.g. an `expected_phase` mismatch. */
export class OmniInvalidArgumentError extends OmniError {
  /** @param options - Status, message and request. */
  constructor(options: OmniErrorOptions) {
    super('invalid-argument', options);
    this.name = 'OmniInvalidArgumentError';
  }
}

/** The signature is missing, invalid, from an unknown or expired key, or too old (`Unauthenticated`). */
export class OmniUnauthenticatedError extends OmniError {
  /** @param options - Status, message and request. */
  constructor(options: OmniErrorOptions) {
    super('unauthenticated', options);
    this.name = 'OmniUnauthenticatedError';
  }
}

/** Omni could not be reached or dropped the call (`Unavailable`); safe calls are retried before this surfaces. */
export class OmniUnavailableError extends OmniError {
  /** @param options - Status, message and request. */
  constructor(options: OmniErrorOptions) {
    super('unavailable', options);
    this.name = 'OmniUnavailableError';
  }
}

/** The call's deadline passed (`DeadlineExceeded`); the server may or may not have acted. */
export class OmniDeadlineExceededError extends OmniError {
  /** @param options - Status, message and request. */
  constructor(options: OmniErrorOptions) {
    super('deadline-exceeded', options);
    this.name = 'OmniDeadlineExceededError';
  }
}

/** The server does not know the method (`Unimplemented`), e.g. Teardown on Omni older than 1.8. */
export class OmniUnimplementedError extends OmniError {
  /** @param options - Status, message and request. */
  constructor(options: OmniErrorOptions) {
    super('unimplemented', options);
    this.name = 'OmniUnimplementedError';
  }
}

const VALIDATION_PREFIX = 'failed to validate: ';

/**
 * Copies response metadata with credential values replaced by `[redacted]`.
 *
 * @param metadata - grpc-js metadata, if any.
 * @returns Plain key to values record.
 */
export function redactMetadata(metadata: Metadata | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!metadata) return out;
  for (const [key, values] of Object.entries(metadata.toJSON())) {
    out[key] = REDACTED_METADATA_KEYS.includes(key.toLowerCase())
      ? values.map(() => '[redacted]')
      : values.map((value) => (typeof value === 'string' ? value : `<${value.length} bytes>`));
  }
  return out;
}

/**
 * Turns a grpc-js error into the matching {@link OmniError} subclass (see the reference table: NotFound,
 * AlreadyExists, FailedPrecondition split by message into EULA / pending finalizers / version conflict, ...).
 * The original error is not kept as `cause`, because it carries unredacted metadata.
 *
 * @param error - What grpc-js reported.
 * @param request - The call that failed.
 * @returns The typed error.
 */
export function toOmniError(error: unknown, request: OmniRequestInfo): OmniError {
  if (error instanceof OmniError) return error;
  const service = error as Partial<ServiceError>;
  const grpcCode = typeof service.code === 'number' ? service.code : status.UNKNOWN;
  const reported =
    typeof service.details === 'string' ? service.details : error instanceof Error ? error.message : String(error);
  const details = grpcCode === status.UNAVAILABLE ? connectionFailure(reported) : reported;
  const options: OmniErrorOptions = { grpcCode, details, request, metadata: redactMetadata(service.metadata) };
  switch (grpcCode) {
    case status.NOT_FOUND:
      return new OmniNotFoundError(options);
    case status.ALREADY_EXISTS:
      return new OmniAlreadyExistsError(options);
    case status.FAILED_PRECONDITION:
      if (/EULA/i.test(details)) return new OmniEulaNotAcceptedError(options);
      if (/pending finalizers/i.test(details)) return new OmniPendingFinalizersError(options);
      return new OmniVersionConflictError(options);
    case status.PERMISSION_DENIED:
      return new OmniPermissionDeniedError(options);
    case status.INVALID_ARGUMENT: {
      const at = details.indexOf(VALIDATION_PREFIX);
      return at >= 0
        ? new OmniValidationError(options, details.slice(at + VALIDATION_PREFIX.length))
        : new OmniInvalidArgumentError(options);
    }
    case status.UNAUTHENTICATED:
      return new OmniUnauthenticatedError(options);
    case status.UNAVAILABLE:
      return new OmniUnavailableError(options);
    case status.DEADLINE_EXCEEDED:
      return new OmniDeadlineExceededError(options);
    case status.UNIMPLEMENTED:
      return new OmniUnimplementedError(options);
    default:
      return new OmniError('unknown', options);
  }
}

/**
 * Says which host and port could not be reached, in place of grpc-js's channel text (`No connection established.
 * Last error: Error: connect ECONNREFUSED 127.0.0.1:9. Resolution note: `, `Name resolution failed for target
 * dns:omni.invalid:443`, from `subchannel.ts` and `resolver-dns.ts` in grpc/grpc-node `packages/grpc-js`).
 *
 * @param details - An `Unavailable` status's details.
 * @returns `cannot connect to HOST:PORT: why (CODE)` when grpc-js names a failed connection, else the details.
 */
function connectionFailure(details: string): string {
  const refused = /connect (E[A-Z]+) (\S+?)\.?(?:\s|$)/.exec(details);
  if (refused) {
    const why = { ECONNREFUSED: 'connection refused', ETIMEDOUT: 'timed out', EHOSTUNREACH: 'host unreachable' }[
      refused[1] ?? ''
    ];
    return `cannot connect to ${refused[2]}: ${why ?? 'failed'} (${refused[1]})`;
  }
  const unresolved = /Name resolution failed for target dns:(\S+)/.exec(details);
  return unresolved ? `cannot connect to ${unresolved[1]}: host name not found` : details;
}

/**
 * Tells whether an error is transient: the call may be sent again (subject to the call being safe to repeat).
 *
 * @param error - Any error.
 * @returns `true` for `Unavailable` and `DeadlineExceeded`.
 */
export function isTransientOmniError(error: unknown): boolean {
  return error instanceof OmniUnavailableError || error instanceof OmniDeadlineExceededError;
}
