import { Metadata, status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import {
  OmniEulaNotAcceptedError,
  OmniInvalidArgumentError,
  OmniPendingFinalizersError,
  OmniValidationError,
  OmniVersionConflictError,
  toOmniError,
} from '../src/errors.js';

const request = { method: '/cosi.resource.State/Update', type: 'Clusters.omni.sidero.dev', id: 'talos-prod' };
const grpcError = (code: status, details: string, metadata = new Metadata()): unknown =>
  Object.assign(new Error(details), { code, details, metadata });

describe('toOmniError', () => {
  it('names the host and port Omni could not be reached at, as grpc-js reports refusals and DNS failures', () => {
    const unavailable = (details: string): string =>
      toOmniError(grpcError(status.UNAVAILABLE, details), request).message;
    expect(
      unavailable('No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:9. Resolution note: '),
    ).toBe(
      '/cosi.resource.State/Update Clusters.omni.sidero.dev/talos-prod: unavailable: cannot connect to 127.0.0.1:9: connection refused (ECONNREFUSED)',
    );
    expect(unavailable('Name resolution failed for target dns:omni.invalid:443')).toMatch(
      /unavailable: cannot connect to omni\.invalid:443: host name not found$/,
    );
    expect(unavailable('Connection dropped')).toMatch(/unavailable: Connection dropped$/);
  });

  it('splits FailedPrecondition into EULA, pending finalizers and version conflict', () => {
    expect(toOmniError(grpcError(status.FAILED_PRECONDITION, 'EULA has not been accepted'), request)).toBeInstanceOf(
      OmniEulaNotAcceptedError,
    );
    expect(
      toOmniError(grpcError(status.FAILED_PRECONDITION, 'resource x has pending finalizers ["a"]'), request),
    ).toBeInstanceOf(OmniPendingFinalizersError);
    expect(
      toOmniError(grpcError(status.FAILED_PRECONDITION, 'update conflict: expected version "1"'), request),
    ).toBeInstanceOf(OmniVersionConflictError);
  });

  it('keeps the text after "failed to validate: " on validation errors only', () => {
    const error = toOmniError(grpcError(status.INVALID_ARGUMENT, 'failed to validate: cores must be >= 1'), request);
    expect(error).toBeInstanceOf(OmniValidationError);
    expect((error as OmniValidationError).validation).toBe('cores must be >= 1');
    expect(toOmniError(grpcError(status.INVALID_ARGUMENT, 'phase conflict'), request)).toBeInstanceOf(
      OmniInvalidArgumentError,
    );
  });

  it('redacts credentials from metadata and keeps no cause', () => {
    const metadata = new Metadata();
    metadata.set('x-sidero-signature', 'siderov1 automation abc SECRET');
    metadata.set('x-sidero-payload', '{"SECRET":1}');
    metadata.set('authorization', 'Bearer SECRET');
    metadata.set('x-request-id', 'r-1');
    const error = toOmniError(grpcError(status.UNAUTHENTICATED, 'invalid signature', metadata), request);
    expect(error.metadata).toEqual({
      'x-sidero-signature': ['[redacted]'],
      'x-sidero-payload': ['[redacted]'],
      authorization: ['[redacted]'],
      'x-request-id': ['r-1'],
    });
    expect(error.cause).toBeUndefined();
    expect(JSON.stringify(error)).not.toContain('SECRET');
    expect(error.message).toContain('Clusters.omni.sidero.dev/talos-prod');
  });
});
