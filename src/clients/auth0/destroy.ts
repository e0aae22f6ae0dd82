/**
 * Destroy for Auth0: takes the URLs the SDK recorded as its own out of the application, and its ownership record;
 * the application itself is the person's and stays.
 *
 * @module
 */
import type { ArtifactSet } from '../../generators/artifact.js';
import type { Change, Plan, UnmanagedObject } from '../../plan/change.js';
import { createChange, createPlan } from '../../plan/change.js';
import type { Auth0ApplyOptions, Auth0ApplyResult, Auth0PatchRound } from './apply.js';
import { patchInRounds } from './apply.js';
import { URL_FIELDS, readAuth0Artifacts } from './artifacts.js';
import type { UrlField } from './artifacts.js';
import type { Auth0Client } from './client.js';
import { OWNERSHIP_KEY, ownershipMark, readOwnership } from './ownership.js';
import { readAuth0Client } from './steps.js';

/** Options of {@link planAuth0Destroy} and {@link destroyAuth0}: rounds, backoff and signal. */
export type Auth0DestroyOptions = Pick<Auth0ApplyOptions, 'rounds' | 'roundDelayMs' | 'signal'>;

const URL_KIND: Readonly<Record<UrlField, string>> = {
  callbacks: 'callback-url',
  allowed_logout_urls: 'logout-url',
  web_origins: 'web-origin',
};

/**
 * Reads the application (one `GET`) and works out the destroy: a `delete` per URL whose mark the ownership record in
 * `client_metadata` holds (per field: a URL a person also entered in another field stays there), one for the record
 * itself, and the application as a `no-op` (kept). The PATCH sends each changed list whole, without the owned URLs,
 * and the record's key as `null`, which Auth0 deletes (its PATCH merges `client_metadata` one level deep and removes
 * a key sent as `null`: auth0/terraform-provider-auth0 PR #362, "To correctly remove a key from the client_metadata
 * object we need to send it as null").
 */
async function readDestroy(set: ArtifactSet, client: Auth0Client, signal?: AbortSignal): Promise<Auth0PatchRound> {
  const application = readAuth0Artifacts(set, client.domain);
  if (!application) return { plan: createPlan('auth0', []), changes: [] };
  const live = await readAuth0Client(client, application.clientId, signal);
  const owned = readOwnership(live.client_metadata);
  const changes: Change[] = [];
  const unmanaged: UnmanagedObject[] = [];
  const patch: Record<string, unknown> = {};
  for (const field of URL_FIELDS) {
    const current = live[field] ?? [];
    const isOwned = (url: string): boolean => owned.has(ownershipMark(field, url));
    for (const url of current) {
      if (isOwned(url)) changes.push(createChange('auth0', URL_KIND[field], url, 'delete', [], [`from ${field}`]));
      else unmanaged.push({ kind: URL_KIND[field], id: url, reason: `in ${field}, not recorded as the SDK's; kept` });
    }
    const remaining = current.filter((url) => !isOwned(url));
    if (remaining.length !== current.length) patch[field] = remaining;
  }
  const record = live.client_metadata?.[OWNERSHIP_KEY];
  if (record !== undefined) {
    changes.push(
      createChange('auth0', 'client-metadata', OWNERSHIP_KEY, 'delete', [], ['the ownership record of the URLs']),
    );
    patch['client_metadata'] = { [OWNERSHIP_KEY]: null };
  }
  const kept = createChange(
    'auth0',
    'client',
    application.clientId,
    'no-op',
    [],
    ["the application is the person's; only the SDK's URLs and its record are removed"],
  );
  return {
    plan: createPlan('auth0', [kept, ...changes], unmanaged),
    changes,
    clientId: application.clientId,
    ...(changes.length ? { patch } : {}),
  };
}

/**
 * Plans the destroy of the Auth0 artifact: which URLs of the application the SDK recorded as its own (in
 * `client_metadata["talos-sdk:owned-urls"]`) and would remove, with that record. Reads only.
 *
 * @param set - The artifact set.
 * @param client - The Management API client.
 * @param options - Signal.
 * @returns The plan: a `delete` per owned URL and for the record, the application as kept, a person's URLs unmanaged.
 *
 * @example
 * ```ts
 * import { formatPlan, readArtifactSet } from '@talos-sdk/topology';
 * import { Auth0Client, auth0OptionsFromEnv, planAuth0Destroy } from '@talos-sdk/topology/auth0';
 *
 * const { domain, credentials, tls } = auth0OptionsFromEnv();
 * const client = new Auth0Client({ domain, credentials, tls });
 * console.log(formatPlan(await planAuth0Destroy(await readArtifactSet('out'), client)));
 * await client.close();
 * ```
 */
export async function planAuth0Destroy(
  set: ArtifactSet,
  client: Auth0Client,
  options: Auth0DestroyOptions = {},
): Promise<Plan> {
  return (await readDestroy(set, client, options.signal)).plan;
}

/**
 * Plans the destroy (see {@link planAuth0Destroy}), then removes the owned URLs and the ownership record in one
 * `PATCH /api/v2/clients/{clientId}` and reads the application back, as apply does (the same bounded rounds when the
 * write fails, goes unanswered or races another writer). The application and a person's URLs stay. Running it again
 * finds nothing to remove: without the record, no URL is the SDK's.
 *
 * @param set - The artifact set.
 * @param client - The Management API client.
 * @param options - Rounds and signal.
 * @returns The first plan and the removals that took effect.
 * @throws The http core's errors, `Auth0ReadBackError` when every round raced another writer.
 *
 * @example
 * ```ts
 * import { readArtifactSet } from '@talos-sdk/topology';
 * import { Auth0Client, auth0OptionsFromEnv, destroyAuth0 } from '@talos-sdk/topology/auth0';
 *
 * const { domain, credentials, tls } = auth0OptionsFromEnv();
 * const client = new Auth0Client({ domain, credentials, tls });
 * const { applied } = await destroyAuth0(await readArtifactSet('out'), client);
 * console.log(`removed ${applied.length}`);
 * await client.close();
 * ```
 */
export async function destroyAuth0(
  set: ArtifactSet,
  client: Auth0Client,
  options: Auth0DestroyOptions = {},
): Promise<Auth0ApplyResult> {
  const { plan, applied } = await patchInRounds(() => readDestroy(set, client, options.signal), client, options);
  return { plan, applied, skipped: [] };
}
