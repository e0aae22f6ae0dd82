/**
 * Generates a service-account key the way `omnictl` does (go-api-signature's `generateEntity` with go-crypto's
 * `NewEntity`): a v4 Ed25519 EdDSA legacy primary key that certifies and signs, one user ID, and a Curve25519 ECDH
 * subkey for encryption, both expiring after the given lifetime; SHA-256 signatures; AES-256 and ZLIB preferred;
 * no passphrase. Node's own Ed25519 and X25519 make the keys and signatures.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { armor } from './armor.js';
import {
  ecdhPublicBody,
  ed25519PrivateKey,
  eddsaPublicBody,
  fingerprintOf,
  rawPublicKey,
  secretBody,
  x25519PrivateKey,
} from './key-material.js';
import { PacketTag, writePacket } from './packets.js';
import {
  createSignature,
  hashedKey,
  hashedUserId,
  SignatureType,
  subpacket,
  SubpacketType,
  uint32,
} from './signature.js';

/** Options of {@link generateEd25519PgpKey}. */
export interface PgpKeyOptions {
  /** The user ID, `Name (comment) <email>`. */
  readonly userId: string;
  /** Seconds from creation until the key expires. */
  readonly lifetimeSeconds: number;
  /** Creation time, ms since the epoch; defaults to now. */
  readonly now?: number;
}

/** A generated key. */
export interface GeneratedPgpKey {
  /** The unprotected private key, armored (`PRIVATE KEY BLOCK`). */
  readonly armoredPrivateKey: string;
  /** Its public part, armored (`PUBLIC KEY BLOCK`), what Omni registers. */
  readonly armoredPublicKey: string;
  /** The primary key's v4 fingerprint, lower-case hex: the ID Omni gives the key. */
  readonly fingerprint: string;
}

/** Key flags: certify and sign (primary), encrypt communications and storage (subkey). */
const PRIMARY_FLAGS = 0x01 | 0x02;
const SUBKEY_FLAGS = 0x04 | 0x08;
/** AES-256, AES-192, AES-128; SHA-256, SHA-384, SHA-512; ZLIB, ZIP, none; and the MDC feature. */
const PREFERENCES = [
  subpacket(SubpacketType.PreferredSymmetric, Buffer.from([9, 8, 7])),
  subpacket(SubpacketType.PreferredHash, Buffer.from([8, 9, 10])),
  subpacket(SubpacketType.PreferredCompression, Buffer.from([2, 1, 0])),
  subpacket(SubpacketType.Features, Buffer.from([0x01])),
];

/**
 * Generates an Ed25519 key with a Curve25519 encryption subkey.
 *
 * @param options - User ID, lifetime and creation time.
 * @returns The armored private and public key and the fingerprint.
 */
export function generateEd25519PgpKey(options: PgpKeyOptions): GeneratedPgpKey {
  const created = Math.floor((options.now ?? Date.now()) / 1000);
  const seed = randomBytes(32);
  const privateKey = ed25519PrivateKey(seed);
  const primaryBody = eddsaPublicBody(created, rawPublicKey(privateKey));
  const fingerprint = fingerprintOf(primaryBody);
  const signer = { privateKey, fingerprint };

  // X25519 clamps its scalar; OpenPGP stores it clamped, as a big-endian MPI (the native octets reversed).
  const scalar = randomBytes(32);
  scalar[0]! &= 248;
  scalar[31] = (scalar[31]! & 127) | 64;
  const subkeyBody = ecdhPublicBody(created, rawPublicKey(x25519PrivateKey(scalar)));

  const userId = Buffer.from(options.userId, 'utf8');
  const expiry = subpacket(SubpacketType.KeyExpiration, uint32(options.lifetimeSeconds));
  const certification = createSignature(signer, {
    type: SignatureType.PositiveCertification,
    created,
    subpackets: [
      subpacket(SubpacketType.KeyFlags, Buffer.from([PRIMARY_FLAGS])),
      expiry,
      subpacket(SubpacketType.PrimaryUserId, Buffer.from([1])),
      ...PREFERENCES,
    ],
    signed: [hashedKey(primaryBody), hashedUserId(userId)],
  });
  const binding = createSignature(signer, {
    type: SignatureType.SubkeyBinding,
    created,
    subpackets: [subpacket(SubpacketType.KeyFlags, Buffer.from([SUBKEY_FLAGS])), expiry],
    signed: [hashedKey(primaryBody), hashedKey(subkeyBody)],
  });

  const shared = [writePacket(PacketTag.UserId, userId), writePacket(PacketTag.Signature, certification)];
  const bindingPacket = writePacket(PacketTag.Signature, binding);
  const privatePackets = Buffer.concat([
    writePacket(PacketTag.SecretKey, secretBody(primaryBody, seed)),
    ...shared,
    writePacket(PacketTag.SecretSubkey, secretBody(subkeyBody, Buffer.from(scalar).reverse())),
    bindingPacket,
  ]);
  const publicPackets = Buffer.concat([
    writePacket(PacketTag.PublicKey, primaryBody),
    ...shared,
    writePacket(PacketTag.PublicSubkey, subkeyBody),
    bindingPacket,
  ]);
  return {
    armoredPrivateKey: armor('PRIVATE KEY BLOCK', privatePackets),
    armoredPublicKey: armor('PUBLIC KEY BLOCK', publicPackets),
    fingerprint: fingerprint.toString('hex'),
  };
}
