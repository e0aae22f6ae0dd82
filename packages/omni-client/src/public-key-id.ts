/**
 * The ID Omni gives a registered PGP key: its fingerprint as lower-case hex, what `CreateServiceAccount`,
 * `RenewServiceAccount` and `ListServiceAccounts` report (Omni's `access.ValidatePGPPublicKey` takes gopenpgp's
 * `Key.GetFingerprint()`, `hex.EncodeToString` of the primary key's v4 fingerprint, not the 16-digit key ID). Keys of
 * the kind Omni issues are read without OpenPGP.js (`pgp/`); others load it.
 *
 * @module
 */
import { dearmor } from './pgp/armor.js';
import { readEd25519PrivateKey } from './pgp/ed25519-key.js';
import { fingerprintOf, publicPartLength } from './pgp/key-material.js';
import { PacketTag, readPackets } from './pgp/packets.js';

/**
 * The Omni public-key ID of a key.
 *
 * @param armoredKey - An ASCII-armored PGP key, public or private (the ID is the primary key's either way).
 * @returns The 40-digit lower-case hex fingerprint.
 * @throws When the text is not an armored PGP key.
 */
export async function publicKeyId(armoredKey: string): Promise<string> {
  const native = primaryFingerprint(armoredKey);
  if (native) return native;
  const openpgp = await import('openpgp');
  const key = await openpgp.readKey({ armoredKey });
  return key.getFingerprint().toLowerCase();
}

/** The public half of a usable private key, as Omni registers it. */
export interface UsablePublicKey {
  /** The armored public key (`PUBLIC KEY BLOCK`). */
  readonly armoredPublicKey: string;
  /** Its Omni ID (see {@link publicKeyId}). */
  readonly publicKeyId: string;
}

/**
 * The public half of a private key that can sign at `nowMs`: readable, not passphrase-protected, not expired.
 *
 * @param armoredPrivateKey - The armored private key (a service-account key's `pgp_key`).
 * @param nowMs - When it must be valid, ms since the epoch; defaults to now.
 * @returns The public key and its ID; `undefined` when the key cannot sign then.
 */
export async function usablePublicKey(
  armoredPrivateKey: string,
  nowMs: number = Date.now(),
): Promise<UsablePublicKey | undefined> {
  const native = readEd25519PrivateKey(armoredPrivateKey, nowMs);
  if (native) return { armoredPublicKey: native.armoredPublicKey, publicKeyId: native.fingerprint.toString('hex') };
  const openpgp = await import('openpgp');
  try {
    const key = await openpgp.readPrivateKey({ armoredKey: armoredPrivateKey });
    if (!key.isDecrypted()) return undefined;
    await key.getSigningKey(undefined, new Date(nowMs));
    return { armoredPublicKey: key.toPublic().armor(), publicKeyId: key.getFingerprint().toLowerCase() };
  } catch {
    return undefined;
  }
}

/** The fingerprint of the primary key of an armored key whose algorithm the `pgp/` reader knows. */
function primaryFingerprint(armoredKey: string): string | undefined {
  const primary = readPackets(dearmor(armoredKey)?.data ?? Buffer.alloc(0))?.[0];
  if (primary?.tag !== PacketTag.PublicKey && primary?.tag !== PacketTag.SecretKey) return undefined;
  const length = publicPartLength(primary.body);
  return length === undefined ? undefined : fingerprintOf(primary.body.subarray(0, length)).toString('hex');
}
