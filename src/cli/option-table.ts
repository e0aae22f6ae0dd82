/**
 * Every option the CLI knows, once: its type, its placeholder, its default and its help line. Parsing, the help of
 * each command and the "did you mean" hints are all derived from this table.
 *
 * @module
 */

/** How one option is spelt, parsed and explained. */
export interface OptionSpec {
  /** `string` takes a value, `boolean` is a switch. */
  readonly type: 'string' | 'boolean';
  /** The one-letter alias (`-h`), if any. */
  readonly short?: string;
  /** The value's placeholder in help (`DIR`, `SECONDS`); string options only. */
  readonly value?: string;
  /** May be given more than once. */
  readonly multiple?: boolean;
  /** The value when the option is not given. */
  readonly default?: string;
  /** One line of help (continued lines are indented by the help printer). */
  readonly help: string;
}

/** The options, by long name. */
export const OPTIONS = {
  out: { type: 'string', value: 'DIR', default: 'out', help: 'the folder of generated artifacts (default: out)' },
  example: {
    type: 'boolean',
    help: 'use the built-in spaceships example instead of a topology file (every line of output says so)',
  },
  json: {
    type: 'boolean',
    help: 'print every outcome, errors included, as one JSON object on stdout ({ "ok": true|false, ... })',
  },
  force: {
    type: 'boolean',
    help: 'generate: overwrite generated files that were edited by hand; init: overwrite; hosts: overwrite host files edited by hand',
  },
  'skip-rule': { type: 'string', value: 'ID', multiple: true, help: 'do not run rule ID (repeatable)' },
  'no-color': { type: 'boolean', help: 'no colour, even on a terminal or with FORCE_COLOR' },
  target: {
    type: 'string',
    value: 'T',
    multiple: true,
    help:
      'the live system: omni, proxmox, unifi, hosts, auth0 or tailscale (repeatable); without it, every target whose\n' +
      'credentials are set and whose artifacts are in --out, in dependency order',
  },
  cluster: {
    type: 'string',
    value: 'NAME',
    help:
      'proxmox: the Proxmox cluster to plan when --out covers several (without --target proxmox alone: only this one);\n' +
      'status: the Talos cluster',
  },
  'token-secret-file': {
    type: 'string',
    value: 'PATH',
    help: 'proxmox: write a newly created token secret to PATH (mode 0600)',
  },
  'token-secret-env-file': {
    type: 'string',
    value: 'PATH',
    help: 'proxmox: add a newly created token secret to the env file PATH',
  },
  'regenerate-token': {
    type: 'boolean',
    help:
      'proxmox: replace an existing token whose secret is not at the destination (the old secret stops working);\n' +
      'without it plan shows a token-secret change and apply refuses',
  },
  'skip-root-only': { type: 'boolean', help: 'proxmox apply: apply what a token can; list the root@pam steps' },
  'provider-key-file': {
    type: 'string',
    value: 'PATH',
    help: 'omni: write the key of a newly registered infra provider to PATH (mode 0600)',
  },
  'provider-key-env-file': {
    type: 'string',
    value: 'PATH',
    help:
      'omni: set the key of a newly registered infra provider in the env file PATH (the .env beside the\n' +
      "provider's compose.yaml), under the variable that compose file reads (OMNI_SERVICE_ACCOUNT_KEY when it names none)",
  },
  'provider-key-host': {
    type: 'boolean',
    help:
      "omni: set the new key in the .env beside the provider's compose.yaml in --out, then carry it to the provider's\n" +
      'host over SSH and restart its stack (as apply --target hosts does, with the hosts credentials) before waiting',
  },
  'trust-new-host-keys': {
    type: 'boolean',
    help:
      'hosts: accept a host that known_hosts does not list yet and print its fingerprint (a key that differs from a\n' +
      'listed or pinned one is always refused)',
  },
  'provider-timeout': {
    type: 'string',
    value: 'SECONDS',
    default: '300',
    help: 'omni apply: wait this long for infra providers to connect (default 300)',
  },
  prune: {
    type: 'boolean',
    help: 'unifi: delete undeclared DNS records inside the zone (destroy: every declared record inside it is owned)',
  },
  'mint-auth-keys': {
    type: 'boolean',
    help:
      'tailscale: create a tagged single-use auth key for each sidecar not in the tailnet yet whose stack .env in --out\n' +
      'has no value for its auth-key variable, and write it there only (mode 0600; never printed)',
  },
  adopt: {
    type: 'boolean',
    help:
      'unifi: take over existing DNS records that differ and carry no marker (planned as adopt); without it apply\n' +
      'skips them and exits 2. proxmox: take over a guest at a declared VMID that carries no talos-sdk tag;\n' +
      'without it apply refuses',
  },
  yes: {
    type: 'boolean',
    help: 'apply, destroy: go on without asking for confirmation (needed when stdin is not a terminal, as in CI)',
  },
  'auto-approve': { type: 'boolean', help: 'apply, destroy: the same as --yes (as Terraform spells it)' },
  save: {
    type: 'string',
    value: 'FILE',
    help:
      'plan: also write the plan to FILE (JSON, mode 0600) with the digest of --out and a fingerprint of the live state\n' +
      'each target showed; apply FILE then applies exactly that plan, refusing when either changed',
  },
  'detailed-exitcode': {
    type: 'boolean',
    help: 'plan: exit 2 when changes are planned (0 when there are none, 1 on error), as Terraform does',
  },
  format: {
    type: 'string',
    value: 'FORMAT',
    default: 'text',
    help:
      'plan, drift: text (default) or markdown (a folded section per target, bounded for a pull-request comment);\n' +
      'not with --json',
  },
  'refresh-only': {
    type: 'boolean',
    help: 'plan: report drift (what changed on the live systems outside the SDK) instead of the changes, as drift does',
  },
  state: {
    type: 'string',
    value: 'PATH',
    help:
      'apply: record what it left in place in PATH; drift: read it from PATH (default:\n' +
      '<parent of --out>/.talos-topology/<name of --out>.applied.json)',
  },
  quiet: { type: 'boolean', help: 'no "waiting for ..." progress lines on stderr during long waits' },
  wait: {
    type: 'boolean',
    help: 'status: wait until the cluster is ready; omni apply: then wait until every cluster in --out is ready (also when nothing changed)',
  },
  timeout: {
    type: 'string',
    value: 'SECONDS',
    default: '300',
    help: 'give up waiting after SECONDS (default 300)',
  },
  yaml: { type: 'boolean', help: 'write topology.yaml (the default)' },
  ts: { type: 'boolean', help: 'write topology.ts' },
  help: { type: 'boolean', short: 'h', help: "this command's usage and options" },
  version: { type: 'boolean', short: 'v', help: 'the package version' },
} as const satisfies Record<string, OptionSpec>;

/** The long name of an option the CLI knows. */
export type OptionName = keyof typeof OPTIONS;

/** Options every command takes. */
export const GLOBAL_OPTIONS: readonly OptionName[] = ['json', 'no-color', 'help'];
