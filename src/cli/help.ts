/**
 * The help texts, derived from the command and option tables.
 *
 * @module
 */
import { commandOptions } from './args.js';
import type { Command } from './command-table.js';
import { COMMANDS } from './command-table.js';
import type { OptionName } from './option-table.js';
import { OPTIONS } from './option-table.js';

const PROGRAM = 'talos-topology';
const HELP_COLUMN = 32;

/** The environment variables the CLI reads, for the general help. */
const ENVIRONMENT = `environment:
  omni     OMNI_ENDPOINT (http:// for h2c, https:// for TLS), OMNI_SERVICE_ACCOUNT_KEY or SIDERO_SERVICE_ACCOUNT_KEY,
           OMNI_CA_FILE for a private CA
  proxmox  PROXMOX_URL, PROXMOX_ADMIN_TOKEN_ID + PROXMOX_ADMIN_TOKEN_SECRET[_FILE], or PROXMOX_ROOT_PASSWORD[_FILE]
           (+ PROXMOX_USERNAME); PROXMOX_CA_FILE, PROXMOX_FINGERPRINT or PROXMOX_INSECURE_SKIP_VERIFY=1 for a
           self-signed certificate; each also for one cluster alone, as PROXMOX_<NAME>__<CLUSTER>
  unifi    UNIFI_URL, UNIFI_API_KEY[_FILE] or UNIFI_USERNAME + UNIFI_PASSWORD[_FILE]; UNIFI_CA_FILE, UNIFI_FINGERPRINT
           or UNIFI_INSECURE_SKIP_VERIFY=1
  auth0    AUTH0_DOMAIN, AUTH0_MANAGEMENT_TOKEN[_FILE] or AUTH0_CLIENT_ID + AUTH0_CLIENT_SECRET[_FILE]; AUTH0_CA_FILE,
           AUTH0_FINGERPRINT or AUTH0_INSECURE_SKIP_VERIFY=1 (tests, proxies)
  hosts    SSH_AUTH_SOCK (ssh-agent) or HOSTS_SSH_KEY_FILE (+ HOSTS_SSH_KEY_PASSPHRASE); HOSTS_SSH_KNOWN_HOSTS
           (default ~/.ssh/known_hosts); stack variables from the .env beside the stack in --out, else NAME or NAME_FILE
  tailscale TS_API_KEY[_FILE] or TS_OAUTH_CLIENT_ID + TS_OAUTH_CLIENT_SECRET[_FILE]; TS_TAILNET (default -);
           TS_API_URL (default https://api.tailscale.com); TS_API_CA_FILE, TS_API_FINGERPRINT
  colour   FORCE_COLOR (1, 2, 3 or true: colour even without a terminal, NO_COLOR ignored; 0: none),
           NO_COLOR (set and not empty: no colour); --no-color wins over both
  records  TALOS_TOPOLOGY_REVERIFY (set and not empty: validate, generate and check do their work even when the
           record of their last verdict says nothing it rests on changed)`;

function optionLine(name: OptionName): string {
  const spec: { short?: string; value?: string; help: string } = OPTIONS[name];
  const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.value ? ` ${spec.value}` : ''}`;
  const [first, ...more] = spec.help.split('\n');
  const pad = ' '.repeat(HELP_COLUMN);
  return [`  ${flag.padEnd(HELP_COLUMN - 3)} ${first}`, ...more.map((line) => `${pad}${line}`)].join('\n');
}

function usageLine(command: Command): string {
  const { usage } = COMMANDS[command];
  return `${PROGRAM} ${command}${usage ? ` ${usage}` : ''}`;
}

/**
 * The general help: every command, the global options and the environment variables.
 *
 * @returns The text.
 */
export function generalHelp(): string {
  const commands = (Object.keys(COMMANDS) as Command[]).map(
    (command) => `  ${command.padEnd(HELP_COLUMN - 3)} ${COMMANDS[command].summary}`,
  );
  return [
    `usage: ${PROGRAM} <command> [arguments] [options]`,
    '',
    'commands:',
    ...commands,
    `  ${'help [command]'.padEnd(HELP_COLUMN - 3)} this text, or one command's usage and options`,
    '',
    'options of every command:',
    ...commandOptions(undefined).map(optionLine),
    '',
    `${PROGRAM} <command> --help lists the options of that command.`,
    '',
    ENVIRONMENT,
  ].join('\n');
}

/**
 * One command's help: its usage line, what it does, and every option it takes.
 *
 * @param command - The command.
 * @returns The text.
 */
export function commandHelp(command: Command): string {
  const spec: { summary: string; details?: string } = COMMANDS[command];
  return [
    `usage: ${usageLine(command)} [options]`,
    '',
    spec.summary,
    ...(spec.details ? ['', spec.details] : []),
    '',
    'options:',
    ...commandOptions(command).map(optionLine),
  ].join('\n');
}
