/**
 * The ID Omni gives a registered PGP key: its fingerprint as lower-case hex, what `CreateServiceAccount`,
 * `RenewServiceAccount` and `ListServiceAccounts` report (Omni's `access.ValidatePGPPublicKey` takes gopenpgp's
 * `Key.GetFingerprint()`, `hex.EncodeToString` of the primary key's v4 fingerprint, not the 16-digit key ID).
 *
 * @module
 */
import * as openpgp from 'openpgp';

/**
 * The Omni public-key ID of a key.
 *
 * @param armoredKey - An ASCII-armored PGP key, public or private (the ID is the primary key's either way).
 * @returns The 40-digit lower-case hex fingerprint.
 * @throws When the text is not an armored PGP key.
 */
export async function publicKeyId(armoredKey: string): Promise<string> {
  const key = await openpgp.readKey({ armoredKey });
  return key.getFingerprint().toLowerCase();
}
