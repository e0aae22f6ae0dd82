import type { ArgvOption } from './argv.js';
import { ArgvError, parseArgv } from './argv.js';
import type { Command } from './command-table.js';
import { COMMANDS, isCommand } from './command-table.js';
import type { OptionName } from './option-table.js';
import { GLOBAL_OPTIONS, OPTIONS } from './option-table.js';
import { closestWord } from './suggest.js';

export type { Command } from './command-table.js';

/** The parsed command line of a command to run. */
export interface CliArgs {
  /** The command. */
  readonly command: Command;
  /** The topology file (or, for `init`, the file to write; for `apply`, the saved plan to apply), when given. */
  readonly file: string | undefined;
  /** `--example`: the built-in spaceships example instead of a topology file. */
  readonly example: boolean;
  /** `--out DIR` (default `out`). */
  readonly out: string;
  /** `--json`: every outcome as JSON on stdout. */
  readonly json: boolean;
  /** `--force`: overwrite hand-edited generated files; for `init`, an existing file. */
  readonly force: boolean;
  /** `--quiet`: no progress lines while waiting. */
  readonly quiet: boolean;
  /** `--target T` for plan and apply (repeatable); empty for every target with credentials and artifacts. */
  readonly targets: readonly string[];
  /** `--skip-rule ID` (repeatable). */
  readonly skipRules: readonly string[];
  /** `--no-color`: wins over `FORCE_COLOR` and a terminal. */
  readonly noColor: boolean;
  /** `--cluster NAME`: the Proxmox cluster to plan (when the artifacts cover several), or the Talos cluster of `status`. */
  readonly cluster: string | undefined;
  /** `--token-secret-file PATH`: where apply writes a new Proxmox token secret. */
  readonly tokenSecretFile: string | undefined;
  /** `--token-secret-env-file PATH`: an env file apply adds the new token secret to. */
  readonly tokenSecretEnvFile: string | undefined;
  /** `--regenerate-token`: replace an existing Proxmox token whose secret is not at the token secret destination. */
  readonly regenerateToken: boolean;
  /** `--skip-root-only`: apply what a token can and list the root@pam steps. */
  readonly skipRootOnly: boolean;
  /** `--prune`: delete undeclared UniFi DNS records inside the zone. */
  readonly prune: boolean;
  /** `--adopt`: take over existing UniFi DNS records and Proxmox guests the SDK cannot prove it made. */
  readonly adopt: boolean;
  /** `--mint-auth-keys`: create auth keys for sidecars not in the tailnet yet, into their stacks' `.env`. */
  readonly mintAuthKeys: boolean;
  /** `--yes` / `--auto-approve`: apply without asking for confirmation. */
  readonly yes: boolean;
  /** `--detailed-exitcode`: plan exits 2 when changes are planned. */
  readonly detailedExitcode: boolean;
  /** `--format`: how `plan` and `drift` print their document (`text` by default; `markdown` for a pull-request comment). */
  readonly format: OutputFormat;
  /** `plan --refresh-only`: report drift instead of the changes (the same as `drift`). */
  readonly refreshOnly: boolean;
  /** `--state PATH`: the applied-state file apply writes and drift reads, instead of the one beside `--out`. */
  readonly state: string | undefined;
  /** `--save FILE`: where plan writes the saved plan that `apply FILE` applies. */
  readonly savePlan: string | undefined;
  /** `--wait`: `status` waits for its cluster; Omni's apply then waits for every cluster in `--out`. */
  readonly wait: boolean;
  /** `--timeout SECONDS` for `status --wait` and `apply --wait` (default 300). */
  readonly timeoutSeconds: number;
  /** `--provider-key-file PATH`: where Omni apply writes a newly registered infra provider's key. */
  readonly providerKeyFile: string | undefined;
  /** `--provider-key-env-file PATH`: an env file Omni apply adds the new provider key to. */
  readonly providerKeyEnvFile: string | undefined;
  /** `--provider-timeout SECONDS`: how long Omni apply waits for infra providers to connect (default 300). */
  readonly providerTimeoutSeconds: number;
  /** `init --ts`: write a TypeScript topology rather than YAML. */
  readonly typescript: boolean;
  /** `--provider-key-host`: Omni apply carries a newly registered provider's key to its host over SSH. */
  readonly providerKeyHost: boolean;
  /** `--trust-new-host-keys`: hosts: accept a host key known_hosts does not list yet, printing its fingerprint. */
  readonly trustNewHostKeys: boolean;
}

/** How a command prints its document for people (`--json` prints it for machines). */
export type OutputFormat = 'text' | 'markdown';

/** What the command line asks for. */
export type CommandLine =
  | { readonly kind: 'run'; readonly args: CliArgs }
  | { readonly kind: 'help'; readonly command: Command | undefined; readonly json: boolean }
  | { readonly kind: 'version'; readonly json: boolean };

/** Thrown for a command line the CLI cannot use; the message says what to type instead. */
export class UsageError extends Error {
  /** Always `UsageError`. */
  override readonly name = 'UsageError';
}

/** The options of the given names, as the parser reads them. */
function parseOptions(names: readonly OptionName[]): Record<string, ArgvOption> {
  return Object.fromEntries(names.map((name) => [name, OPTIONS[name]]));
}

/**
 * The options a command takes: its own, the global ones and `--version`.
 *
 * @param command - The command, or `undefined` for the options of every command.
 * @returns The options' long names, the command's own first.
 */
export function commandOptions(command: Command | undefined): readonly OptionName[] {
  const own: readonly OptionName[] = command ? COMMANDS[command].options : [];
  return [...own, ...GLOBAL_OPTIONS, 'version'];
}

