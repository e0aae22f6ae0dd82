import { setTimeout as sleep } from 'node:timers/promises';
import type { ArtifactSet } from '../../generators/artifact.js';
import type { Change, Plan } from '../../plan/change.js';
import { HttpAbortError, HttpError, HttpTlsError } from '../http/errors.js';
import { backoffCeiling } from '../http/retry.js';
import type { Auth0Client } from './client.js';
import type { Auth0ClientPatch, Auth0PlanOptions } from './steps.js';
import { buildAuth0Steps, readAuth0Client } from './steps.js';

/** Options of {@link applyAuth0}. */
export interface Auth0ApplyOptions extends Auth0PlanOptions {
  /** How many times apply reads the application and patches it, when a write failed or went unanswered. Defaults to 6. */
  readonly rounds?: number;
  /** Wait before the second round in milliseconds; doubles each round up to 8 s. Defaults to 500. */
  readonly roundDelayMs?: number;
}

/** What {@link applyAuth0} did. */
export interface Auth0ApplyResult {
  /** The plan it worked from (read fresh from the tenant). */
  readonly plan: Plan;
  /** The change that took effect, if any. */
  readonly applied: readonly Change[];
  /** Always empty: the Auth0 target has nothing that waits for consent. */
  readonly skipped: readonly Change[];
}

/** The application read back after a PATCH does not hold what was written: someone else wrote in between. */
export class Auth0ReadBackError extends Error {}

/**
 * Errors a new round can cure: the server failed or was throttled past the retries, the connection or the answer
 * was lost, or the read-back saw another writer. A 4xx refusal, TLS, credentials and aborts end the apply.
 */
function isRetryable(error: unknown): boolean {
  if (error instanceof Auth0ReadBackError) return true;
  if (!(error instanceof HttpError) || error instanceof HttpAbortError || error instanceof HttpTlsError) return false;
  return error.status === undefined || error.status >= 500 || error.status === 429;
}

/**
 * Sends the merged arrays and reads the application back to check they are what Auth0 now holds.
 *
 * @param client - The Management API client.
 * @param clientId - The application's client ID.
 * @param patch - The PATCH body.
 * @param signal - Cancels the requests.
 * @throws {@link Auth0ReadBackError} when the read-back differs from what was sent.
 */
async function patchAndVerify(
  client: Auth0Client,
  clientId: string,
  patch: Auth0ClientPatch,
  signal: AbortSignal | undefined,
): Promise<void> {
  await client.request('PATCH', `/api/v2/clients/${encodeURIComponent(clientId)}`, {
    json: patch,
    ...(signal ? { signal } : {}),
  });
  const live = await readAuth0Client(client, clientId, signal);
  const sent = Object.entries(patch).filter(([field]) => field !== 'client_metadata');
  const metadata = Object.entries(patch.client_metadata ?? {});
  const differs =
    sent.some(([field, value]) => JSON.stringify(live[field as keyof typeof live]) !== JSON.stringify(value)) ||
    // A key sent as `null` is one to delete: it must be gone.
    metadata.some(([key, value]) => (live.client_metadata?.[key] ?? null) !== value);
  if (differs) {
    throw new Auth0ReadBackError(
      `the Auth0 application ${clientId} changed while it was being updated; it will be read and merged again`,
    );
  }
}

