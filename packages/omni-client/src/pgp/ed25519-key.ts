/**
 * Reads a service-account private key of the kind Omni issues (an unprotected v4 Ed25519 EdDSA legacy primary key
 * with its user ID certification, and a Curve25519 ECDH subkey) with Node's own Ed25519, without loading OpenPGP.js.
 * Anything else, or anything this reader is not sure of (a revocation, a direct-key signature, an unknown critical
 * subpacket, another algorithm or version, a passphrase), is left to OpenPGP.js: the reader answers `undefined`.
 *
 * The key is valid as OpenPGP.js and go-crypto judge it: the newest user ID self-certification that verifies and has
 * not expired decides; it must allow signing when it carries key flags; the key expires at the earlier of its key
 * expiration time and that certification's own expiration time.
 *
 * @module
 */
import type { KeyObject } from 'node:crypto';
import { armor, dearmor } from './armor.js';
import {
  ed25519PrivateKey,
  ed25519PublicKey,
  fingerprintOf,
  publicPartLength,
  rawPublicKey,
  readEddsaBody,
  readUnprotectedSeed,
} from './key-material.js';
import type { Packet } from './packets.js';
import { PacketTag, readPackets, writePacket } from './packets.js';
import type { ReadSignature } from './signature.js';
import { hashedKey, hashedUserId, readSignature, SubpacketType, verifySignature } from './signature.js';

/** An Ed25519 service-account key, ready to sign. */
export interface Ed25519PgpKey {
  /** The Ed25519 private key. */
  readonly privateKey: KeyObject;
  /** The 20-byte v4 fingerprint. */
  readonly fingerprint: Buffer;
  /** When the key expires, in ms since the epoch; `undefined` when it does not. */
  readonly expiresAt: number | undefined;
  /** The key's public part, armored (`PUBLIC KEY BLOCK`). */
  readonly armoredPublicKey: string;
}

/** Key flag "may sign data" (RFC 9580 §5.2.3.29). */
const SIGN_DATA = 0x02;
/** Certification signature types 0x10–0x13. */
const CERTIFICATIONS = new Set([0x10, 0x11, 0x12, 0x13]);
/** Signature types after which this reader defers to OpenPGP.js: key and certification revocations, direct-key. */
const DEFERRED_SIGNATURES = new Set([0x1f, 0x20, 0x30]);

/**
 * Reads an armored private key when it is an unprotected Ed25519 key valid for signing at `nowMs`.
 *
 * @param armoredPrivateKey - The `PGP PRIVATE KEY BLOCK`.
 * @param nowMs - The time to judge validity at, ms since the epoch.
 * @returns The key; `undefined` when it is another kind of key, is not valid at `nowMs`, or is malformed.
 */
export function readEd25519PrivateKey(armoredPrivateKey: string, nowMs: number): Ed25519PgpKey | undefined {
  const block = dearmor(armoredPrivateKey);
  if (block?.type !== 'PRIVATE KEY BLOCK') return undefined;
  const packets = readPackets(block.data);
  const primary = packets?.[0];
  if (!packets || primary?.tag !== PacketTag.SecretKey) return undefined;
  const key = readEddsaBody(primary.body);
  const seed = key && readUnprotectedSeed(primary.body, key.publicLength);
  if (!key || !seed) return undefined;
  const privateKey = ed25519PrivateKey(seed);
  if (!rawPublicKey(privateKey).equals(key.publicKey)) return undefined;
  const publicBody = primary.body.subarray(0, key.publicLength);
  const fingerprint = fingerprintOf(publicBody);

  const publicPackets = toPublicPackets(packets, publicBody);
  const certification =
    publicPackets &&
    newestSelfCertification(packets, { publicBody, fingerprint, publicKey: ed25519PublicKey(key.publicKey) }, nowMs);
  if (!publicPackets || !certification) return undefined;
  const flags = certification.hashed.get(SubpacketType.KeyFlags)?.[0];
  if (flags !== undefined && ((flags[0] ?? 0) & SIGN_DATA) === 0) return undefined;
  const expiresAt = earliest(
    secondsAfter(key.created, certification.hashed.get(SubpacketType.KeyExpiration)?.[0]),
    secondsAfter(createdSeconds(certification), certification.hashed.get(SubpacketType.SignatureExpiration)?.[0]),
  );
  if (expiresAt !== undefined && expiresAt <= nowMs) return undefined;
  return { privateKey, fingerprint, expiresAt, armoredPublicKey: armor('PUBLIC KEY BLOCK', publicPackets) };
}

