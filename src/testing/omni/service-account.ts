/**
 * Throwaway Omni service accounts for tests: an Ed25519 key generated the way omnictl does, as the base64 key
 * value the client reads and the armored public key the emulator registers.
 *
 * @module
 */
import * as openpgp from 'openpgp';

/** A generated service account. */
export interface TestServiceAccount {
  /** Account name. */
  readonly name: string;
  /** Base64 of `{"name", "pgp_key"}`, as `OMNI_SERVICE_ACCOUNT_KEY` holds it. */
  readonly serviceAccountKey: string;
  /** ASCII-armored public key, for {@link OmniEmulator.registerPublicKey}. */
  readonly armoredPublicKey: string;
  /** ASCII-armored private key. */
  readonly armoredPrivateKey: string;
  /** Lower-case hex fingerprint. */
  readonly fingerprint: string;
}

/** Keys are dated this far back, so a test can sign with a clock that runs somewhat behind. */
const BACKDATE_SECONDS = 30 * 60;

/**
 * Generates a service account key (EdDSA legacy Ed25519 v4, unencrypted, user ID
 * `<name> <name@serviceaccount.omni.sidero.dev>`), created 30 minutes ago.
 *
 * @param name - Account name; defaults to `automation`.
 * @param lifetimeSeconds - Remaining key lifetime from now; defaults to one hour.
 * @returns The key in every form a test needs.
 */
export async function createTestServiceAccount(
  name = 'automation',
  lifetimeSeconds = 3_600,
): Promise<TestServiceAccount> {
  const email = name.startsWith('infra-provider:')
    ? `${name.slice('infra-provider:'.length)}@infra-provider.serviceaccount.omni.sidero.dev`
    : `${name}@serviceaccount.omni.sidero.dev`;
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'ed25519Legacy',
    userIDs: [{ name, email }],
    keyExpirationTime: lifetimeSeconds + BACKDATE_SECONDS,
    date: new Date(Date.now() - BACKDATE_SECONDS * 1000),
    format: 'armored',
  });
  const key = await openpgp.readKey({ armoredKey: publicKey });
  return {
    name,
    serviceAccountKey: Buffer.from(JSON.stringify({ name, pgp_key: privateKey }), 'utf8').toString('base64'),
    armoredPublicKey: publicKey,
    armoredPrivateKey: privateKey,
    fingerprint: key.getFingerprint().toLowerCase(),
  };
}
