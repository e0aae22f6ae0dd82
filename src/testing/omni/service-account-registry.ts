/**
 * The emulator's service accounts, as Omni keeps them (`internal/pkg/auth/serviceaccount/serviceaccount.go` and
 * `internal/backend/grpc/serviceaccount.go` of siderolabs/omni): an account is an Identity with its role and any
 * number of confirmed public keys. `CreateServiceAccount` refuses a name whose Identity exists (`AlreadyExists`);
 * `RenewServiceAccount` adds a key to an existing account (`NotFound` without one, `AlreadyExists` when that key is
 * registered already) and leaves the earlier keys registered; `ListServiceAccounts` returns each account with the
 * ID, armored text and expiration of each key; `DestroyServiceAccount` removes the account and its keys (`NotFound`
 * for a name no service account has), after which its keys sign nothing. A key's ID is gopenpgp's
 * `GetFingerprint()`: the v4 fingerprint as lower-case hex.
 *
 * @module
 */
import { status } from '@grpc/grpc-js';
import * as openpgp from 'openpgp';
import type { ListServiceAccountsResponse_ServiceAccount } from '@talos-sdk/omni-client/generated/omni/management/management.js';
import type { OmniRole, SignatureVerifier } from './signature-verifier.js';
import { CosiStatusError } from './store.js';

/** Omni's cap on a service-account key's lifetime (`auth.ServiceAccountMaxAllowedLifetime`): 365 days. */
const MAX_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;
/** Slack for the lifetime check, since the key's creation time and our clock differ by the test's backdating. */
const LIFETIME_SLACK_MS = 60 * 60 * 1000;

/** One registered key. */
interface AccountKey {
  /** Lower-case hex fingerprint. */
  readonly id: string;
  /** Armored public key. */
  readonly armored: string;
  /** When it expires (`undefined`: never, which Omni refuses on registration). */
  readonly expiration: Date | undefined;
}

/** One account. */
interface Account {
  readonly role: OmniRole;
  readonly keys: AccountKey[];
}

/** Service accounts by name (`automation`, `infra-provider:<id>`); their keys sign calls through the verifier. */
export class ServiceAccountRegistry {
  readonly #accounts = new Map<string, Account>();
  readonly #verifier: SignatureVerifier;

  /** @param verifier - Where registered keys go, so calls signed with them are accepted. */
  constructor(verifier: SignatureVerifier) {
    this.#verifier = verifier;
  }

  /**
   * `CreateServiceAccount`: a new account with its first key.
   *
   * @param name - Account name.
   * @param role - Its role.
   * @param armored - Armored public key.
   * @returns The key's ID.
   * @throws `ALREADY_EXISTS` when the account exists; `INVALID_ARGUMENT` for a key Omni refuses.
   */
  async create(name: string, role: OmniRole, armored: string): Promise<string> {
    const key = await validatedKey(armored);
    if (this.#accounts.has(name)) {
      throw new CosiStatusError(status.ALREADY_EXISTS, `service account "${name}" already exists`);
    }
    this.#accounts.set(name, { role, keys: [key] });
    await this.#verifier.register(armored, role, name);
    return key.id;
  }

  /**
   * `RenewServiceAccount`: one more key for an existing account, with the account's role.
   *
   * @param name - Account name.
   * @param armored - Armored public key.
   * @returns The key's ID.
   * @throws `NOT_FOUND` without the account; `ALREADY_EXISTS` when the key is registered already.
   */
  async renew(name: string, armored: string): Promise<string> {
    const key = await validatedKey(armored);
    const account = this.#accounts.get(name);
    if (!account) throw new CosiStatusError(status.NOT_FOUND, `service account "${name}" doesn't exist`);
    if (this.#registered(key.id)) {
      throw new CosiStatusError(status.ALREADY_EXISTS, `public key ${key.id} already exists`);
    }
    account.keys.push(key);
    await this.#verifier.register(armored, account.role, name);
    return key.id;
  }

  /**
   * `DestroyServiceAccount`: removes the account and every key it holds; calls signed with them are refused from then
   * on, as Omni tears down the account's `PublicKey` resources with its Identity.
   *
   * @param name - Account name.
   * @throws `NOT_FOUND` without the account.
   */
  destroy(name: string): void {
    const account = this.#accounts.get(name);
    if (!account) throw new CosiStatusError(status.NOT_FOUND, `service account "${name}" not found`);
    this.#accounts.delete(name);
    this.#verifier.forget(account.keys.map((key) => key.id));
  }

  /**
   * Registers a key directly (the emulator's `registerPublicKey`): creates the account, or adds to it.
   *
   * @param name - Account name.
   * @param role - Role of a new account.
   * @param armored - Armored public key.
   * @returns The key's ID.
   */
  async add(name: string, role: OmniRole, armored: string): Promise<string> {
    const key = await readKey(armored);
    const account = this.#accounts.get(name) ?? { role, keys: [] };
    this.#accounts.set(name, account);
    if (!account.keys.some((existing) => existing.id === key.id)) account.keys.push(key);
    await this.#verifier.register(armored, role, name);
    return key.id;
  }

  /**
   * `ListServiceAccounts`: every account, keys with ID, armored text and expiration (Omni leaves `created` and
   * `last_used` unset).
   *
   * @returns The accounts, sorted by name.
   */
  list(): ListServiceAccountsResponse_ServiceAccount[] {
    return [...this.#accounts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, account]) => ({
        name,
        role: account.role,
        lastActive: '',
        pgpPublicKeys: account.keys.map((key) => ({ id: key.id, armored: key.armored, expiration: key.expiration })),
      }));
  }

  #registered(id: string): boolean {
    return [...this.#accounts.values()].some((account) => account.keys.some((key) => key.id === id));
  }
}

async function readKey(armored: string): Promise<AccountKey> {
  let key: openpgp.Key;
  try {
    key = await openpgp.readKey({ armoredKey: armored });
  } catch (error) {
    throw new CosiStatusError(status.INVALID_ARGUMENT, `failed to read PGP key: ${String(error)}`);
  }
  const expires = await key.getExpirationTime();
  return {
    id: key.getFingerprint().toLowerCase(),
    armored,
    expiration: expires instanceof Date ? expires : undefined,
  };
}

/** Omni's `access.ValidatePGPPublicKey`: a public key with an expiration within the service-account lifetime. */
async function validatedKey(armored: string): Promise<AccountKey> {
  const key = await readKey(armored);
  if (armored.includes('PRIVATE KEY BLOCK')) {
    throw new CosiStatusError(status.INVALID_ARGUMENT, 'PGP key contains private key');
  }
  if (!key.expiration) throw new CosiStatusError(status.INVALID_ARGUMENT, 'PGP key has no expiration');
  if (key.expiration.getTime() - Date.now() > MAX_LIFETIME_MS + LIFETIME_SLACK_MS) {
    throw new CosiStatusError(status.INVALID_ARGUMENT, 'PGP key lifetime is longer than 365 days');
  }
  return key;
}
