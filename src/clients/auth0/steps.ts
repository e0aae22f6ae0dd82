import type { ArtifactSet } from '../../generators/artifact.js';
import type { Change, FieldDiff, Plan, UnmanagedObject } from '../../plan/change.js';
import { createChange, createPlan } from '../../plan/change.js';
import { HttpNotFoundError, HttpPermissionError } from '../http/errors.js';
import type { Auth0ApplicationSpec, UrlField } from './artifacts.js';
import { URL_FIELDS, readAuth0Artifacts } from './artifacts.js';
import type { Auth0Client } from './client.js';
import { OWNERSHIP_KEY, formatOwnership, ownershipMark, readOwnership } from './ownership.js';

/** The fields of an Auth0 client (`GET /api/v2/clients/{id}`) the plan reads. */
export interface Auth0ClientObject {
  /** The client ID. */
  readonly client_id: string;
  /** `spa`, `native`, `regular_web`, `non_interactive`…; absent on clients created without one. */
  readonly app_type?: string;
  /** Allowed Callback URLs. */
  readonly callbacks?: readonly string[];
  /** Allowed Logout URLs. */
  readonly allowed_logout_urls?: readonly string[];
  /** Allowed Web Origins. */
  readonly web_origins?: readonly string[];
  /** String key/value metadata; holds the SDK's ownership record. */
  readonly client_metadata?: Readonly<Record<string, string>>;
}

/** The body the SDK sends to `PATCH /api/v2/clients/{id}`: whole arrays, and its ownership record. */
export type Auth0ClientPatch = {
  /** The application type. */
  readonly app_type?: 'spa';
  /**
   * Only the SDK's key: Auth0 merges `client_metadata` one level deep on PATCH, other keys stay, and a key sent as
   * `null` is deleted (destroy).
   */
  readonly client_metadata?: Readonly<Record<string, string | null>>;
} & Partial<Readonly<Record<UrlField, readonly string[]>>>;

/** Options shared by `planAuth0` and `applyAuth0`. */
export interface Auth0PlanOptions {
  /**
   * Looks up each of Omni's `initialUsers` (`GET /api/v2/users-by-email`) and warns when the tenant has no such
   * user. Defaults to `true`.
   */
  readonly checkInitialUsers?: boolean;
  /** Receives warnings (an initial user missing, the check skipped). */
  readonly onWarning?: (message: string) => void;
  /** Cancels the requests. */
  readonly signal?: AbortSignal;
}

/** The plan's change and what applying it does. */
export interface Auth0Step {
  /** The change as the plan shows it. */
  readonly change: Change;
  /** The PATCH body; absent for `no-op`. */
  readonly patch?: Auth0ClientPatch;
}

/** The plan for a tenant and the step behind it. */
export interface Auth0Steps {
  /** The plan: the application, plus URLs left alone. */
  readonly plan: Plan;
  /** The step; absent when the set has no Auth0 artifact. */
  readonly step?: Auth0Step;
  /** The application as the artifact declares it. */
  readonly application?: Auth0ApplicationSpec;
}

/** The client fields the plan reads (the client secret is never asked for). */
export const CLIENT_FIELDS = ['client_id', 'app_type', ...URL_FIELDS, 'client_metadata'] as const;

const UNMANAGED_KIND: Readonly<Record<UrlField, string>> = {
  callbacks: 'callback-url',
  allowed_logout_urls: 'logout-url',
  web_origins: 'web-origin',
};

/**
 * Reads one client, only the fields the plan needs.
 *
 * @param client - The Management API client.
 * @param clientId - The application's client ID.
 * @param signal - Cancels the request.
 * @returns The client's fields.
 * @throws Error naming the client and tenant when it does not exist; the http core's errors otherwise.
 */
export async function readAuth0Client(
  client: Auth0Client,
  clientId: string,
  signal?: AbortSignal,
): Promise<Auth0ClientObject> {
  try {
    const response = await client.request('GET', `/api/v2/clients/${encodeURIComponent(clientId)}`, {
      query: { fields: CLIENT_FIELDS.join(','), include_fields: true },
      ...(signal ? { signal } : {}),
    });
    return response.body as Auth0ClientObject;
  } catch (error) {
    if (!(error instanceof HttpNotFoundError)) throw error;
    throw new Error(
      `the Auth0 tenant ${client.domain} has no application with client ID ${clientId} (omni.auth0.clientId): ` +
        `create the Single Page Application in the Auth0 dashboard and put its client ID in the topology`,
      { cause: error },
    );
  }
}

/** What {@link mergeApplication} works out. */
export interface ApplicationMerge {
  /** One diff per field that changes: `app_type`, a URL list, the ownership record. */
  readonly fields: FieldDiff[];
  /** The PATCH body; empty when nothing differs. */
  readonly patch: Auth0ClientPatch;
  /** Live URLs left alone: a person's. */
  readonly unmanaged: UnmanagedObject[];
}

/**
 * Merges the generated URLs into the live application. In each URL field, a URL the artifact lists is added when
 * missing; a live URL the artifact no longer lists is removed only when the ownership record in `client_metadata`
 * says the SDK put it there; every other URL (a person's) is kept in place and reported as unmanaged. A generated URL
 * that was already there is recorded as owned from then on.
 *
 * @param live - The application as the API returns it.
 * @param spec - The artifact.
 * @returns The field diffs, the PATCH body (empty when nothing differs) and the URLs left alone.
 */