/** The key's packets with the secret ones replaced by their public parts; `undefined` when one is not understood. */
function toPublicPackets(packets: readonly Packet[], publicBody: Buffer): Buffer | undefined {
  const out: Buffer[] = [writePacket(PacketTag.PublicKey, publicBody)];
  for (const packet of packets.slice(1)) {
    if (packet.tag === PacketTag.SecretSubkey) {
      const length = publicPartLength(packet.body);
      if (length === undefined) return undefined;
      out.push(writePacket(PacketTag.PublicSubkey, packet.body.subarray(0, length)));
    } else if (packet.tag === PacketTag.UserId || packet.tag === PacketTag.Signature) {
      out.push(writePacket(packet.tag, packet.body));
    } else return undefined;
  }
  return Buffer.concat(out);
}

/**
 * The newest user ID self-certification that verifies and is in force at `nowMs`; `undefined` when there is none
 * or the key carries a signature this reader defers on.
 */
function newestSelfCertification(
  packets: readonly Packet[],
  { publicBody, fingerprint, publicKey }: { publicBody: Buffer; fingerprint: Buffer; publicKey: KeyObject },
  nowMs: number,
): ReadSignature | undefined {
  let userId: Buffer | undefined;
  let inSubkey = false;
  let newest: ReadSignature | undefined;
  for (const packet of packets.slice(1)) {
    if (packet.tag === PacketTag.UserId) [userId, inSubkey] = [packet.body, false];
    else if (packet.tag === PacketTag.SecretSubkey) [userId, inSubkey] = [undefined, true];
    if (packet.tag !== PacketTag.Signature || inSubkey) continue;
    const type = packet.body[1] ?? -1;
    if (DEFERRED_SIGNATURES.has(type)) return undefined;
    if (userId === undefined || !CERTIFICATIONS.has(type)) continue;
    const signature = readSignature(packet.body);
    if (!signature || !isSelfIssued(signature, fingerprint) || signature.unknownCritical) continue;
    const created = createdSeconds(signature);
    if (created === undefined || created * 1000 > nowMs) continue;
    const expires = secondsAfter(created, signature.hashed.get(SubpacketType.SignatureExpiration)?.[0]);
    if (expires !== undefined && expires <= nowMs) continue;
    if (!verifySignature(signature, [hashedKey(publicBody), hashedUserId(userId)], publicKey)) continue;
    if (!newest || created >= (createdSeconds(newest) ?? 0)) newest = signature;
  }
  return newest;
}

/** Whether the signature names the key as its issuer (by fingerprint, or by key ID when it has no fingerprint). */
function isSelfIssued(signature: ReadSignature, fingerprint: Buffer): boolean {
  const byFingerprint = signature.hashed.get(SubpacketType.IssuerFingerprint)?.[0];
  if (byFingerprint) return byFingerprint.subarray(1).equals(fingerprint);
  const keyId = signature.hashed.get(SubpacketType.Issuer)?.[0] ?? signature.unhashed.get(SubpacketType.Issuer)?.[0];
  return keyId?.equals(fingerprint.subarray(12)) ?? false;
}

/** A signature's creation time in seconds since the epoch, from its hashed creation-time subpacket. */
function createdSeconds(signature: ReadSignature): number | undefined {
  const created = signature.hashed.get(SubpacketType.CreationTime)?.[0];
  return created?.length === 4 ? created.readUInt32BE(0) : undefined;
}

/** In ms since the epoch: `base` (seconds) plus a four-octet period in seconds; `undefined` for none or 0. */
function secondsAfter(base: number | undefined, period: Buffer | undefined): number | undefined {
  if (base === undefined || period?.length !== 4 || period.readUInt32BE(0) === 0) return undefined;
  return (base + period.readUInt32BE(0)) * 1000;
}

function earliest(...times: (number | undefined)[]): number | undefined {
  const known = times.filter((time): time is number => time !== undefined);
  return known.length > 0 ? Math.min(...known) : undefined;
}
