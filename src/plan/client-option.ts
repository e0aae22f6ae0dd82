/**
 * Client options that messages tell a user to set. A library message names an option in one fixed form,
 * {@link clientOptionText}, so that a front end with its own spelling (the CLI's `--skip-root-only`, an environment
 * variable) can name it its way with {@link renameClientOptions} instead of leaking the TypeScript option name.
 *
 * @module
 */

/** The client options that errors, refusals and plan notes can point a user to. */
export const CLIENT_OPTIONS = [
  'adopt',
  'cluster',
  'mintAuthKeys',
  'prune',
  'providerKey',
  'regenerateToken',
  'serviceAccountKey',
  'skipRootOnly',
  'tokenSecret',
] as const;

/** One of {@link CLIENT_OPTIONS}. */
export type ClientOption = (typeof CLIENT_OPTIONS)[number];

/** How a front end names each client option, e.g. `{ skipRootOnly: '--skip-root-only', ... }`. */
export type ClientOptionNames = Readonly<Record<ClientOption, string>>;

/**
 * The text every library message uses for an option: `the skipRootOnly option`.
 *
 * @param option - The option.
 * @returns Its name as TypeScript callers write it, in the fixed form {@link renameClientOptions} recognises.
 */
export function clientOptionText(option: ClientOption): string {
  return `the ${option} option`;
}

const OPTION_TEXT = new RegExp(`the (${CLIENT_OPTIONS.join('|')}) option`, 'g');

/**
 * Names the client options in a library message the way a front end spells them.
 *
 * @param message - A message from a client (an error, a refusal, a plan note).
 * @param names - The front end's name of each option.
 * @returns The message with every {@link clientOptionText} replaced by the front end's name.
 */
export function renameClientOptions(message: string, names: ClientOptionNames): string {
  return message.replace(OPTION_TEXT, (_, option: ClientOption) => names[option]);
}

/**
 * A client cannot go on without an option the caller did not give (where to write a secret returned once, which
 * cluster to act on). The message names the option with {@link clientOptionText}; `option` names it as data.
 */
export class MissingClientOptionError extends Error {
  /** The option to give. */
  readonly option: ClientOption;

  /**
   * @param option - The option to give.
   * @param message - What cannot be done without it, naming it with {@link clientOptionText}.
   */
  constructor(option: ClientOption, message: string) {
    super(message);
    this.name = 'MissingClientOptionError';
    this.option = option;
  }
}
