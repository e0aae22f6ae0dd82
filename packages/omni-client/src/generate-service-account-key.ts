/**
 * New service-account keys, made as `omnictl serviceaccount create` and `omnictl infraprovider create` make them
 * (`client/pkg/omnictl/serviceaccount.go` `generateServiceAccountPGPKey`, go-api-signature `generateEntity`): an
 * Ed25519 key with a Curve25519 encryption subkey, user ID `<base name> (<GOOS>/<GOARCH>) <email>`, no passphrase.
 *
 * @module
 */
import { arch, platform } from 'node:os';
import { generateEd25519PgpKey } from './pgp/generate-key.js';

/** 365 days: the default `--ttl`, and the longest lifetime Omni allows a service account. */
const DEFAULT_LIFETIME_SECONDS = 365 * 24 * 60 * 60;
/** The account-name prefix of infra providers' accounts. */
const INFRA_PROVIDER_PREFIX = 'infra-provider:';
/** Go's GOARCH names of Node's `os.arch()` values that differ. */
const GOARCH: Readonly<Record<string, string>> = { x64: 'amd64', ia32: '386' };
/** Go's GOOS names of Node's `os.platform()` values that differ. */
const GOOS: Readonly<Record<string, string>> = { win32: 'windows' };

/** Options of {@link generateServiceAccountKey}. */
export interface ServiceAccountKeyOptions {
  /** Seconds until the key expires; 365 days by default (Omni refuses longer). */
  readonly lifetimeSeconds?: number;
  /** Creation time, ms since the epoch; defaults to now. */
  readonly now?: number;
}

/** A new service-account key. */
export interface GeneratedServiceAccountKey {
  /** The base64 `{"name","pgp_key"}` value, as `omnictl` prints it for `OMNI_SERVICE_ACCOUNT_KEY`. A secret. */
  readonly serviceAccountKey: string;
  /** The armored public key, what `CreateServiceAccount` and `RenewServiceAccount` register. */
  readonly armoredPublicKey: string;
  /** The ID Omni will give the key (its fingerprint, lower-case hex). */
  readonly publicKeyId: string;
}

/**
 * Generates a service-account key for an account name.
 *
 * @param name - The account: `automation`, or `infra-provider:<id>` for an infra provider.
 * @param options - Lifetime and creation time.
 * @returns The key to hand to whoever uses the account, and the public key to register.
 *
 * @example
 * ```ts
 * import { createOmniClient, generateServiceAccountKey } from '@talos-sdk/omni-client';
 *
 * const admin = await createOmniClient({ endpoint: 'https://omni.example.com' });
 * const key = generateServiceAccountKey('automation');
 * await admin.createServiceAccount({ name: 'automation', armoredPublicKey: key.armoredPublicKey, role: 'Reader' });
 * // give key.serviceAccountKey to the automation as OMNI_SERVICE_ACCOUNT_KEY
 * ```
 */
export function generateServiceAccountKey(
  name: string,
  options: ServiceAccountKeyOptions = {},
): GeneratedServiceAccountKey {
  const provider = name.startsWith(INFRA_PROVIDER_PREFIX);
  const base = provider ? name.slice(INFRA_PROVIDER_PREFIX.length) : name;
  const email = `${base}@${provider ? 'infra-provider.' : ''}serviceaccount.omni.sidero.dev`;
  const comment = `${GOOS[platform()] ?? platform()}/${GOARCH[arch()] ?? arch()}`;
  const key = generateEd25519PgpKey({
    userId: `${base} (${comment}) <${email}>`,
    lifetimeSeconds: options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const serviceAccountKey = Buffer.from(JSON.stringify({ name, pgp_key: key.armoredPrivateKey }), 'utf8').toString(
    'base64',
  );
  return { serviceAccountKey, armoredPublicKey: key.armoredPublicKey, publicKeyId: key.fingerprint };
}
