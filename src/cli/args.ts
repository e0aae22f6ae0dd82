import { parseArgs } from 'node:util';
import { closestWord } from './suggest.js';

/** The commands the CLI knows. */
const COMMANDS = ['validate', 'generate', 'check', 'schema', 'plan', 'apply', 'status'] as const;

/** One of {@link COMMANDS}. */
export type Command = (typeof COMMANDS)[number];

/** The parsed command line. */
export interface CliArgs {
  /** The command. */
  readonly command: Command;
  /** The topology file, when given. */
  readonly file: string | undefined;
  /** `--out DIR` (default `out`). */
  readonly out: string;
  /** `--json`: machine-readable output. */
  readonly json: boolean;
  /** `--force`: overwrite hand-edited generated files. */
  readonly force: boolean;
  /** `--target omni|proxmox|unifi|hosts` for plan and apply. */
  readonly target: string | undefined;
  /** `--skip-rule ID` (repeatable). */
  readonly skipRules: readonly string[];
  /** `--no-color`. */
  readonly color: boolean;
  /** `--cluster NAME`: the Proxmox cluster to plan (when the artifacts cover several). */
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
  /** `--timeout SECONDS` for `status --wait` (default 300). */
  readonly timeoutSeconds: number;
  /** `--provider-key-file PATH`: where Omni apply writes a newly registered infra provider's key. */
  readonly providerKeyFile: string | undefined;
  /** `--provider-key-env-file PATH`: an env file Omni apply adds the new provider key to. */
  readonly providerKeyEnvFile: string | undefined;
  /** `--provider-timeout SECONDS`: how long Omni apply waits for infra providers to connect (default 300). */
  readonly providerTimeoutSeconds: number;
  /** `--provider-key-host`: Omni apply carries a newly registered provider's key to its host over SSH. */
  readonly providerKeyHost: boolean;
  /** `--trust-new-host-keys`: hosts: accept a host key known_hosts does not list yet, printing its fingerprint. */
  readonly trustNewHostKeys: boolean;
}

/** Thrown for a command line the CLI cannot use; the message says what to type instead. */
export class UsageError extends Error {
  /** Always `UsageError`. */
  override readonly name = 'UsageError';
}

/** The help text. */
export const USAGE = `usage: talos-topology <command> [topology-file] [options]

commands:
  validate            check the topology (schema, references and rules)
  generate            write every artifact into --out (default: out)
  check               exit 2 with a unified diff when --out is stale or incomplete
  schema              print the topology JSON Schema
  plan  --target T    compare the artifacts in --out with the live system T (omni, proxmox, unifi, hosts); exit 2 when changes are planned
  apply --target T    plan, then push the artifacts in --out to T
  status --cluster C --wait   wait until Omni reports Talos cluster C and all its machine sets ready

topology-file: .ts/.js (default export), .yaml, .yml or .json; the built-in spaceships example when omitted.

options:
  --out DIR           output folder (default: out)
  --json              machine-readable output
  --force             generate: overwrite generated files that were edited by hand
  --skip-rule ID      do not run rule ID (repeatable)
  --no-color          plain plan output
  --cluster NAME      proxmox: the Proxmox cluster to plan when --out covers several
  --token-secret-file PATH       proxmox apply: write a newly created token secret to PATH (mode 0600)
  --token-secret-env-file PATH   proxmox apply: add the new token secret to the env file PATH
  --regenerate-token  proxmox: replace an existing token whose secret is not at the destination (the old secret
                      stops working); without it plan shows a token-secret change and apply refuses
  --skip-root-only    proxmox apply: apply what a token can; list the root@pam steps
  --provider-key-file PATH       omni apply: write the key of a newly registered infra provider to PATH (mode 0600)
  --provider-key-env-file PATH   omni apply: set the key of a newly registered infra provider in the env file PATH
                                 (the .env beside the provider's compose.yaml), under the variable that compose file
                                 reads (OMNI_SERVICE_ACCOUNT_KEY when it names none)
  --provider-key-host            omni apply: set the new key in the .env beside the provider's compose.yaml in --out,
                                 then carry it to the provider's host over SSH and restart its stack (as
                                 apply --target hosts does, with the hosts credentials) before waiting for it
  --provider-timeout SECONDS     omni apply: wait this long for infra providers to connect (default 300)
  --trust-new-host-keys          hosts: accept a host that known_hosts does not list yet and print its fingerprint
                                 (a key that differs from a listed or pinned one is always refused)
  --prune             unifi: delete undeclared DNS records inside the zone
  --adopt             unifi apply: take over existing DNS records that differ and carry no marker (planned as adopt);
                      without it they are skipped and apply exits 2. proxmox apply: take over a guest at a declared
                      VMID that carries no talos-sdk tag (planned as adopt); without it apply refuses
  --timeout SECONDS   status --wait: give up after SECONDS (default 300)
  -h, --help          this text (also: talos-topology help)
  -v, --version       the package version

credentials (environment only):
  omni     OMNI_ENDPOINT (http:// for h2c, https:// for TLS), OMNI_SERVICE_ACCOUNT_KEY or SIDERO_SERVICE_ACCOUNT_KEY,
           OMNI_CA_FILE for a private CA
  proxmox  PROXMOX_URL, PROXMOX_ADMIN_TOKEN_ID + PROXMOX_ADMIN_TOKEN_SECRET[_FILE], or PROXMOX_ROOT_PASSWORD[_FILE];
           PROXMOX_CA_FILE, PROXMOX_FINGERPRINT or PROXMOX_INSECURE_SKIP_VERIFY=1 for a self-signed certificate
  unifi    UNIFI_URL, UNIFI_API_KEY[_FILE] or UNIFI_USERNAME + UNIFI_PASSWORD[_FILE]; UNIFI_CA_FILE, UNIFI_FINGERPRINT
  hosts    SSH_AUTH_SOCK (ssh-agent) or HOSTS_SSH_KEY_FILE (+ HOSTS_SSH_KEY_PASSPHRASE); HOSTS_SSH_KNOWN_HOSTS
           (default ~/.ssh/known_hosts); stack variables from the .env beside the stack in --out, else NAME or NAME_FILE`;

