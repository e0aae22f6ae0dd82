import { readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import type { Agent as UndiciAgent } from 'undici';
import { Agent, buildConnector } from './undici-core.js';
import type { Logger } from './logger.js';

/**
 * How a client decides to trust a server's certificate. Verification against the system CAs is the default; consoles
 * and Proxmox nodes usually have self-signed certificates, so trust their CA (or the certificate itself) or pin it.
 */
export interface TlsOptions {
  /** Extra trusted CA certificates, PEM. The self-signed certificate itself works as its own CA. */
  readonly ca?: string | readonly string[];
  /** A file holding trusted CA certificates, PEM; read when the client is created. */
  readonly caFile?: string;
  /**
   * SHA-256 fingerprint of the server certificate, hex with or without `:` (as `openssl x509 -fingerprint -sha256`
   * prints it, or the Proxmox node's `ssl_fingerprint`). Checked during the TLS handshake: a different certificate
   * is refused before any request is sent. Without `ca`, the pin replaces chain verification.
   */
  readonly fingerprint256?: string;
  /**
   * Accept any certificate. Dangerous: a warning is logged every time a client is created with it. Cannot be combined
   * with `fingerprint256` (a pin is verification, so skipping it would silently drop the pin).
   */
  readonly insecureSkipVerify?: boolean;
}

/** The error a pinned connection fails with when the server shows another certificate. */
export class CertificatePinMismatchError extends Error {
  /** The fingerprint the server presented (public data). */
  readonly actual: string;

  /**
   * @param host - The server's host and port.
   * @param actual - The fingerprint the server presented.
   */
  constructor(host: string, actual: string) {
    super(`certificate of ${host} has SHA-256 fingerprint ${actual}, which is not the pinned one; connection refused`);
    this.name = 'CertificatePinMismatchError';
    this.actual = actual;
  }
}

/**
 * Normalises a SHA-256 fingerprint to upper-case hex pairs joined by `:`.
 *
 * @param fingerprint - Hex, with or without `:` separators, any case.
 * @returns The canonical form, e.g. `AB:CD:…`.
 * @throws Error when the text is not 32 bytes of hex.
 */
export function normalizeFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/[:\s]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex))
    throw new Error('fingerprint256 must be 64 hex digits (SHA-256), with or without ":"');
  return hex.match(/../g)!.join(':');
}

/**
 * The trusted CAs of a connection that verifies no chain (a pin, or verification skipped): none. Without `ca`, Node
 * gives each TLS context its store of bundled root certificates, which Node 20 parses on first use (20–30 ms of CPU,
 * unless `NODE_EXTRA_CA_CERTS` made it do so at start-up); an empty list gives an empty store.
 */
const NO_CA: string[] = [];

/**
 * Creates the undici `Agent` a client uses for one target, with the TLS trust the options ask for.
 *
 * @param target - The target's origin, for messages (e.g. `https://pve.example:8006`).
 * @param tls - How to trust the server.
 * @param logger - Receives the warning when verification is skipped.
 * @returns A dedicated agent; close it with the client.
 * @throws Error when `insecureSkipVerify` and `fingerprint256` are both set.
 */
export function createTlsAgent(target: string, tls: TlsOptions, logger: Logger): UndiciAgent {
  if (tls.insecureSkipVerify && tls.fingerprint256 !== undefined) {
    throw new Error(
      `TLS options for ${target} set both insecureSkipVerify and fingerprint256: skipping verification would ignore ` +
        'the pin. Keep fingerprint256 (the pin alone trusts that certificate) and drop insecureSkipVerify ' +
        '(from the environment: unset *_INSECURE_SKIP_VERIFY when *_FINGERPRINT is set).',
    );
  }
  const ca = [...(typeof tls.ca === 'string' ? [tls.ca] : (tls.ca ?? []))];
  if (tls.caFile) ca.push(readFileSync(tls.caFile, 'utf8'));
  if (tls.insecureSkipVerify) {
    logger.warn(
      `TLS certificate verification is disabled for ${target}: anyone on the path can read and change this traffic, ` +
        'credentials included. Trust the server CA (caFile) or pin its fingerprint256 instead.',
    );
    return new Agent({ connect: { rejectUnauthorized: false, ca: NO_CA } });
  }
  const pin = tls.fingerprint256 === undefined ? undefined : normalizeFingerprint(tls.fingerprint256);
  const connector = buildConnector({
    // A pin alone is the trust decision, so chain verification is off and the pin is checked below instead.
    ...(ca.length > 0 ? { ca } : pin === undefined ? {} : { ca: NO_CA }),
    rejectUnauthorized: pin === undefined || ca.length > 0,
    ...(pin === undefined ? {} : { maxCachedSessions: 0 }),
  });
  if (pin === undefined) return new Agent({ connect: connector });
  return new Agent({
    connect: (options, callback) => {
      connector(options, (error, socket) => {
        if (error !== null) return callback(error, null);
        const actual = (socket as TLSSocket).getPeerCertificate().fingerprint256;
        if (actual !== pin) {
          socket.destroy();
          return callback(new CertificatePinMismatchError(`${options.hostname}:${options.port}`, actual), null);
        }
        return callback(null, socket);
      });
    },
  });
}
