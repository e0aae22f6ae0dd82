/**
 * Every command the CLI knows: what it does, its arguments and options, and where its code is (loaded only when it
 * runs, so `--help` loads nothing but this table). Help, parsing and "did you mean" are derived from it.
 *
 * @module
 */
import { loadCommand } from './command-loader.js';
import type { CommandRun } from './context.js';
import type { OptionName } from './option-table.js';
import { recordedCommand } from './recorded-command.js';

/** One command. */
export interface CommandSpec {
  /** One line: what the command does. */
  readonly summary: string;
  /** Its arguments and required options after the command's name, for the usage line. */
  readonly usage: string;
  /** Whether it takes a positional argument (the topology file, or the file `init` writes). */
  readonly takesFile: boolean;
  /** The options it takes besides the global ones. */
  readonly options: readonly OptionName[];
  /** More lines for `help <command>`. */
  readonly details?: string;
  /** Loads its implementation. */
  readonly load: () => Promise<CommandRun>;
}

const TOPOLOGY_FILE =
  'topology-file: .ts/.js (default export), .yaml, .yml or .json. Without one, the one topology.ts, .yaml, .yml\n' +
  'or .json in the working directory; --example for the built-in spaceships example.';

const TARGET_OPTIONS: readonly OptionName[] = [
  'target',
  'out',
  'cluster',
  'token-secret-file',
  'token-secret-env-file',
  'regenerate-token',
  'adopt',
  'prune',
  'mint-auth-keys',
  'provider-key-file',
  'provider-key-env-file',
  'provider-key-host',
  'trust-new-host-keys',
  'force',
  // apply's own, taken by plan too so that one set of flags serves both
  'skip-root-only',
  'provider-timeout',
  'quiet',
  'wait',
  'timeout',
];

