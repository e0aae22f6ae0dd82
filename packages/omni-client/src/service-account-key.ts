/**
 * Omni service-account keys: the base64 JSON `{"name", "pgp_key"}` that `omnictl serviceaccount create` prints.
 *
 * @module
 */

/** The environment variables a key is read from, in the order they are checked (the Go client's order). */
export const SERVICE_ACCOUNT_KEY_ENV = ['SIDERO_SERVICE_ACCOUNT_KEY', 'OMNI_SERVICE_ACCOUNT_KEY'] as const;

/** A decoded service-account key. */
export interface ServiceAccountKey {
  /** Identity name given at creation, e.g. `automation` or `infra-provider:proxmox`. */
  readonly name: string;
  /** ASCII-armored, unencrypted PGP private key block. */
  readonly armoredPrivateKey: string;
  /** Where the key came from, for error messages: `option`, or the environment variable's name. */
  readonly source: string;
}

/** Why a service-account key could not be used. */
export type ServiceAccountKeyProblem =
  | 'missing'
  | 'not-base64'
  | 'not-json'
  | 'missing-name'
  | 'missing-pgp-key'
  | 'invalid-pgp-key'
  | 'encrypted-pgp-key'
  | 'expired-pgp-key';

/**
 * A service-account key that cannot be used. The message names the source (option or variable) and the problem,
 * never any part of the key itself.
 */
export class ServiceAccountKeyError extends Error {
  /** Machine-readable problem. */
  readonly problem: ServiceAccountKeyProblem;
  /** Where the key came from: `option`, or the environment variable's name. */
  readonly source: string;

  /**
   * @param problem - Machine-readable problem.
   * @param source - Where the key came from.
   * @param message - What is wrong and what to do; must not contain key material.
   */
  constructor(problem: ServiceAccountKeyProblem, source: string, message: string) {
    super(`service account key (${source}): ${message}`);
    this.name = 'ServiceAccountKeyError';
    this.problem = problem;
    this.source = source;
  }
}

/** Where to look for a key. */
export interface ServiceAccountKeySource {
  /** The base64 key given explicitly; wins over the environment. */
  readonly serviceAccountKey?: string;
  /** Environment to read; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Finds and decodes the service-account key. Precedence: the explicit `serviceAccountKey` option, then
 * `SIDERO_SERVICE_ACCOUNT_KEY`, then `OMNI_SERVICE_ACCOUNT_KEY` (the order the Go client checks them). Empty
 * values count as unset.
 *
 * @param source - The explicit key and/or the environment.
 * @returns The decoded key.
 * @throws {@link ServiceAccountKeyError} when no key is set or the value is malformed.
 *
 * @example
 * ```ts
 * const key = resolveServiceAccountKey({ env: process.env });
 * console.log(key.name); // "automation"
 * ```
 */
export function resolveServiceAccountKey(source: ServiceAccountKeySource = {}): ServiceAccountKey {
  if (source.serviceAccountKey !== undefined && source.serviceAccountKey !== '') {
    return parseServiceAccountKey(source.serviceAccountKey, 'option');
  }
  const env = source.env ?? process.env;
  for (const variable of SERVICE_ACCOUNT_KEY_ENV) {
    const value = env[variable];
    if (value !== undefined && value !== '') return parseServiceAccountKey(value, variable);
  }
  throw new ServiceAccountKeyError(
    'missing',
    'option',
    `no key given; pass serviceAccountKey or set ${SERVICE_ACCOUNT_KEY_ENV.join(' or ')}`,
  );
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes one base64 service-account key value (standard alphabet, padded).
 *
 * @param value - The base64 text.
 * @param source - Where it came from, for error messages (`option` or a variable name).
 * @returns The decoded key.
 * @throws {@link ServiceAccountKeyError} when the value is not base64 of `{"name", "pgp_key"}`.
 */
export function parseServiceAccountKey(value: string, source: string): ServiceAccountKey {
  const compact = value.replace(/\s+/g, '');
  if (!BASE64.test(compact)) {
    throw new ServiceAccountKeyError('not-base64', source, 'is not standard padded base64; copy it again from omnictl');
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(compact, 'base64').toString('utf8'));
  } catch {
    throw new ServiceAccountKeyError('not-json', source, 'does not decode to JSON; copy it again from omnictl');
  }
  const record = typeof decoded === 'object' && decoded !== null ? (decoded as Record<string, unknown>) : {};
  const { name, pgp_key: pgpKey } = record;
  if (typeof name !== 'string' || name === '') {
    throw new ServiceAccountKeyError('missing-name', source, 'has no "name" field');
  }
  if (typeof pgpKey !== 'string' || !pgpKey.includes('-----BEGIN PGP PRIVATE KEY BLOCK-----')) {
    throw new ServiceAccountKeyError('missing-pgp-key', source, 'has no armored PGP private key in "pgp_key"');
  }
  return { name, armoredPrivateKey: pgpKey, source };
}
