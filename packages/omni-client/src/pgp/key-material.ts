/**
 * Key packet bodies of the kind Omni's service-account keys are made of (RFC 9580 §5.5.2, v4 keys): an EdDSA
 * (legacy, algorithm 22) Ed25519 primary key and an ECDH (algorithm 18) Curve25519 subkey, their fingerprints, and
 * the conversion of their key material to and from Node's `KeyObject`s.
 *
 * @module
 */
import type { KeyObject } from 'node:crypto';
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { encodeMpi, padTo, readMpi } from './packets.js';

/** Public-key algorithm IDs. */
export const PublicKeyAlgorithm = { ECDH: 18, EdDSALegacy: 22 } as const;

/** The OID of Ed25519 for EdDSA legacy keys (1.3.6.1.4.1.11591.15.1), as it appears in a key packet. */
const ED25519_OID = Buffer.from('2b06010401da470f01', 'hex');
/** The OID of Curve25519 for ECDH keys (1.3.6.1.4.1.3029.1.5.1). */
const CURVE25519_OID = Buffer.from('2b060104019755010501', 'hex');
/** ECDH's KDF parameters: 3 octets follow, reserved 1, SHA-256 (8), AES-128 (7), as GnuPG and go-crypto write them. */
const ECDH_KDF_SHA256_AES128 = Buffer.from([0x03, 0x01, 0x08, 0x07]);
/** The prefix of a native point in an EdDSA or Curve25519 key packet. */
const NATIVE_POINT = 0x40;

/** PKCS #8 and SPKI DER prefixes of raw 32-byte Ed25519 and X25519 keys (RFC 8410). */
const DER_PREFIX = {
  ed25519Private: Buffer.from('302e020100300506032b657004220420', 'hex'),
  ed25519Public: Buffer.from('302a300506032b6570032100', 'hex'),
  x25519Private: Buffer.from('302e020100300506032b656e04220420', 'hex'),
} as const;

/**
 * A v4 key packet body of an elliptic-curve key with a native point (RFC 9580 §5.5.5.5–6): version, creation time,
 * algorithm, the curve's OID with its length, the point `0x40 || key` as an MPI, then the algorithm's other fields.
 */
function curveKeyBody(created: number, algorithm: number, oid: Buffer, publicKey: Buffer, rest: Buffer[] = []): Buffer {
  const head = Buffer.alloc(7);
  head[0] = 4;
  head.writeUInt32BE(created, 1);
  head[5] = algorithm;
  head[6] = oid.length;
  return Buffer.concat([head, oid, encodeMpi(Buffer.concat([Buffer.from([NATIVE_POINT]), publicKey])), ...rest]);
}

/**
 * The public key packet body of an Ed25519 EdDSA legacy key.
 *
 * @param created - Creation time, seconds since the epoch.
 * @param publicKey - The raw 32-byte public key.
 * @returns The body.
 */
export function eddsaPublicBody(created: number, publicKey: Buffer): Buffer {
  return curveKeyBody(created, PublicKeyAlgorithm.EdDSALegacy, ED25519_OID, publicKey);
}

/**
 * The public key packet body of a Curve25519 ECDH key.
 *
 * @param created - Creation time, seconds since the epoch.
 * @param publicKey - The raw 32-byte X25519 public key.
 * @returns The body.
 */
export function ecdhPublicBody(created: number, publicKey: Buffer): Buffer {
  return curveKeyBody(created, PublicKeyAlgorithm.ECDH, CURVE25519_OID, publicKey, [ECDH_KDF_SHA256_AES128]);
}

/**
 * A secret key packet body without passphrase protection: the public body, S2K usage 0, the secret MPI and the
 * two-octet sum of the MPI's octets (RFC 9580 §5.5.3).
 *
 * @param publicBody - The public key packet body.
 * @param secret - The secret value as the algorithm stores it (big-endian octets).
 * @returns The body.
 */
export function secretBody(publicBody: Buffer, secret: Buffer): Buffer {
  const mpi = encodeMpi(secret);
  const checksum = Buffer.alloc(2);
  checksum.writeUInt16BE(mpi.reduce((sum, byte) => (sum + byte) & 0xffff, 0));
  return Buffer.concat([publicBody, Buffer.from([0]), mpi, checksum]);
}

