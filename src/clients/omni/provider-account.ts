/**
 * Infra provider registration, the SDK's `omnictl infraprovider create`: the `InfraProviders/<id>` resource plus the
 * `infra-provider:<id>` service account whose key the provider connects with. A registered provider carries
 * {@link PROVIDER_ACCOUNT_ANNOTATION}, set only once Omni holds the key in the destination (by fingerprint); one
 * without it (a lost response, an interrupted apply) is registered again.
 *
 * @module
 */
import { readFile, rm, stat } from 'node:fs/promises';
import type { OmniClient, OmniResource } from '@talos-sdk/omni-client';
import {
  generateServiceAccountKey,
  isTransientOmniError,
  OmniVersionConflictError,
  parseServiceAccountKey,
  usablePublicKey,
} from '@talos-sdk/omni-client';
import type { DesiredResource } from './desired.js';
import { mergeDesired } from './desired.js';
import { writeFileAtomically } from '../../generators/files.js';
const PROVIDER_KEY_VARIABLE = 'OMNI_SERVICE_ACCOUNT_KEY';
import { PROVIDER_ACCOUNT_ANNOTATION } from './sdk-annotations.js';
import type { SecretDestination } from '../secret-destination.js';
import { describeSecretDestination, writeSecret } from '../secret-destination.js';

/**
 * The variable an env-file destination sets when neither the caller nor the provider's compose file names one: the
 * name the provider binary reads.
 */
export const PROVIDER_KEY_ENV = PROVIDER_KEY_VARIABLE;

/** Value of {@link PROVIDER_ACCOUNT_ANNOTATION} once the service account is registered. */
export const PROVIDER_ACCOUNT_REGISTERED = 'registered';

/** Where and under which variable name the new key is written. */
export interface ProviderKeySink {
  /** The destination. */
  readonly destination: SecretDestination;
  /** The variable an env-file destination sets. */
  readonly variable: string;
}

/** The InfraProvider whose service account is registered. */
export interface ProviderRegistration {
  /** The desired InfraProvider. */
  readonly desired: DesiredResource;
  /** The InfraProvider as stored in Omni. */
  readonly live: OmniResource<unknown>;
  /** Whether this apply created it (a definite failure then removes it again). */
  readonly created: boolean;
}

/** The client calls registration needs. */
type ProviderRegistrar = Pick<
  OmniClient,
  'get' | 'update' | 'destroy' | 'createServiceAccount' | 'renewServiceAccount' | 'listServiceAccounts'
>;

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
 * Tells whether an InfraProvider carries the mark of a registered service account.
 *
 * @param resource - A live InfraProvider.
 * @returns `true` when {@link PROVIDER_ACCOUNT_ANNOTATION} is `registered`.
 */
export function isProviderAccountRegistered(resource: OmniResource<unknown>): boolean {
  return resource.metadata.annotations[PROVIDER_ACCOUNT_ANNOTATION] === PROVIDER_ACCOUNT_REGISTERED;
}

/**
 * Registers the `infra-provider:<id>` service account (role `InfraProvider`) of an existing InfraProvider so that
 * the key in the sink authenticates, then marks the InfraProvider with {@link PROVIDER_ACCOUNT_ANNOTATION}. Decided
 * by the key itself: `ListServiceAccounts` gives the fingerprints Omni holds for the account.
 *
 * - The sink holds a key of the account that Omni holds: nothing to register.
 * - The sink holds a key of the account that Omni does not hold (an earlier apply wrote it and its registration got
 *   no answer or failed): that key is registered, with `CreateServiceAccount`, or `RenewServiceAccount` (the
 *   `omnictl infraprovider renewkey` call) when the account exists. Nothing is written.
 * - The sink holds no usable key of the account: a fresh key is written there first, then registered the same way.
 *
 * Why every interleaving of lost answers is safe: the sink is only ever written when it holds no usable key of the
 * account, so a key Omni may have accepted is never overwritten, and every later step makes Omni hold the sink's
 * key instead of replacing it. A registration whose answer is lost is retried; the retry's `AlreadyExists` is
 * settled by reading the fingerprints back. If no attempt is answered, the fresh key stays in the sink, and the next
 * apply finds it there and registers it only if Omni does not hold it yet. Only a definite refusal (which means
 * Omni took nothing) puts the sink back as it was, and removes an InfraProvider this apply `created`.
 *
 * @param client - A client with an Admin key (the service-account calls need Admin).
 * @param registration - The InfraProvider, live and desired, and whether this apply created it.
 * @param sink - Where the key goes.
 * @param attempts - Attempts of the annotation update that keeps hitting version conflicts.
 * @returns When registered and marked.
 * @throws An error saying what was kept and what to do, with the Omni error as its cause.
 */
