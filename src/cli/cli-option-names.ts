import type { Change, Plan } from '../plan/change.js';
import type { ClientOptionNames } from '../plan/client-option.js';
import { renameClientOptions } from '../plan/client-option.js';

/** The flag or environment variable the CLI has for each client option a library message can name. */
export const CLI_OPTION_NAMES: ClientOptionNames = {
  adopt: '--adopt',
  cluster: '--cluster NAME',
  mintAuthKeys: '--mint-auth-keys',
  prune: '--prune',
  providerKey: '--provider-key-file PATH or --provider-key-env-file PATH',
  regenerateToken: '--regenerate-token',
  serviceAccountKey: 'OMNI_SERVICE_ACCOUNT_KEY',
  skipRootOnly: '--skip-root-only',
  tokenSecret: '--token-secret-file PATH or --token-secret-env-file PATH',
};

/**
 * A library message as the CLI prints it: client options named by their flags or variables.
 *
 * @param message - The library's message.
 * @returns The message for a CLI user.
 */
export function cliMessage(message: string): string {
  return renameClientOptions(message, CLI_OPTION_NAMES);
}

/**
 * A plan as the CLI prints it: the notes of its changes name flags, not library options.
 *
 * @param plan - The plan a client returned.
 * @returns The same plan with every note and every reason passed through {@link cliMessage}.
 */
export function cliPlan<T extends Plan>(plan: T): T {
  return {
    ...plan,
    changes: plan.changes.map(cliChange),
    unmanaged: plan.unmanaged.map((object) => ({ ...object, reason: cliMessage(object.reason) })),
  };
}

/**
 * A change as the CLI prints it (see {@link cliPlan}).
 *
 * @param change - The change.
 * @returns The change with its note in the CLI's words.
 */
export function cliChange(change: Change): Change {
  return change.note === undefined ? change : { ...change, note: cliMessage(change.note) };
}
