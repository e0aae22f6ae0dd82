import { HttpAbortError, HttpError, HttpTlsError } from '../http/errors.js';
import { createChange } from '../../plan/change.js';
import type { AccessToken } from './artifacts.js';
import type { ProxmoxClient } from './client.js';
import type { SecretDestination } from '../secret-destination.js';
import {
  checkSecretDestination,
  describeSecretDestination,
  hasSecret,
  removeSecret,
  writeSecret,
} from '../secret-destination.js';
import type { ProxmoxPlanOptions, ProxmoxStep, StepContext } from './step.js';
import { signalOf } from './step.js';
import { clientOptionText } from '../../plan/client-option.js';

/** The planned token steps, and whether applying them replaces the live token. */
interface TokenPlan {
  /** The token's step, and the step for its secret when that is missing from the destination. */
  readonly steps: readonly ProxmoxStep[];
  /** `true` when apply deletes the live token and creates it again, which drops the token's ACL entries. */
  readonly regenerates: boolean;
}

/** How many times apply creates a token whose answer was lost before giving up (each try checks what exists). */
const CREATE_ATTEMPTS = 5;

/**
 * Plans the provider's API token. A missing token is created and its secret written to the destination. An existing
 * one is updated in place. When a destination is given and holds no secret for it (e.g. writing it failed after the
 * token was created), the plan has a `token-secret` change: Proxmox shows a secret only once, so apply cannot make it
 * and refuses until the secret is put there or `regenerateToken` asks to delete the token and create it again (which
 * invalidates the old secret). A destination that is a symbolic link is refused here, before apply changes anything.
 *
 * @param token - The token artifact.
 * @param userExists - Whether its user exists live (else it has no tokens to list).
 * @param client - A connected client.
 * @param options - The secret destination, the regeneration opt-in and signal.
 * @returns The step and whether it regenerates the token.
 */
export async function tokenStep(
  token: AccessToken,
  userExists: boolean,
  client: ProxmoxClient,
  options: ProxmoxPlanOptions,
): Promise<TokenPlan> {
  const signal = options.signal;
  const fullId = `${token.userid}!${token.tokenid}`;
  const liveToken = userExists ? await findToken(client, token, signal) : undefined;
  const wanted = {
    ...(token.privsep === undefined ? {} : { privsep: token.privsep }),
    ...(token.comment === undefined ? {} : { comment: token.comment }),
  };
  const base = { rootOnly: false, phase: 3 };
  const destination = options.tokenSecret;
  if (destination) await checkSecretDestination(destination);
  const create =
    (replace: boolean) =>
    ({ client: c, options: o }: StepContext): Promise<void> =>
      createToken(c, token, wanted, o.tokenSecret!, replace, signal);

  if (!liveToken) {
    const note = destination
      ? `secret written to ${describeSecretDestination(destination, token.secretEnv)} (mode 0600)`
      : `the secret is returned once: give ${clientOptionText('tokenSecret')} (a file, or an env file for ${token.secretEnv}) or apply refuses`;
    const fields = Object.entries(wanted).map(([path, after]) => ({ path, after }));
    return {
      regenerates: false,
      steps: [
        {
          ...base,
          createsToken: true,
          change: createChange('proxmox', 'token', fullId, 'create', fields, [note]),
          run: create(false),
        },
      ],
    };
  }

  const live: Record<string, unknown> = { privsep: liveToken.privsep ?? 1, comment: liveToken.comment ?? '' };
  const fields = Object.entries(wanted)
    .filter(([key, value]) => String(live[key]) !== String(value))
    .map(([path, after]) => ({ path, before: live[path], after }));
  let secretStep: ProxmoxStep | undefined;
  if (destination && !(await hasSecret(destination, token.secretEnv))) {
    const where = 'file' in destination ? destination.file : `${destination.envFile} (${token.secretEnv})`;
    if (options.regenerateToken) {
      const secretField = { path: 'secret', before: '(not at destination)', after: '(regenerated)' };
      return {
        regenerates: true,
        steps: [
          {
            ...base,
            createsToken: true,
            change: createChange(
              'proxmox',
              'token',
              fullId,
              'update',
              [...fields, secretField],
              [`secret not at ${where}; apply regenerates the token (the old secret stops working)`],
            ),
            run: create(true),
          },
        ],
      };
    }
    const missing =
      `secret not at ${where}: Proxmox shows a token secret only once, so apply cannot write it; put the secret ` +
      `there, or apply with ${clientOptionText('regenerateToken')} to replace the token (the old secret stops working)`;
    secretStep = {
      ...base,
      createsToken: false,
      change: createChange('proxmox', 'token-secret', fullId, 'create', [], [missing]),
      refusal: `token ${fullId}: ${missing}`,
    };
  }
  const form = Object.fromEntries(fields.map((field) => [field.path, field.after as string | number]));
  const tokenUpdate: ProxmoxStep = {
    ...base,
    createsToken: false,
    change: createChange('proxmox', 'token', fullId, fields.length ? 'update' : 'no-op', fields),
    ...(fields.length
      ? {
          run: async ({ client: c }) => void (await c.request('PUT', tokenPath(token), { form, ...signalOf(signal) })),
        }
      : {}),
  };
  return { regenerates: false, steps: secretStep ? [tokenUpdate, secretStep] : [tokenUpdate] };
}

/**
 * Creates the token and writes its secret; with `replace`, a live token of that ID is deleted first. `POST` is not
 * retried blindly: when its answer may be lost (connection reset, timeout, 5xx), Proxmox may have created the token
 * with a secret no one saw, so the secret at the destination is removed and the next try deletes such a token first.
 */
async function createToken(
  client: ProxmoxClient,
  token: AccessToken,
  form: Readonly<Record<string, string | number>>,
  destination: SecretDestination,
  replace: boolean,
  signal: AbortSignal | undefined,
): Promise<void> {
  const path = tokenPath(token);
  for (let attempt = 1, check = replace; ; attempt++, check = true) {
    try {
      if (check && (await findToken(client, token, signal))) await client.request('DELETE', path, signalOf(signal));
      const created = await client.request<{ value: string }>('POST', path, { form, ...signalOf(signal) });
      client.http.secrets.add(created.value);
      await writeSecret(destination, token.secretEnv, created.value);
      return;
    } catch (error) {
      if (!answerMayBeLost(error)) throw error;
      await removeSecret(destination, token.secretEnv);
      if (attempt >= CREATE_ATTEMPTS || error instanceof HttpAbortError) throw error;
    }
  }
}

function answerMayBeLost(error: unknown): boolean {
  return (
    error instanceof HttpError &&
    !(error instanceof HttpTlsError) &&
    (error.status === undefined || error.status >= 500)
  );
}

async function findToken(
  client: ProxmoxClient,
  token: AccessToken,
  signal: AbortSignal | undefined,
): Promise<{ tokenid: string; comment?: string; privsep?: number } | undefined> {
  const tokens = await client.get<{ tokenid: string; comment?: string; privsep?: number }[]>(
    `/access/users/${encodeURIComponent(token.userid)}/token`,
    undefined,
    signal,
  );
  return tokens.find((item) => item.tokenid === token.tokenid);
}

function tokenPath(token: AccessToken): string {
  return `/access/users/${encodeURIComponent(token.userid)}/token/${encodeURIComponent(token.tokenid)}`;
}