export function mergeApplication(live: Auth0ClientObject, spec: Auth0ApplicationSpec): ApplicationMerge {
  const owned = readOwnership(live.client_metadata);
  const fields: FieldDiff[] = [];
  const patch: Record<string, unknown> = {};
  const unmanaged: UnmanagedObject[] = [];
  if (live.app_type !== spec.body.app_type) {
    fields.push({ path: 'app_type', ...(live.app_type === undefined ? {} : { before: live.app_type }), after: 'spa' });
    patch['app_type'] = spec.body.app_type;
  }
  for (const field of URL_FIELDS) {
    const current = live[field] ?? [];
    const desired = spec.body[field];
    const isOwned = (url: string): boolean => owned.has(ownershipMark(field, url));
    const kept = current.filter((url) => desired.includes(url) || !isOwned(url));
    const merged = [...kept, ...desired.filter((url) => !kept.includes(url))];
    for (const url of current.filter((item) => !desired.includes(item) && !isOwned(item))) {
      unmanaged.push({
        kind: UNMANAGED_KIND[field],
        id: url,
        reason: `in ${field} but not generated nor recorded as the SDK's in client_metadata['${OWNERSHIP_KEY}']; kept`,
      });
    }
    if (merged.length !== current.length || merged.some((url, index) => url !== current[index])) {
      fields.push({ path: field, before: current, after: merged });
      patch[field] = merged;
    }
  }
  const record = formatOwnership(spec.body);
  const liveRecord = live.client_metadata?.[OWNERSHIP_KEY];
  if (liveRecord !== record) {
    const path = `client_metadata.${OWNERSHIP_KEY}`;
    fields.push({ path, ...(liveRecord === undefined ? {} : { before: liveRecord }), after: record });
    patch['client_metadata'] = { [OWNERSHIP_KEY]: record };
  }
  return { fields, patch: patch as Auth0ClientPatch, unmanaged };
}

/**
 * Looks up Omni's initial users in the tenant and words a warning for each one that cannot sign in. The lookup is
 * exact and case-sensitive (Auth0 docs, "Retrieve Users with Get Users by Email Endpoint"; Auth0 stores the e-mail of
 * its own database users in lower case), so the e-mail is sent exactly as the topology spells it. Needs `read:users`:
 * without it the check is skipped with a warning.
 *
 * @param client - The Management API client.
 * @param emails - Omni's `initialUsers`.
 * @param signal - Cancels the requests.
 * @returns One warning per missing user, or one saying the check was skipped.
 */
export async function checkInitialUsers(
  client: Auth0Client,
  emails: readonly string[],
  signal?: AbortSignal,
): Promise<string[]> {
  try {
    const found = await Promise.all(
      emails.map(async (email) => {
        const response = await client.request('GET', '/api/v2/users-by-email', {
          query: { email, fields: 'user_id,email', include_fields: true },
          ...(signal ? { signal } : {}),
        });
        return Array.isArray(response.body) && response.body.length > 0;
      }),
    );
    return emails
      .filter((_email, index) => !found[index])
      .map(
        (email) =>
          `initial user ${email} has no account in Auth0 tenant ${client.domain}: Omni's first administrator cannot ` +
          `sign in until it exists (the lookup is case-sensitive and Auth0 keeps its own users' e-mails in lower case)`,
      );
  } catch (error) {
    if (!(error instanceof HttpPermissionError)) throw error;
    return [
      `skipped checking Omni's initial users in Auth0 tenant ${client.domain}: the Management API token lacks the ` +
        `read:users scope`,
    ];
  }
}

/**
 * Reads the application (one `GET`, plus one `users-by-email` per initial user, concurrently; plus one token request
 * with client credentials) and works out the change.
 *
 * @param set - The artifact set.
 * @param client - The Management API client.
 * @param options - The initial users check, warnings and signal.
 * @returns The plan and its step.
 * @throws `ArtifactSetError` for an artifact of another tenant; the http core's errors.
 */
export async function buildAuth0Steps(
  set: ArtifactSet,
  client: Auth0Client,
  options: Auth0PlanOptions = {},
): Promise<Auth0Steps> {
  const application = readAuth0Artifacts(set, client.domain);
  if (!application) return { plan: createPlan('auth0', []) };
  const users = options.checkInitialUsers === false ? [] : (application.initialUsers ?? []);
  const [live, warnings] = await Promise.all([
    readAuth0Client(client, application.clientId, options.signal),
    users.length ? checkInitialUsers(client, users, options.signal) : Promise.resolve([]),
  ]);
  for (const warning of warnings) options.onWarning?.(warning);
  const { fields, patch, unmanaged } = mergeApplication(live, application);
  const action = fields.length ? 'update' : 'no-op';
  const change = createChange('auth0', 'client', application.clientId, action, fields, warnings);
  const step: Auth0Step = action === 'update' ? { change, patch } : { change };
  return { plan: createPlan('auth0', [change], unmanaged), step, application };
}