/**
 * The v4 fingerprint: SHA-1 of `0x99`, the body's two-octet length and the public key packet body.
 *
 * @param publicBody - The public key packet body.
 * @returns The 20-byte fingerprint.
 */
export function fingerprintOf(publicBody: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(publicBody.length);
  return createHash('sha1')
    .update(Buffer.from([0x99]))
    .update(length)
    .update(publicBody)
    .digest();
}

/** An Ed25519 EdDSA legacy key read from a packet body. */
export interface EddsaKeyBody {
  /** Creation time, seconds since the epoch. */
  readonly created: number;
  /** The raw 32-byte public key. */
  readonly publicKey: Buffer;
  /** Where the public part of the body ends (the secret part of a secret key follows). */
  readonly publicLength: number;
}

/**
 * Reads the public part of a key packet body when it is a v4 Ed25519 EdDSA legacy key.
 *
 * @param body - A public or secret key packet body.
 * @returns The key; `undefined` for any other version, algorithm or curve.
 */
export function readEddsaBody(body: Buffer): EddsaKeyBody | undefined {
  if (body.length < 7 || body[0] !== 4 || body[5] !== PublicKeyAlgorithm.EdDSALegacy) return undefined;
  const oidEnd = 7 + body[6]!;
  if (!body.subarray(7, oidEnd).equals(ED25519_OID)) return undefined;
  const point = readMpi(body, oidEnd);
  if (point?.value.length !== 33 || point.value[0] !== NATIVE_POINT) return undefined;
  return { created: body.readUInt32BE(1), publicKey: point.value.subarray(1), publicLength: point.next };
}

/**
 * Where the public part of a key packet body ends, for the algorithms whose public fields this module knows.
 *
 * @param body - A public or secret key packet body.
 * @returns The length; `undefined` for other versions and algorithms.
 */
export function publicPartLength(body: Buffer): number | undefined {
  if (body.length < 7 || body[0] !== 4) return undefined;
  const algorithm = body[5];
  if (algorithm === PublicKeyAlgorithm.EdDSALegacy) return readEddsaBody(body)?.publicLength;
  if (algorithm !== PublicKeyAlgorithm.ECDH) return undefined;
  const point = readMpi(body, 7 + body[6]!);
  if (!point || point.next >= body.length) return undefined;
  const kdfEnd = point.next + 1 + body[point.next]!;
  return kdfEnd <= body.length ? kdfEnd : undefined;
}

/**
 * Node's private key of an Ed25519 seed.
 *
 * @param seed - The 32-byte seed (an EdDSA secret MPI, left-padded).
 * @returns The key.
 */
export function ed25519PrivateKey(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([DER_PREFIX.ed25519Private, seed]), format: 'der', type: 'pkcs8' });
}

/**
 * Node's public key of a raw Ed25519 public key.
 *
 * @param publicKey - The 32 bytes.
 * @returns The key.
 */
export function ed25519PublicKey(publicKey: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([DER_PREFIX.ed25519Public, publicKey]), format: 'der', type: 'spki' });
}

/**
 * Node's private key of a raw X25519 private key.
 *
 * @param scalar - The 32-byte private key, little-endian as X25519 takes it.
 * @returns The key.
 */
export function x25519PrivateKey(scalar: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([DER_PREFIX.x25519Private, scalar]), format: 'der', type: 'pkcs8' });
}

/**
 * The raw 32-byte public key of an Ed25519 or X25519 key.
 *
 * @param key - A private or public key.
 * @returns The public key's bytes.
 */
export function rawPublicKey(key: KeyObject): Buffer {
  const spki = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'der', type: 'spki' });
  return spki.subarray(spki.length - 32);
}

/**
 * Reads the seed of an unprotected Ed25519 secret key packet body and checks its checksum.
 *
 * @param body - The secret key packet body.
 * @param publicLength - Where its public part ends.
 * @returns The 32-byte seed; `undefined` when the key is protected (S2K usage other than 0) or malformed.
 */
export function readUnprotectedSeed(body: Buffer, publicLength: number): Buffer | undefined {
  if (body[publicLength] !== 0) return undefined;
  const secret = readMpi(body, publicLength + 1);
  if (!secret || secret.next + 2 !== body.length) return undefined;
  const sum = body.subarray(publicLength + 1, secret.next).reduce((total, byte) => (total + byte) & 0xffff, 0);
  if (sum !== body.readUInt16BE(secret.next)) return undefined;
  return padTo(secret.value, 32);
}
