import { describe, expect, it } from 'vitest';
import { HttpConnectionError, HttpRequestError, HttpServerError, HttpTlsError } from '../http/errors.js';
import { isTransientProxmoxError, isWorthReplanning } from './transient.js';

const request = { method: 'PUT', path: '/api2/json/nodes/foxtrot/lxc/200/config', headers: {} };

function answered(status: number, upstreamMessage?: string): HttpServerError {
  return new HttpServerError(`failed with HTTP ${status}`, {
    request,
    status,
    ...(upstreamMessage === undefined ? {} : { upstreamMessage }),
  });
}

describe('which Proxmox failures are transient', () => {
  it('retries a 500 only for a lock timeout, lost quorum or a proxy failure, and other 5xx always', () => {
    expect(
      isTransientProxmoxError(answered(500, "can't lock file '/var/lock/lxc/pve-config-200.lock' - got timeout")),
    ).toBe(true);
    expect(isTransientProxmoxError(answered(500, "cfs-lock 'file-user_cfg' error: got lock request timeout"))).toBe(
      true,
    );
    expect(isTransientProxmoxError(answered(500, 'cluster not ready - no quorum?'))).toBe(true);
    expect(isTransientProxmoxError(answered(500))).toBe(true);
    expect(isTransientProxmoxError(answered(503, 'busy'))).toBe(true);
    expect(isTransientProxmoxError(answered(595, 'Connection refused'))).toBe(true);
    expect(isTransientProxmoxError(answered(500, 'CT is locked (create)'))).toBe(false);
    expect(
      isTransientProxmoxError(
        answered(500, 'detected modified configuration - file changed by other user? Try again.'),
      ),
    ).toBe(false);
    expect(
      isTransientProxmoxError(answered(500, "Configuration file 'nodes/foxtrot/lxc/200.conf' does not exist")),
    ).toBe(false);
    expect(isTransientProxmoxError(answered(501, "Method 'GET /x' not implemented"))).toBe(false);
  });

  it('plans again after a lost answer, a transient 5xx or a digest conflict, never after a refusal', () => {
    expect(isWorthReplanning(new HttpConnectionError('lost', { request }))).toBe(true);
    expect(
      isWorthReplanning(answered(500, 'detected modified configuration - file changed by other user? Try again.')),
    ).toBe(true);
    expect(isWorthReplanning(answered(503))).toBe(true);
    expect(isWorthReplanning(answered(500, 'CT is locked (backup)'))).toBe(false);
    expect(isWorthReplanning(new HttpRequestError('bad', { request, status: 400 }))).toBe(false);
    expect(isWorthReplanning(new HttpTlsError('refused', { request }))).toBe(false);
    expect(isWorthReplanning(new Error('disk full'))).toBe(false);
  });
});