export async function registerInfraProvider(
  client: ProviderRegistrar,
  registration: ProviderRegistration,
  sink: ProviderKeySink,
  attempts: number,
): Promise<void> {
  const { desired, created } = registration;
  const name = infraProviderAccount(desired.id);
  const written = describeSecretDestination(sink.destination, sink.variable);
  const previous = await readSnapshot(sink);
  const held = await heldKey(previous, name);
  let wroteFreshKey = false;
  try {
    const account = (await client.listServiceAccounts()).find((candidate) => candidate.name === name);
    if (!held || !account?.publicKeyIds.includes(held.id)) {
      let armoredPublicKey = held?.armoredPublicKey;
      if (armoredPublicKey === undefined) {
        // As `omnictl infraprovider create` generates it: 365 days, the longest Omni allows.
        const fresh = generateServiceAccountKey(name);
        await writeSecret(sink.destination, sink.variable, fresh.serviceAccountKey);
        wroteFreshKey = true;
        armoredPublicKey = fresh.armoredPublicKey;
      }
      if (account) await client.renewServiceAccount(name, armoredPublicKey);
      else await client.createServiceAccount({ name, armoredPublicKey, role: 'InfraProvider' });
    }
  } catch (error) {
    if (isTransientOmniError(error)) {
      const kept = wroteFreshKey ? `the new key stays in ${written}` : `${written} was left as it was`;
      throw new Error(
        `registering service account ${name} got no answer, so it may have completed; ${kept} and ` +
          `InfraProviders/${desired.id} is kept: apply again, which registers that key unless Omni holds it ` +
          `(${String(error)})`,
        { cause: error },
      );
    }
    if (wroteFreshKey) await restoreSnapshot(previous);
    const outcome = created
      ? await client.destroy(desired.kind, desired.id, { namespace: desired.namespace }).then(
          () => `InfraProviders/${desired.id} was removed again`,
          () => `InfraProviders/${desired.id} could not be removed (omnictl infraprovider delete ${desired.id})`,
        )
      : `InfraProviders/${desired.id} is kept`;
    throw new Error(
      `registering service account ${name} failed; ${written} was left as it was; ${outcome}: ${String(error)}`,
      { cause: error },
    );
  }
  await markRegistered(client, registration, written, attempts);
}

/** One Update adding {@link PROVIDER_ACCOUNT_ANNOTATION}, read again and retried on version conflicts. */
async function markRegistered(
  client: ProviderRegistrar,
  { desired, live }: ProviderRegistration,
  written: string,
  attempts: number,
): Promise<void> {
  let current = live;
  for (let attempt = 1; ; attempt++) {
    const resource = mergeDesired(current, desired);
    const annotations = {
      ...resource.metadata.annotations,
      [PROVIDER_ACCOUNT_ANNOTATION]: PROVIDER_ACCOUNT_REGISTERED,
    };
    try {
      await client.update(desired.kind, { ...resource, metadata: { ...resource.metadata, annotations } });
      return;
    } catch (error) {
      if (error instanceof OmniVersionConflictError && attempt < attempts) {
        current = await client.get(desired.kind, desired.id, { namespace: desired.namespace });
        continue;
      }
      throw new Error(
        `service account ${infraProviderAccount(desired.id)} is registered with the key in ${written}, but ` +
          `InfraProviders/${desired.id} could not be marked so: apply again (${String(error)})`,
        { cause: error },
      );
    }
  }
}

/** A destination's file as it was before the key was written. */
interface Snapshot {
  /** The file. */
  readonly path: string;
  /** Its bytes, or `undefined` when it did not exist. */
  readonly content: Buffer | undefined;
  /** Its permission bits. */
  readonly mode: number;
  /** The variable of an env-file destination; `undefined` for a file of its own. */
  readonly variable: string | undefined;
}

async function readSnapshot({ destination, variable }: ProviderKeySink): Promise<Snapshot> {
  const [path, envVariable] = 'file' in destination ? [destination.file, undefined] : [destination.envFile, variable];
  try {
    const [content, info] = await Promise.all([readFile(path), stat(path)]);
    return { path, content, mode: info.mode & 0o777, variable: envVariable };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return { path, content: undefined, mode: 0o600, variable: envVariable };
  }
}

/** Puts the file back byte for byte (atomically), or removes it when there was none. */
async function restoreSnapshot({ path, content, mode }: Snapshot): Promise<void> {
  if (content === undefined) return rm(path, { force: true });
  return writeFileAtomically(path, content, mode);
}

/** A key of the account that the sink holds: its Omni ID and public half. */
interface HeldKey {
  /** Omni's ID of the key (its fingerprint). */
  readonly id: string;
  /** The armored public key, to register. */
  readonly armoredPublicKey: string;
}

/**
 * The usable key of account `name` that the snapshot holds (the whole file, or the variable's line): a parseable,
 * unexpired private key named for the account; `undefined` for anything else.
 */
async function heldKey({ content, variable }: Snapshot, name: string): Promise<HeldKey | undefined> {
  const text = content?.toString('utf8') ?? '';
  const value =
    variable === undefined
      ? text
      : text
          .split('\n')
          .find((line) => line.startsWith(`${variable}=`))
          ?.slice(variable.length + 1);
  try {
    if (value === undefined) return undefined;
    const key = parseServiceAccountKey(value.trim(), 'the key destination');
    if (key.name !== name) return undefined;
    const usable = await usablePublicKey(key.armoredPrivateKey);
    return usable && { id: usable.publicKeyId, armoredPublicKey: usable.armoredPublicKey };
  } catch {
    return undefined;
  }
}
