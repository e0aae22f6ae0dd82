/**
 * The emulator's check of Omni request signatures. Written from the verification rules (not from the client's
 * signer), so the client's tests check the signer against an independent implementation.
 *
 * @module
 */
import type { Metadata } from '@grpc/grpc-js';
import * as openpgp from 'openpgp';

/** Omni roles, lowest first. */
export const OMNI_ROLES = ['None', 'InfraProvider', 'Reader', 'Auditor', 'Operator', 'Admin'] as const;

/** One Omni role. */
export type OmniRole = (typeof OMNI_ROLES)[number];

/** A registered public key. */
export interface RegisteredKey {
  /** Lower-case hex fingerprint, the key's ID. */
  readonly fingerprint: string;
  /** Identity the key belongs to (account name). */
  readonly identity: string;
  /** Role granted to calls signed with it. */
  readonly role: OmniRole;
}

/** Why a call was refused; the emulator answers `UNAUTHENTICATED` with `message`. */
export class SignatureRejection extends Error {
  /**
   * @param message - `missing valid signature` or `invalid signature`.
   * @param reason - What exactly failed (for tests; not sent to the client).
   */
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'SignatureRejection';
  }
}

const INCLUDED_HEADERS = [
  'x-sidero-timestamp',
  'nodes',
  'selectors',
  'fieldSelectors',
  'runtime',
  'context',
  'cluster',
  'namespace',
  'uid',
  'authorization',
];
const ALLOWED_SKEW_SECONDS = 5 * 60;
const FUTURE_RETRY_MS = 5 * 60 * 1000;

interface StoredKey extends RegisteredKey {
  readonly key: openpgp.PublicKey;
}

/** Verifies `x-sidero-*` headers against registered public keys. */
export class SignatureVerifier {
  readonly #keys = new Map<string, StoredKey>();
  readonly #now: () => number;

  /** @param now - Clock in milliseconds; defaults to `Date.now`. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /**
   * Registers a public key, like a confirmed `PublicKey` resource.
   *
   * @param armoredPublicKey - ASCII-armored public key.
   * @param role - Role of calls signed with it.
   * @param identity - Account name; defaults to the key's first user ID.
   * @returns The registered key.
   */
  async register(armoredPublicKey: string, role: OmniRole, identity?: string): Promise<RegisteredKey> {
    const key = await openpgp.readKey({ armoredKey: armoredPublicKey });
    const fingerprint = key.getFingerprint().toLowerCase();
    const stored = { fingerprint, role, identity: identity ?? key.getUserIDs()[0] ?? fingerprint, key: key.toPublic() };
    this.#keys.set(fingerprint, stored);
    return { fingerprint, role: stored.role, identity: stored.identity };
  }

  /**
   * Forgets registered keys, like the `PublicKey` resources Omni destroys with their service account: calls signed
   * with them are refused from then on (`unknown key fingerprint`).
   *
   * @param fingerprints - Lower-case hex fingerprints.
   */
  forget(fingerprints: readonly string[]): void {
    for (const fingerprint of fingerprints) this.#keys.delete(fingerprint);
  }

  /**
   * Checks one call's signature headers.
   *
   * @param fullMethod - The method the call arrived at, e.g. `/cosi.resource.State/Get`.
   * @param metadata - The call's incoming metadata.
   * @returns The key that signed the call.
   * @throws {@link SignatureRejection} on any failure.
   */
  async verify(fullMethod: string, metadata: Metadata): Promise<RegisteredKey> {
    const incoming = metadata.toJSON();
    const header = single(incoming['x-sidero-signature']);
    if (header === undefined) throw new SignatureRejection('missing valid signature', 'no x-sidero-signature');
    const fail = (reason: string): never => {
      throw new SignatureRejection('invalid signature', reason);
    };
    const parts = header.split(' ');
    if (parts.length !== 4 || parts[0] !== 'siderov1') fail('malformed signature header');
    const stored = this.#keys.get(parts[2] ?? '') ?? fail('unknown key fingerprint');
    const nowMs = this.#now();
    const expires = await stored.key.getExpirationTime();
    if (expires instanceof Date && expires.getTime() <= nowMs) fail('key expired');

    const timestamp = single(incoming['x-sidero-timestamp']) ?? fail('no timestamp');
    if (!/^-?\d+$/.test(timestamp)) fail('timestamp is not an integer');
    if (Math.abs(nowMs / 1000 - Number(timestamp)) > ALLOWED_SKEW_SECONDS) fail('timestamp outside 5 minutes');

    const payloadText = single(incoming['x-sidero-payload']) ?? fail('no payload');
    let payload: { method?: unknown; headers?: Record<string, unknown> };
    try {
      payload = JSON.parse(payloadText) as typeof payload;
    } catch {
      return fail('payload is not JSON');
    }
    if (payload.method !== fullMethod) fail('payload method differs from the called method');
    for (const key of INCLUDED_HEADERS) {
      const signed = payload.headers?.[key] ?? null;
      const actual = incoming[key] ?? null;
      if (!sameValues(signed, actual)) fail(`header ${key} differs from the payload`);
    }

    let signature: openpgp.Signature;
    try {
      signature = await openpgp.readSignature({ binarySignature: Buffer.from(parts[3] ?? '', 'base64') });
    } catch {
      return fail('signature is not an OpenPGP signature');
    }
    const message = await openpgp.createMessage({ binary: Buffer.from(payloadText, 'utf8') });
    const lifetimeMs =
      expires instanceof Date ? (expires.getTime() - stored.key.getCreationTime().getTime()) / 2 : FUTURE_RETRY_MS;
    for (const date of [new Date(nowMs), new Date(nowMs + Math.min(FUTURE_RETRY_MS, lifetimeMs))]) {
      try {
        await openpgp.verify({ message, signature, verificationKeys: stored.key, date, expectSigned: true });
        return { fingerprint: stored.fingerprint, identity: stored.identity, role: stored.role };
      } catch {
        // Try the next date: Omni retries once with a later clock to tolerate clients that run ahead.
      }
    }
    return fail('signature does not verify');
  }
}

function single(values: readonly unknown[] | undefined): string | undefined {
  return values?.length === 1 && typeof values[0] === 'string' ? values[0] : undefined;
}

/** Go `reflect.DeepEqual` of a JSON value with a metadata value list (`null` = absent, `[]` is not absent). */
function sameValues(signed: unknown, actual: readonly unknown[] | null): boolean {
  if (signed === null) return actual === null;
  if (!Array.isArray(signed) || actual === null) return false;
  return signed.length === actual.length && signed.every((value, index) => value === actual[index]);
}