/** The usage error of a command line that does not fit: an unknown option gets a "did you mean" when one is close. */
function usageErrorOf(error: ArgvError, command: Command | undefined): UsageError {
  if (error.kind !== 'unknown') return new UsageError(error.message);
  const unknown = error.option;
  const known = commandOptions(command).map((name) => `--${name}`);
  const suggestion = closestWord(unknown, known);
  const elsewhere = command
    ? (Object.keys(OPTIONS) as OptionName[]).includes(unknown.replace(/^--/, '') as OptionName)
    : false;
  if (elsewhere) return new UsageError(`${command} does not take ${unknown}`);
  return new UsageError(`unknown option ${unknown}${suggestion ? `; did you mean ${suggestion}?` : ''}`);
}

function wholeSeconds(value: string, option: string): number {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1) throw new UsageError(`${option} takes whole seconds`);
  return seconds;
}

/** The first word that is not an option, i.e. the command (options come after it, but `--json help` works too). */
function commandWord(argv: readonly string[]): string | undefined {
  return parseArgv(argv, parseOptions(Object.keys(OPTIONS) as OptionName[]), false).positionals[0];
}

function unknownCommand(word: string): UsageError {
  const suggestion = closestWord(word, [...Object.keys(COMMANDS), 'help']);
  return new UsageError(`unknown command "${word}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`);
}

/**
 * Parses the command line: the command first, then only the options that command takes (see `COMMANDS`).
 *
 * @param argv - The arguments after the program name.
 * @returns What to do: run a command, print help (of one command, or of all), or print the version.
 * @throws {@link UsageError} for an unknown command or option, an option the command does not take, a missing
 *   required option or a bad value.
 */
export function parseCliArgs(argv: readonly string[]): CommandLine {
  const word = commandWord(argv);
  const command = word !== undefined && isCommand(word) ? word : undefined;
  if (word !== undefined && word !== 'help' && !command) throw unknownCommand(word);
  let parsed;
  try {
    parsed = parseArgv(argv, parseOptions(commandOptions(command)));
  } catch (error) {
    throw error instanceof ArgvError ? usageErrorOf(error, command) : error;
  }
  const values = parsed.values as Readonly<Record<string, string | boolean | string[] | undefined>>;
  const flag = (name: OptionName): boolean => values[name] === true;
  const text = (name: OptionName): string | undefined => values[name] as string | undefined;
  const json = flag('json');
  if (flag('version')) return { kind: 'version', json };
  const [, ...rest] = parsed.positionals;
  if (word === undefined) return { kind: 'help', command: undefined, json };
  if (word === 'help') {
    const topic = rest[0];
    if (topic !== undefined && !isCommand(topic)) throw unknownCommand(topic);
    if (rest.length > 1) throw new UsageError(`unexpected arguments: ${rest.slice(1).join(' ')}`);
    return { kind: 'help', command: topic, json };
  }
  const name = command!;
  if (flag('help')) return { kind: 'help', command: name, json };
  const spec = COMMANDS[name];
  const [file, ...extra] = rest;
  if (extra.length > 0 || (file !== undefined && !spec.takesFile)) {
    throw new UsageError(`unexpected arguments: ${(spec.takesFile ? extra : rest).join(' ')}`);
  }
  if (file !== undefined && flag('example')) throw new UsageError('give a topology file or --example, not both');
  if (name === 'status' && (!text('cluster') || !flag('wait'))) {
    throw new UsageError('status needs --cluster NAME --wait');
  }
  const out = text('out') ?? OPTIONS.out.default;
  // An empty --out would resolve to the working directory and write the artifacts among the user's own files.
  if (out.trim() === '') throw new UsageError('--out needs a folder path (an empty one means the current folder)');
  if (
    [text('provider-key-file'), text('provider-key-env-file'), flag('provider-key-host')].filter(Boolean).length > 1
  ) {
    throw new UsageError('give one of --provider-key-file, --provider-key-env-file and --provider-key-host');
  }
  if (flag('yaml') && flag('ts')) throw new UsageError('give --yaml or --ts, not both');
  const format = text('format') ?? OPTIONS.format.default;
  if (format !== 'text' && format !== 'markdown') throw new UsageError('--format takes text or markdown');
  // Two documents on one stdout would parse as neither.
  if (json && text('format') !== undefined) throw new UsageError('give --json or --format, not both');
  return {
    kind: 'run',
    args: {
      command: name,
      file,
      example: flag('example'),
      out,
      json,
      force: flag('force'),
      quiet: flag('quiet'),
      targets: (values['target'] as string[] | undefined) ?? [],
      skipRules: (values['skip-rule'] as string[] | undefined) ?? [],
      noColor: flag('no-color'),
      cluster: text('cluster'),
      tokenSecretFile: text('token-secret-file'),
      tokenSecretEnvFile: text('token-secret-env-file'),
      regenerateToken: flag('regenerate-token'),
      skipRootOnly: flag('skip-root-only'),
      prune: flag('prune'),
      adopt: flag('adopt'),
      mintAuthKeys: flag('mint-auth-keys'),
      wait: flag('wait'),
      yes: flag('yes') || flag('auto-approve'),
      detailedExitcode: flag('detailed-exitcode'),
      format,
      refreshOnly: flag('refresh-only'),
      state: text('state'),
      savePlan: text('save'),
      timeoutSeconds: wholeSeconds(text('timeout') ?? OPTIONS.timeout.default, '--timeout'),
      providerKeyFile: text('provider-key-file'),
      providerKeyEnvFile: text('provider-key-env-file'),
      providerTimeoutSeconds: wholeSeconds(
        text('provider-timeout') ?? OPTIONS['provider-timeout'].default,
        '--provider-timeout',
      ),
      typescript: flag('ts'),
      providerKeyHost: flag('provider-key-host'),
      trustNewHostKeys: flag('trust-new-host-keys'),
    },
  };
}