/**
 * Plans and applies the Auth0 application: one `PATCH /api/v2/clients/{clientId}` with `app_type: "spa"`, the whole
 * merged `callbacks`, `allowed_logout_urls` and `web_origins` arrays (the generated URLs added, the URLs the SDK
 * recorded as its own and no longer generates removed, everyone else's kept) and the ownership record in
 * `client_metadata`, then a `GET` that checks Auth0 holds what was sent.
 *
 * Auth0 offers no ETag or If-Match on clients, so this is read, merge, write: a person's edit of these three lists
 * that lands between the read and the PATCH (one round trip) is overwritten; one that lands after it is seen by the
 * read-back, which starts a new round (read, merge, PATCH). A write that fails or goes unanswered is not repeated
 * blindly either: the next round reads the application first and patches only when something is still to do.
 * Rounds are bounded; 4xx refusals, TLS and credential errors end the apply at once.
 *
 * Round trips: one token request (client credentials, cached), one `GET` (plus one `users-by-email` per initial
 * user), then one `PATCH` and one `GET` when something changes; each further round adds the reads again.
 *
 * @param set - The artifact set.
 * @param client - The Management API client.
 * @param options - Rounds, the initial users check, warnings and signal.
 * @returns The first plan and the applied change.
 * @throws The http core's errors (the last one when the rounds run out), `Auth0ReadBackError` when every round
 *   raced another writer, `ArtifactSetError` for an artifact of another tenant.
 *
 * @example
 * ```ts
 * import { readArtifactSet } from '@talos-sdk/topology';
 * import { Auth0Client, applyAuth0, auth0OptionsFromEnv } from '@talos-sdk/topology/auth0';
 *
 * const { domain, credentials, tls } = auth0OptionsFromEnv();
 * const client = new Auth0Client({ domain, credentials, tls });
 * const { applied } = await applyAuth0(await readArtifactSet('out'), client, { onWarning: console.warn });
 * console.log(`applied ${applied.length}`);
 * await client.close();
 * ```
 */
export async function applyAuth0(
  set: ArtifactSet,
  client: Auth0Client,
  options: Auth0ApplyOptions = {},
): Promise<Auth0ApplyResult> {
  const { plan, applied } = await patchInRounds(
    async (round) => {
      // Warnings of the initial users check are told once, in the first round.
      const built = await buildAuth0Steps(
        set,
        client,
        round === 1 ? options : { ...options, onWarning: () => undefined },
      );
      const step = built.step;
      return { plan: built.plan, changes: step ? [step.change] : [], ...(step?.patch ? { patch: step.patch } : {}) };
    },
    client,
    options,
  );
  return { plan, applied, skipped: [] };
}

/** One round's reading of the application: the plan, and the PATCH that carries its changes (absent: nothing to do). */
export interface Auth0PatchRound {
  /** The plan, read fresh. */
  readonly plan: Plan;
  /** The changes the PATCH makes. */
  readonly changes: readonly Change[];
  /** The PATCH body; absent when nothing is left to do. */
  readonly patch?: Auth0ClientPatch;
  /** The application patched; the id of the first change by default. */
  readonly clientId?: string;
}

/**
 * The write loop of apply and destroy: reads the application (`build`), sends its one PATCH and reads it back, and
 * when the write fails, goes unanswered or races another writer, reads again and patches only what is still to do,
 * with backoff, for a bounded number of rounds. A round that finds nothing to do after an unanswered PATCH counts
 * that PATCH's changes as applied.
 *
 * @param build - Reads the application for round `round` (1-based).
 * @param client - The Management API client.
 * @param options - Rounds, backoff and signal.
 * @returns The first plan and the changes that took effect.
 * @throws The http core's errors (the last one when the rounds run out) and {@link Auth0ReadBackError}.
 */
export async function patchInRounds(
  build: (round: number) => Promise<Auth0PatchRound>,
  client: Auth0Client,
  options: Auth0ApplyOptions,
): Promise<{ plan: Plan; applied: readonly Change[] }> {
  const rounds = options.rounds ?? 6;
  let firstPlan: Plan | undefined;
  let unanswered: readonly Change[] = [];
  for (let round = 1; ; round++) {
    let built;
    try {
      built = await build(round);
    } catch (error) {
      if (!isRetryable(error) || round >= rounds) throw error;
      await pause(round, options);
      continue;
    }
    firstPlan ??= built.plan;
    if (!built.patch) return { plan: firstPlan, applied: unanswered };
    try {
      await patchAndVerify(client, built.clientId ?? built.changes[0]!.id, built.patch, options.signal);
      return { plan: firstPlan, applied: built.changes };
    } catch (error) {
      if (!isRetryable(error) || round >= rounds) throw error;
      unanswered = built.changes;
    }
    await pause(round, options);
  }
}

async function pause(round: number, options: Auth0ApplyOptions): Promise<void> {
  const delay = backoffCeiling(round - 1, { baseDelayMs: options.roundDelayMs ?? 500, maxDelayMs: 8_000 });
  await sleep(delay, undefined, options.signal ? { signal: options.signal } : {});
}
