/**
 * Infra provider registration, the SDK's `omnictl infraprovider create`: the `InfraProviders/<id>` resource plus the
 * `infra-provider:<id>` service account whose key the provider connects with.
 *
 * @module
 */
import { arch, platform } from 'node:os';
import * as openpgp from 'openpgp';
import type { OmniClient } from './client.js';
import type { DesiredResource } from './desired.js';
import { OmniAlreadyExistsError } from './errors.js';
import type { SecretDestination } from '../secret-destination.js';
import { describeSecretDestination, writeSecret } from '../secret-destination.js';

/** The variable an env-file destination sets unless told otherwise (the name the provider reads). */
export const PROVIDER_KEY_ENV = 'OMNI_SERVICE_ACCOUNT_KEY';

/** Lifetime of a provider key: 365 days, the longest Omni allows a service account. */
const KEY_LIFETIME_SECONDS = 365 * 24 * 60 * 60;

/** Where and under which variable name the new key is written. */
export interface ProviderKeySink {
  /** The destination. */
  readonly destination: SecretDestination;
  /** The variable an env-file destination sets. */
  readonly variable: string;
}

/** The client calls registration needs. */
type ProviderRegistrar = Pick<OmniClient, 'create' | 'destroy' | 'createServiceAccount'>;

/**
 * The service account name of an infra provider.
 *
 * @param id - Provider ID.
 * @returns `infra-provider:<id>`.
 */
export function infraProviderAccount(id: string): string {
  return `infra-provider:${id}`;
}

/**
 * Registers an infra provider: writes a fresh key to the sink first (so a key Omni accepts is never lost), then
 * creates `InfraProviders/<id>`, then registers the key as service account `infra-provider:<id>` with role
 * `InfraProvider`. When the account cannot be registered, the InfraProvider just created is destroyed again, so
 * the next apply starts over.
 *
 * @param client - A client with an Admin key (CreateServiceAccount needs Admin).
 * @param desired - The InfraProvider resource.
 * @param sink - Where the key goes.
 * @returns When registered.
 * @throws The Omni error of the failed step, with what to do in its message when the account was the problem.
 */
export async function registerInfraProvider(
  client: ProviderRegistrar,
  desired: DesiredResource,
  sink: ProviderKeySink,
): Promise<void> {
  const name = infraProviderAccount(desired.id);
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'ed25519Legacy',
    userIDs: [
      {
        name,
        email: `${desired.id}@infra-provider.serviceaccount.omni.sidero.dev`,
        comment: `${platform()}/${arch()}`,
      },
    ],
    keyExpirationTime: KEY_LIFETIME_SECONDS,
    format: 'armored',
  });
  const key = Buffer.from(JSON.stringify({ name, pgp_key: privateKey }), 'utf8').toString('base64');
  await writeSecret(sink.destination, sink.variable, key);
  await client.create(desired.kind, {
    id: desired.id,
    namespace: desired.namespace,
    labels: desired.labels,
    annotations: desired.annotations,
    spec: desired.spec,
  });
  try {
    await client.createServiceAccount({ name, armoredPublicKey: publicKey, role: 'InfraProvider' });
  } catch (error) {
    const rolledBack = await client.destroy(desired.kind, desired.id, { namespace: desired.namespace }).then(
      () => `InfraProviders/${desired.id} was removed again, so apply can start over`,
      () => `remove InfraProviders/${desired.id} (omnictl infraprovider delete ${desired.id}) before applying again`,
    );
    const advice =
      error instanceof OmniAlreadyExistsError
        ? `service account ${name} already exists: delete it (omnictl serviceaccount destroy ${name}) or register the provider with omnictl`
        : `registering service account ${name} failed`;
    const written = describeSecretDestination(sink.destination, sink.variable);
    throw new Error(`${advice}; ${rolledBack}; the unregistered key in ${written} is of no use: ${String(error)}`, {
      cause: error,
    });
  }
}
