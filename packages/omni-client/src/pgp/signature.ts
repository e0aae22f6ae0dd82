/**
 * Version 4 OpenPGP signatures made and checked with Ed25519 (RFC 9580 §5.2, EdDSA legacy): the packet layout,
 * subpackets, and what each signature type hashes. The EdDSA signature is over the hash digest; its `r` and `s` are
 * the two halves of the 64-byte Ed25519 signature, each stored as an MPI.
 *
 * @module
 */
import type { KeyObject } from 'node:crypto';
import { createHash, sign, verify } from 'node:crypto';
import { PublicKeyAlgorithm } from './key-material.js';
import { encodeMpi, padTo, readMpi } from './packets.js';

/** Signature types used here. */
export const SignatureType = {
  Binary: 0x00,
  PositiveCertification: 0x13,
  SubkeyBinding: 0x18,
} as const;

/** Subpacket types used here. */
export const SubpacketType = {
  CreationTime: 2,
  SignatureExpiration: 3,
  KeyExpiration: 9,
  PreferredSymmetric: 11,
  Issuer: 16,
  PreferredHash: 21,
  PreferredCompression: 22,
  PrimaryUserId: 25,
  KeyFlags: 27,
  Features: 30,
  IssuerFingerprint: 33,
} as const;

/** The hash algorithms accepted with EdDSA (at least 256 bits), by OpenPGP ID, as Node names them. */
const HASHES: Readonly<Record<number, string>> = { 8: 'sha256', 9: 'sha384', 10: 'sha512' };
/** SHA-256, the hash go-crypto and Omni's keys default to. */
export const SHA256 = 8;

/**
 * Encodes one subpacket: its length (type octet included), type and data.
 *
 * @param type - The subpacket type.
 * @param data - Its data.
 * @returns The subpacket.
 */
export function subpacket(type: number, data: Uint8Array): Buffer {
  const length = data.length + 1;
  const header =
    length < 192
      ? Buffer.from([length])
      : length < 8384
        ? Buffer.from([((length - 192) >> 8) + 192, (length - 192) & 0xff])
        : Buffer.concat([Buffer.from([255]), uint32(length)]);
  return Buffer.concat([header, Buffer.from([type]), data]);
}

/**
 * A four-octet big-endian number.
 *
 * @param value - The number.
 * @returns Its octets.
 */
export function uint32(value: number): Buffer {
  const octets = Buffer.alloc(4);
  octets.writeUInt32BE(value);
  return octets;
}

/**
 * What a certification or binding signature hashes before its own fields: a key as `0x99`, length, body.
 *
 * @param publicBody - The key's public packet body.
 * @returns The octets.
 */
export function hashedKey(publicBody: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(publicBody.length);
  return Buffer.concat([Buffer.from([0x99]), length, publicBody]);
}

/**
 * What a certification hashes for its user ID: `0xB4`, four-octet length, the user ID.
 *
 * @param userId - The User ID packet body.
 * @returns The octets.
 */
export function hashedUserId(userId: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0xb4]), uint32(userId.length), userId]);
}

/** The signing key: its Node private key and v4 fingerprint. */
export interface SigningKey {
  /** The Ed25519 private key. */
  readonly privateKey: KeyObject;
  /** The 20-byte fingerprint, for the issuer subpackets. */
  readonly fingerprint: Buffer;
}

/** What a new signature says. */
export interface SignatureOptions {
  /** The signature type. */
  readonly type: number;
  /** Creation time, seconds since the epoch. */
  readonly created: number;
  /** Hashed subpackets besides the creation time and issuer fingerprint, which are always first. */
  readonly subpackets?: readonly Buffer[];
  /** What is signed, before the signature's own fields: the data, or the key and user ID being certified. */
  readonly signed: readonly Uint8Array[];
}

/**
 * Makes a v4 signature packet body with SHA-256: hashed creation time and issuer fingerprint (then the given
 * subpackets), unhashed issuer key ID, as GnuPG and go-crypto lay them out.
 *
 * @param key - The signing key.
 * @param options - Type, time, subpackets and the signed octets.
 * @returns The Signature packet body.
 */
export function createSignature(key: SigningKey, options: SignatureOptions): Buffer {
  const hashedSubpackets = Buffer.concat([
    subpacket(SubpacketType.CreationTime, uint32(options.created)),
    subpacket(SubpacketType.IssuerFingerprint, Buffer.concat([Buffer.from([4]), key.fingerprint])),
    ...(options.subpackets ?? []),
  ]);
  const hashedPart = Buffer.concat([
    Buffer.from([4, options.type, PublicKeyAlgorithm.EdDSALegacy, SHA256]),
    uint16(hashedSubpackets.length),
    hashedSubpackets,
  ]);
  const unhashed = subpacket(SubpacketType.Issuer, key.fingerprint.subarray(12));
  const digest = signedDigest('sha256', options.signed, hashedPart);
  const signature = sign(null, digest, key.privateKey);
  return Buffer.concat([
    hashedPart,
    uint16(unhashed.length),
    unhashed,
    digest.subarray(0, 2),
    encodeMpi(signature.subarray(0, 32)),
    encodeMpi(signature.subarray(32)),
  ]);
}