/** The long options the CLI knows, for "did you mean" hints. */
const OPTION_NAMES = [...USAGE.matchAll(/^\s+(?:-\w, )?(--[a-z-]+)/gm)].map((match) => match[1]!);

/** Adds a "did you mean" to node's "Unknown option '--outt'" message when a known option is close. */
function withOptionHint(message: string): string {
  const unknown = /^Unknown option '(--[^']+)'/.exec(message)?.[1];
  const suggestion = unknown ? closestWord(unknown, OPTION_NAMES) : undefined;
  return suggestion ? `unknown option ${unknown}; did you mean ${suggestion}?` : message;
}

/**
 * Parses the command line.
 *
 * @param argv - The arguments after the program name.
 * @returns The parsed arguments, `undefined` when help was asked for (`--help`, `help`, no command), or `'version'`
 *   for `--version`.
 * @throws {@link UsageError} for unknown commands or options.
 */
export function parseCliArgs(argv: readonly string[]): CliArgs | 'version' | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: 'string', default: 'out' },
        json: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        target: { type: 'string' },
        'skip-rule': { type: 'string', multiple: true, default: [] },
        'no-color': { type: 'boolean', default: false },
        cluster: { type: 'string' },
        'token-secret-file': { type: 'string' },
        'token-secret-env-file': { type: 'string' },
        'regenerate-token': { type: 'boolean', default: false },
        'skip-root-only': { type: 'boolean', default: false },
        prune: { type: 'boolean', default: false },
        adopt: { type: 'boolean', default: false },
        wait: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '300' },
        'provider-key-file': { type: 'string' },
        'provider-key-env-file': { type: 'string' },
        'provider-timeout': { type: 'string', default: '300' },
        'trust-new-host-keys': { type: 'boolean', default: false },
        'provider-key-host': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(withOptionHint((error as Error).message));
  }
  const { values, positionals } = parsed;
  if (values.version) return 'version';
  if (values.help || positionals.length === 0 || positionals[0] === 'help') return undefined;
  const [command, file, ...rest] = positionals;
  if (!COMMANDS.includes(command as Command)) {
    const suggestion = closestWord(command ?? '', [...COMMANDS, 'help']);
    throw new UsageError(`unknown command "${command}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`);
  }
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  if ((command === 'plan' || command === 'apply') && !values.target) {
    throw new UsageError(`${command} needs --target omni, proxmox, unifi or hosts`);
  }
  if (command === 'status' && (!values.cluster || !values.wait)) {
    throw new UsageError('status needs --cluster NAME --wait');
  }
  // An empty --out would resolve to the working directory and write the artifacts among the user's own files.
  if (values.out.trim() === '')
    throw new UsageError('--out needs a folder path (an empty one means the current folder)');
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) throw new UsageError('--timeout takes whole seconds');
  const providerTimeoutSeconds = Number(values['provider-timeout']);
  if (!Number.isInteger(providerTimeoutSeconds) || providerTimeoutSeconds < 1) {
    throw new UsageError('--provider-timeout takes whole seconds');
  }
  if (
    [values['provider-key-file'], values['provider-key-env-file'], values['provider-key-host']].filter(Boolean).length >
    1
  ) {
    throw new UsageError('give one of --provider-key-file, --provider-key-env-file and --provider-key-host');
  }
  return {
    command: command as Command,
    file,
    out: values.out,
    json: values.json,
    force: values.force,
    target: values.target,
    skipRules: values['skip-rule'],
    color: !values['no-color'] && process.stdout.isTTY === true,
    cluster: values.cluster,
    tokenSecretFile: values['token-secret-file'],
    tokenSecretEnvFile: values['token-secret-env-file'],
    regenerateToken: values['regenerate-token'],
    skipRootOnly: values['skip-root-only'],
    prune: values.prune,
    adopt: values.adopt,
    timeoutSeconds,
    providerKeyFile: values['provider-key-file'],
    providerKeyEnvFile: values['provider-key-env-file'],
    providerTimeoutSeconds,
    trustNewHostKeys: values['trust-new-host-keys'],
    providerKeyHost: values['provider-key-host'],
  };
}