/** The commands, in the order help lists them. */
export const COMMANDS = {
  validate: {
    summary: 'check the topology (schema, references and rules)',
    usage: '[topology-file | --example]',
    takesFile: true,
    options: ['example', 'skip-rule'],
    details: TOPOLOGY_FILE,
    load: async () => recordedCommand('validate', 'runValidate', () => import('./commands/validate.js')),
  },
  generate: {
    summary: 'write every artifact into --out (default: out)',
    usage: '[topology-file | --example] [--out DIR]',
    takesFile: true,
    options: ['example', 'out', 'force', 'skip-rule'],
    details: TOPOLOGY_FILE,
    load: async () => recordedCommand('generate', 'runGenerate', () => import('./commands/generate.js')),
  },
  check: {
    summary: 'exit 2 with a unified diff when --out is stale or incomplete',
    usage: '[topology-file | --example] [--out DIR]',
    takesFile: true,
    options: ['example', 'out', 'skip-rule'],
    details: TOPOLOGY_FILE,
    load: async () => recordedCommand('check', 'runCheck', () => import('./commands/check.js')),
  },
  schema: {
    summary: 'print the topology JSON Schema',
    usage: '',
    takesFile: false,
    options: [],
    load: () => loadCommand('schema', 'runSchema', () => import('./commands/schema.js')),
  },
  init: {
    summary: 'write a commented starter topology for a one-site lab (topology.yaml, or topology.ts with --ts)',
    usage: '[file] [--yaml | --ts] [--force]',
    takesFile: true,
    options: ['yaml', 'ts', 'force'],
    details: 'Refuses to overwrite an existing file without --force.',
    load: () => loadCommand('init', 'runInit', () => import('./commands/init.js')),
  },
  example: {
    summary: 'print the built-in spaceships example as YAML',
    usage: '',
    takesFile: false,
    options: [],
    load: () => loadCommand('example', 'runExample', () => import('./commands/example.js')),
  },
  plan: {
    summary: 'compare the artifacts in --out with the live systems (--save FILE keeps the plan for apply FILE)',
    usage: '[--target T]... [--out DIR] [--save FILE] [--detailed-exitcode]',
    takesFile: false,
    options: [...TARGET_OPTIONS, 'save', 'detailed-exitcode', 'format', 'refresh-only', 'state'],
    details:
      'T: omni, proxmox, unifi, hosts, auth0 or tailscale. Credentials come from the environment (see talos-topology help).\n' +
      'Without --target, or with several: every target (or those named) whose credentials are set and whose artifacts\n' +
      'are in --out, one section each in dependency order; the targets left out are listed with the reason.\n' +
      'Exit 0: planned (with or without changes); 1: a plan failed or no target is covered; with --detailed-exitcode,\n' +
      '2: changes planned (as Terraform). --save FILE is not written when a plan failed.',
    load: () => loadCommand('live-systems', 'runTarget', () => import('./commands/live-systems.js')),
  },
  apply: {
    summary: 'plan, ask, then push the artifacts in --out to the live systems, in dependency order',
    usage: '[plan-file | [--target T]... [--yes]] [--out DIR]',
    takesFile: true,
    options: [...TARGET_OPTIONS, 'yes', 'auto-approve', 'state'],
    details:
      'T: omni, proxmox, unifi, hosts, auth0 or tailscale. Credentials come from the environment (see talos-topology help).\n' +
      'Without --target, or with several: proxmox -> hosts -> omni, with unifi, auth0 and tailscale beside them (up to 3\n' +
      'at once); a failed target leaves those that need it not attempted, and a rerun continues.\n' +
      'Shows the plan first; nothing to change exits 0. Then asks on a terminal (only "yes" approves); --yes approves\n' +
      'up front, and without a terminal apply refuses without it. plan-file: a plan saved by plan --save, applied\n' +
      'as saved with no question, refused when --out or the live state of a target changed since (plan again).\n' +
      'Exit 0: all applied; 1: a target failed or was not attempted, none is covered, or apply was refused or\n' +
      'cancelled; 2: a change was skipped (an adoption without --adopt, a root@pam step with --skip-root-only).',
    load: () => loadCommand('live-systems', 'runTarget', () => import('./commands/live-systems.js')),
  },
  drift: {
    summary: 'what changed on the live systems outside the SDK since the last apply; exit 2 on drift',
    usage: '[--target T]... [--out DIR] [--state PATH]',
    takesFile: false,
    options: [...TARGET_OPTIONS, 'state', 'format'],
    details:
      'Plans every target (or those named) as plan does, changing nothing, and compares the plan with what the last\n' +
      'apply left in place (recorded beside --out, or in --state PATH): objects that differ, disappeared, and objects\n' +
      "in the SDK's namespace it did not leave there. plan --refresh-only is the same.\n" +
      'Exit 0: no drift; 2: drift; 1: a plan failed or no target is covered.',
    load: () => loadCommand('live-systems', 'runDrift', () => import('./commands/live-systems.js')),
  },
  destroy: {
    summary: 'plan, then remove what the SDK owns on the live systems, in reverse dependency order',
    usage: '[--target T]... [--out DIR] [--yes]',
    takesFile: false,
    options: ['target', 'out', 'cluster', 'prune', 'force', 'timeout', 'quiet', 'yes', 'auto-approve', 'state'],
    details:
      'T: omni, proxmox, unifi, hosts, auth0 or tailscale; without --target, every target whose credentials are set and\n' +
      'whose artifacts are in --out. Prints the destroy plan, asks for approval (--yes when stdin is not a terminal),\n' +
      "then destroys omni first and proxmox last; only objects the SDK owns are removed, a person's stay.\n" +
      'Exit 0: all removed (or nothing to remove); 1: a plan failed, declined, or a target failed or was not attempted.',
    load: () => loadCommand('live-systems', 'runDestroy', () => import('./commands/live-systems.js')),
  },
  status: {
    summary: 'wait until Omni reports Talos cluster C and all its machine sets ready',
    usage: '--cluster C --wait [--timeout SECONDS]',
    takesFile: false,
    options: ['cluster', 'wait', 'timeout', 'quiet'],
    details: 'Omni credentials come from the environment (see talos-topology help).',
    load: () => loadCommand('status', 'runStatus', () => import('./commands/status.js')),
  },
  emulate: {
    summary: 'run the Omni, Proxmox and UniFi emulators on 127.0.0.1 and print the variables to export',
    usage: '',
    takesFile: false,
    options: [],
    details: 'Runs until Ctrl-C; plan and apply for every target then work against it (see "Try it without a lab").',
    load: () => loadCommand('emulate', 'runEmulateCommand', () => import('./commands/emulate.js')),
  },
} as const satisfies Record<string, CommandSpec>;

/** A command's name. */
export type Command = keyof typeof COMMANDS;

/**
 * Whether a word names a command.
 *
 * @param word - What the user typed.
 * @returns `true` for a command in {@link COMMANDS}.
 */
export function isCommand(word: string): word is Command {
  return Object.hasOwn(COMMANDS, word);
}
