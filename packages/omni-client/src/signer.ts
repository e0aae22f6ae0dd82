/**
 * Omni request signing: every gRPC call (unary and streaming) carries `x-sidero-timestamp`, `x-sidero-payload` and
 * `x-sidero-signature`, where the signature is a detached binary OpenPGP signature over the payload JSON.
 *
 * @module
 */
import type { Interceptor, Metadata } from '@grpc/grpc-js';
import { InterceptingCall, Metadata as GrpcMetadata, status } from '@grpc/grpc-js';
import type { Ed25519PgpKey } from './pgp/ed25519-key.js';
import { readEd25519PrivateKey } from './pgp/ed25519-key.js';
import { PacketTag, writePacket } from './pgp/packets.js';
import { createSignature, SignatureType } from './pgp/signature.js';
import type { ServiceAccountKey } from './service-account-key.js';
import { ServiceAccountKeyError } from './service-account-key.js';

/**
 * The metadata keys covered by the signed payload, sorted the way Go's JSON encoder sorts map keys.
 * `fieldSelectors` can never match an incoming (lower-cased) header, so it is always sent as `null`.
 */
export const SIGNED_HEADER_KEYS = [
  'authorization',
  'cluster',
  'context',
  'fieldSelectors',
  'namespace',
  'nodes',
  'runtime',
  'selectors',
  'uid',
  'x-sidero-timestamp',
] as const;

/** Signature scheme marker, the first word of `x-sidero-signature`. */
export const SIGNATURE_VERSION = 'siderov1';

/** Signs requests on behalf of one service account. */
export interface RequestSigner {
  /** The service account's identity name. */
  readonly name: string;
  /** Lower-case hex v4 fingerprint of the signing key. */
  readonly fingerprint: string;
  /**
   * Sets the three signing headers on outgoing metadata, replacing any present.
   *
   * @param method - Full gRPC method with leading slash, e.g. `/cosi.resource.State/Create`.
   * @param metadata - The call's outgoing metadata, changed in place.
   */
  sign(method: string, metadata: Metadata): Promise<void>;
}

/** Options of {@link createRequestSigner}. */
export interface RequestSignerOptions {
  /** Clock in milliseconds since the epoch; defaults to `Date.now`. Tests use it to sign with a skewed clock. */
  readonly now?: () => number;
}

/**
 * Loads a service account's private key and returns a signer for it. Keys of the kind Omni issues (Ed25519) are
 * read and used with Node's own Ed25519 (`pgp/`); any other key is read and used with OpenPGP.js, loaded only then.
 *
 * @param key - The decoded service-account key.
 * @param options - Clock override.
 * @returns The signer.
 * @throws {@link ServiceAccountKeyError} when the PGP key cannot be read, is passphrase-protected or cannot sign
 * (e.g. expired). The message never contains key material.
 */
export async function createRequestSigner(
  key: ServiceAccountKey,
  options: RequestSignerOptions = {},
): Promise<RequestSigner> {
  const now = options.now ?? Date.now;
  const native = readEd25519PrivateKey(key.armoredPrivateKey, now());
  const signWith = native ? ed25519Signature(native, key, now) : await openpgpSignature(key, now);
  return {
    name: key.name,
    fingerprint: signWith.fingerprint,
    async sign(method: string, metadata: Metadata): Promise<void> {
      metadata.set('x-sidero-timestamp', String(Math.floor(now() / 1000)));
      metadata.remove('x-sidero-payload');
      metadata.remove('x-sidero-signature');
      const payload = signedPayload(method, metadata);
      const signature = await signWith.sign(new TextEncoder().encode(payload));
      metadata.set('x-sidero-payload', payload);
      metadata.set(
        'x-sidero-signature',
        `${SIGNATURE_VERSION} ${key.name} ${signWith.fingerprint} ${Buffer.from(signature).toString('base64')}`,
      );
    },
  };
}

/** Makes detached binary signatures with one key. */
interface DetachedSigner {
  /** Lower-case hex v4 fingerprint. */
  readonly fingerprint: string;
  /** The signature packet over `data`. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/**
 * Signs with Node's Ed25519: a v4 binary-document signature (SHA-256), as gopenpgp's `SignDetached` makes. A key
 * that expired since the signer was made refuses to sign, as OpenPGP.js does.
 */
function ed25519Signature(native: Ed25519PgpKey, key: ServiceAccountKey, now: () => number): DetachedSigner {
  return {
    fingerprint: native.fingerprint.toString('hex'),
    sign: async (data) => {
      const at = now();
      if (native.expiresAt !== undefined && native.expiresAt <= at) {
        throw new ServiceAccountKeyError(
          'expired-pgp-key',
          key.source,
          'pgp_key has expired; create a new service account key',
        );
      }
      const created = Math.floor(at / 1000);
      return writePacket(
        PacketTag.Signature,
        createSignature(native, { type: SignatureType.Binary, created, signed: [data] }),
      );
    },
  };
}

/** Signs with OpenPGP.js, for keys that are not Ed25519 ones (or that the Ed25519 reader is not sure of). */
async function openpgpSignature(key: ServiceAccountKey, now: () => number): Promise<DetachedSigner> {
  const openpgp = await import('openpgp');
  let privateKey: Awaited<ReturnType<typeof openpgp.readPrivateKey>>;
  try {
    privateKey = await openpgp.readPrivateKey({ armoredKey: key.armoredPrivateKey });
  } catch {
    throw new ServiceAccountKeyError('invalid-pgp-key', key.source, 'pgp_key is not a readable PGP private key');
  }
  if (!privateKey.isDecrypted()) {
    throw new ServiceAccountKeyError(
      'encrypted-pgp-key',
      key.source,
      'pgp_key is passphrase-protected; Omni keys are not',
    );
  }
  try {
    await privateKey.getSigningKey(undefined, new Date(now()));
  } catch {
    throw new ServiceAccountKeyError(
      'expired-pgp-key',
      key.source,
      'pgp_key has no valid signing key (expired or revoked); create a new service account key',
    );
  }
  return {
    fingerprint: privateKey.getFingerprint().toLowerCase(),
    sign: async (data) =>
      openpgp.sign({
        message: await openpgp.createMessage({ binary: data }),
        signingKeys: privateKey,
        detached: true,
        format: 'binary',
        date: new Date(now()),
      }),
  };
}

/**
 * The exact JSON text that is signed: `{"headers":{...10 keys...},"method":"..."}`, compact, keys sorted, absent
 * headers as `null`.
 *
 * @param method - Full gRPC method with leading slash.
 * @param metadata - Outgoing metadata (after `x-sidero-timestamp` is set).
 * @returns The payload JSON.
 */
export function signedPayload(method: string, metadata: Metadata): string {
  const headers: Record<string, string[] | null> = {};
  for (const key of SIGNED_HEADER_KEYS) {
    const values = key === 'fieldSelectors' ? [] : metadata.get(key).map(String);
    headers[key] = values.length > 0 ? values : null;
  }
  return JSON.stringify({ headers, method });
}

/**
 * A grpc-js client interceptor that signs every call before its metadata is sent. A signing failure ends the call
 * with `UNAUTHENTICATED` without sending anything.
 *
 * @param signer - The signer to use.
 * @returns The interceptor, for `interceptors` in the client options.
 */
export function signingInterceptor(signer: RequestSigner): Interceptor {
  return (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        signer.sign(options.method_definition.path, metadata).then(
          () => next(metadata, listener),
          () =>
            listener.onReceiveStatus?.({
              code: status.UNAUTHENTICATED,
              details: 'signing the request failed',
              metadata: new GrpcMetadata(),
            }),
        );
      },
    });
}
