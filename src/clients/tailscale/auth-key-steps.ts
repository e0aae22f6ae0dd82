import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createChange } from '../../plan/change.js';
import type { SecretDestination } from '../secret-destination.js';
import { describeSecretDestination, readSecret, writeSecret } from '../secret-destination.js';
import type { DeclaredDevice } from './artifacts.js';
import type { TailnetKey, TailscaleClient } from './client.js';
import type { TailscaleStep } from './step.js';
import { TAILSCALE_PHASES } from './step.js';

/**
 * How long a minted key stays usable: long enough to deliver the stack and start it, short enough that a key left
 * unused is not a standing credential (the API allows up to 90 days).
 */
export const AUTH_KEY_LIFETIME_SECONDS = 7 * 24 * 3600;

/**
 * The description the SDK gives the auth key it mints for a sidecar: the only field of a key it can find it again by
 * after a create whose answer was lost (the secret is returned once, by the create). The API takes at most 50 letters,
 * digits, hyphens and spaces, so a longer name becomes a digest.
 *
 * @param topology - Topology name.
 * @param hostname - The sidecar's host name.
 * @returns E.g. `talos-topology spaceships omni`.
 */
export function authKeyDescription(topology: string, hostname: string): string {
  const readable = `talos-topology ${topology} ${hostname}`;
  if (readable.length <= 50 && /^[A-Za-z0-9 -]+$/.test(readable)) return readable;
  return `talos-topology ${createHash('sha256').update(`${topology}/${hostname}`).digest('hex').slice(0, 32)}`;
}

/** The key id inside an auth key's secret, `tskey-auth-<id>-<secret>`. */
function keyIdOf(secret: string): string | undefined {
  return /^tskey-auth-([A-Za-z0-9]+)-/.exec(secret)?.[1];
}

/**
 * Reads the descriptions of the tailnet's keys: one `GET …/keys`, plus one `GET …/keys/{id}` for each key the listing
 * gives without a description (older API versions list ids only, tailscale-client-go-v2 `keys.go` `List`).
 *
 * @param client - The client.
 * @param signal - Cancels the requests.
 * @returns The usable keys with their descriptions.
 */
export async function readLiveKeys(client: TailscaleClient, signal: AbortSignal | undefined): Promise<TailnetKey[]> {
  const keys = await client.listKeys(signal);
  return Promise.all(
    keys.map(async (key) => (key.description === undefined ? client.getKey(key.id, signal) : key)),
  ).then((all) => all.filter((key) => !key.invalid));
}

/**
 * Works out `--mint-auth-keys` for the sidecars not in the tailnet yet. A sidecar whose stack `.env` in the output
 * folder already has a value for its auth-key variable gets nothing new (that key waits for the sidecar's first
 * start). One without gets a new tagged, single-use, preauthorized, non-ephemeral key, written only into that `.env`
 * (0600, atomic, never through a symbolic link), never printed. A create whose answer was lost leaves a key nobody
 * holds: it carries the SDK's description, so the next plan finds it and apply deletes it before creating the key it
 * keeps, and a key the SDK made for the sidecar other than the one in the `.env` is deleted too: one live key per
 * sidecar.
 *
 * @param topology - Topology name (in the keys' descriptions).
 * @param notJoined - The declared nodes not in the tailnet.
 * @param liveKeys - The tailnet's usable keys with descriptions.
 * @param outDir - The output folder, where the stacks' `.env` files are.
 * @returns The steps.
 */
export async function buildAuthKeySteps(
  topology: string,
  notJoined: readonly DeclaredDevice[],
  liveKeys: readonly TailnetKey[],
  outDir: string,
): Promise<TailscaleStep[]> {
  const steps: TailscaleStep[] = [];
  for (const declared of notJoined) {
    const destination: SecretDestination = { envFile: join(outDir, declared.authKey.envFile) };
    const where = describeSecretDestination(destination, declared.authKey.env);
    const description = authKeyDescription(topology, declared.hostname);
    const ours = liveKeys.filter((key) => key.description === description);
    const held = await readSecret(destination, declared.authKey.env);
    if (held !== undefined) {
      const heldId = keyIdOf(held);
      const orphans = ours.filter((key) => key.id !== heldId);
      if (!orphans.length) {
        steps.push({
          phase: TAILSCALE_PHASES.authKeys,
          change: createChange(
            'tailscale',
            'auth-key',
            declared.hostname,
            'no-op',
            [],
            [`${where} holds an auth key; the sidecar joins with it on its first start`],
          ),
        });
        continue;
      }
      steps.push({
        phase: TAILSCALE_PHASES.authKeys,
        change: createChange(
          'tailscale',
          'auth-key',
          `${declared.hostname} unused`,
          'delete',
          [],
          [`${orphans.length} key(s) the SDK created for ${declared.hostname} that never reached ${where}`],
        ),
        run: async (client, signal) => {
          for (const key of orphans) await client.deleteKey(key.id, signal);
        },
      });
      continue;
    }
    steps.push({
      phase: TAILSCALE_PHASES.authKeys,
      change: createChange(
        'tailscale',
        'auth-key',
        declared.hostname,
        'create',
        [{ path: 'tags', after: [...declared.tags] }],
        [
          `single-use, preauthorized, non-ephemeral; written to ${where} only, never printed`,
          ours.length ? `first deletes ${ours.length} unused key(s) from an earlier run whose answer was lost` : '',
        ],
      ),
      run: async (client, signal) => {
        for (const key of ours) await client.deleteKey(key.id, signal);
        const created = await client.createAuthKey(
          { tags: declared.tags, description, expirySeconds: AUTH_KEY_LIFETIME_SECONDS },
          signal,
        );
        await writeSecret(destination, declared.authKey.env, created.key);
      },
    });
  }
  return steps;
}