/** A v4 EdDSA signature read from its packet. */
export interface ReadSignature {
  /** The signature type. */
  readonly type: number;
  /** Hashed subpackets by type: their data, in order. */
  readonly hashed: ReadonlyMap<number, readonly Buffer[]>;
  /** Whether a hashed subpacket marked critical has a type this module does not interpret. */
  readonly unknownCritical: boolean;
  /** Unhashed subpackets by type. */
  readonly unhashed: ReadonlyMap<number, readonly Buffer[]>;
  /** The hashed fields, version to the end of the hashed subpackets. */
  readonly hashedPart: Buffer;
  /** Node's name of the hash algorithm. */
  readonly hash: string;
  /** The 64-byte Ed25519 signature (r then s). */
  readonly signature: Buffer;
}

/**
 * Reads a v4 EdDSA legacy signature packet body with a hash of at least 256 bits.
 *
 * @param body - The Signature packet body.
 * @returns The signature; `undefined` for any other version or algorithm, or a malformed packet.
 */
export function readSignature(body: Buffer): ReadSignature | undefined {
  if (body.length < 6 || body[0] !== 4 || body[2] !== PublicKeyAlgorithm.EdDSALegacy) return undefined;
  const hash = HASHES[body[3]!];
  if (hash === undefined) return undefined;
  const hashedEnd = 6 + body.readUInt16BE(4);
  if (hashedEnd + 2 > body.length) return undefined;
  const unhashedEnd = hashedEnd + 2 + body.readUInt16BE(hashedEnd);
  if (unhashedEnd + 2 > body.length) return undefined;
  const hashed = readSubpackets(body.subarray(6, hashedEnd));
  const unhashed = readSubpackets(body.subarray(hashedEnd + 2, unhashedEnd));
  const r = readMpi(body, unhashedEnd + 2);
  const s = r && readMpi(body, r.next);
  const rs = r && s && s.next === body.length ? [padTo(r.value, 32), padTo(s.value, 32)] : undefined;
  if (!hashed || !unhashed || !rs?.[0] || !rs[1]) return undefined;
  return {
    type: body[1]!,
    hashed: hashed.byType,
    unknownCritical: hashed.unknownCritical,
    unhashed: unhashed.byType,
    hashedPart: body.subarray(0, hashedEnd),
    hash,
    signature: Buffer.concat([rs[0], rs[1]]),
  };
}

/**
 * Checks a signature against the octets it signs.
 *
 * @param signature - The signature.
 * @param signed - The signed octets before the signature's own fields (see {@link SignatureOptions.signed}).
 * @param publicKey - The Ed25519 public key.
 * @returns Whether it verifies.
 */
export function verifySignature(
  signature: ReadSignature,
  signed: readonly Uint8Array[],
  publicKey: KeyObject,
): boolean {
  const digest = signedDigest(signature.hash, signed, signature.hashedPart);
  return verify(null, digest, publicKey, signature.signature);
}

/** The digest a v4 signature signs: the signed octets, its hashed fields, then `0x04 0xFF` and their length. */
function signedDigest(hash: string, signed: readonly Uint8Array[], hashedPart: Buffer): Buffer {
  const digest = createHash(hash);
  for (const part of signed) digest.update(part);
  return digest
    .update(hashedPart)
    .update(Buffer.from([4, 0xff]))
    .update(uint32(hashedPart.length))
    .digest();
}

function uint16(value: number): Buffer {
  const octets = Buffer.alloc(2);
  octets.writeUInt16BE(value);
  return octets;
}

const KNOWN_SUBPACKETS = new Set<number>(Object.values(SubpacketType));

function readSubpackets(data: Buffer): { byType: Map<number, Buffer[]>; unknownCritical: boolean } | undefined {
  const byType = new Map<number, Buffer[]>();
  let unknownCritical = false;
  let at = 0;
  while (at < data.length) {
    const first = data[at]!;
    let length: number;
    if (first < 192) [length, at] = [first, at + 1];
    else if (first < 255) [length, at] = [((first - 192) << 8) + (data[at + 1] ?? 0) + 192, at + 2];
    else if (at + 5 <= data.length) [length, at] = [data.readUInt32BE(at + 1), at + 5];
    else return undefined;
    if (length < 1 || at + length > data.length) return undefined;
    const type = data[at]! & 0x7f;
    if (data[at]! & 0x80 && !KNOWN_SUBPACKETS.has(type)) unknownCritical = true;
    byType.set(type, [...(byType.get(type) ?? []), data.subarray(at + 1, at + length)]);
    at += length;
  }
  return { byType, unknownCritical };
}
