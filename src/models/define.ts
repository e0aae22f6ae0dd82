import type * as z from './zod.js';
import type { TopologyIssue } from './issue.js';
import { TopologyError, sortIssues } from './issue.js';
import { deepFreeze, defineWithoutZod } from './define-without-zod.js';
import { topologySchema } from './topology.js';
import type { TopologyDocument } from './topology-document.js';

/** A value and everything inside it made read-only. */
export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * A topology as its author writes it (defaults may be left out): {@link TopologyDocument}, whose every field carries
 * its description and unit.
 */
export type TopologyInput = TopologyDocument;

/** A validated topology: defaults filled in, references checked, deeply frozen. */
export type Topology = DeepReadonly<z.output<ReturnType<typeof topologySchema>>>;

/** The result of {@link safeDefineTopology}: the topology, or every issue found. */
export type DefineTopologyResult = DefineTopologySuccess | DefineTopologyFailure;

/** A topology that passed validation. */
export interface DefineTopologySuccess {
  /** Always `true`. */
  readonly success: true;
  /** The validated, frozen topology. */
  readonly topology: Topology;
}

/** A topology that failed validation. */
export interface DefineTopologyFailure {
  /** Always `false`. */
  readonly success: false;
  /** Every issue found, sorted by path. */
  readonly issues: readonly TopologyIssue[];
}

/**
 * Validates a topology and returns it deeply frozen, with defaults filled in.
 *
 * @param input - The topology as written (a TS object, or parsed YAML/JSON).
 * @param source - The file it came from, named in the error message.
 * @returns The validated topology.
 * @throws {@link TopologyError} listing every issue, each with `path`, `rule` and `message`.
 *
 * @example
 * ```ts
 * import { defineTopology } from '@talos-sdk/topology';
 *
 * export default defineTopology({
 *   name: 'homelab',
 *   tailnet: { magicDnsSuffix: 'tail1234.ts.net' },
 *   proxmox: {
 *     pve: {
 *       api: { url: 'https://192.168.3.2:8006/api2/json' },
 *       nodes: { 'pve-1': { address: '192.168.3.2' }, 'pve-2': { address: '192.168.3.3' } },
 *       networks: { lan: { subnet: '192.168.3.0/24', gateway: '192.168.3.1', bridge: 'vmbr0' } },
 *       storages: {
 *         local: { type: 'dir', shared: false, content: ['iso', 'vztmpl', 'import'] },
 *         ceph: { type: 'rbd', shared: true, content: ['images', 'rootdir'] },
 *       },
 *     },
 *   },
 *   guests: {
 *     omni: {
 *       type: 'qemu',
 *       cluster: 'pve',
 *       node: 'pve-1',
 *       vmid: 101,
 *       cores: 2,
 *       memory: 4096, // MiB
 *       disk: { storage: 'ceph', size: 32 }, // GiB
 *       install: { importFrom: 'local:import/debian-12-genericcloud-amd64.qcow2' },
 *       cloudInit: {
 *         sshKeys: [
 *           'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGV4YW1wbGUga2V5OiByZXBsYWNlIHdpdGggeW91cnMh admin@example',
 *         ],
 *       },
 *       lan: { network: 'lan', address: '192.168.3.20' },
 *     },
 *     'ct-200': {
 *       type: 'lxc',
 *       cluster: 'pve',
 *       node: 'pve-2',
 *       vmid: 200,
 *       template: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
 *       cores: 1,
 *       memory: 1024,
 *       rootfs: { storage: 'ceph', size: 8 },
 *       lan: { network: 'lan', address: '192.168.3.21' },
 *       features: { nesting: true, keyctl: true },
 *       tun: true,
 *     },
 *   },
 *   omni: {
 *     host: 'omni',
 *     domain: 'omni.example.com',
 *     version: 'v1.10.2',
 *     accountId: '0b6e4f0a-3c2d-4e1f-8a9b-7c6d5e4f3a2b',
 *     auth0: { domain: 'example.us.auth0.com', clientId: 'a1B2c3D4e5F6g7H8i9J0k1L2' },
 *     initialUsers: ['admin@example.com'],
 *     tls: { certFile: '/srv/omni/tls/fullchain.pem', keyFile: '/srv/omni/tls/privkey.pem' },
 *     etcdEncryptionKeyFile: '/srv/omni/etcd.asc',
 *     dataDir: '/srv/omni/data',
 *     siderolink: { wireguardAddress: '192.168.3.20' },
 *     eula: { name: 'Home Admin', email: 'admin@example.com' },
 *     sidecar: {
 *       name: 'omni-tailscale',
 *       hostname: 'omni',
 *       tags: ['tag:omni'],
 *       authKey: { env: 'TS_AUTHKEY' },
 *       version: 'v1.84.0',
 *     },
 *   },
 *   providers: {
 *     proxmox: {
 *       host: 'ct-200',
 *       cluster: 'pve',
 *       version: 'v0.6.0',
 *       sidecar: {
 *         name: 'provider-tailscale',
 *         hostname: 'omni-provider',
 *         tags: ['tag:omni-provider'],
 *         authKey: { env: 'PROVIDER_TS_AUTHKEY' },
 *         version: 'v1.84.0',
 *       },
 *       serviceAccountKey: { env: 'OMNI_PROVIDER_KEY' },
 *       proxmoxAccess: { user: 'omni@pve', tokenName: 'provider', tokenSecret: { env: 'PROXMOX_TOKEN_SECRET' } },
 *     },
 *   },
 *   machineClasses: {
 *     worker: { provider: 'proxmox', cores: 4, memory: 8192, diskSize: 40, storage: 'ceph', network: 'lan' },
 *   },
 *   clusters: {
 *     talos: {
 *       talosVersion: 'v1.13.9',
 *       kubernetesVersion: 'v1.35.1',
 *       controlPlane: { machineClass: 'worker', size: 1 },
 *       workers: { workers: { machineClass: 'worker', size: 2 } },
 *     },
 *   },
 *   dns: { zone: 'example.com', records: [{ name: 'omni.example.com', value: '192.168.3.20' }] },
 *   unifi: { site: 'default', networks: { lan: { subnet: '192.168.3.0/24', gateway: '192.168.3.1' } } },
 * });
 * ```
 */
export function defineTopology(input: TopologyInput, source?: string): Topology {
  const result = safeDefineTopology(input);
  if (!result.success) throw new TopologyError(result.issues, source);
  return result.topology;
}

/**
 * Validates a topology without throwing.
 *
 * @param input - The topology as written; anything is accepted and checked, first against {@link INPUT_LIMITS}
 *   (plain data, no cycles, bounded depth and size).
 * @returns `{ success: true, topology }` or `{ success: false, issues }`; it never throws.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { formatIssues, safeDefineTopology } from '@talos-sdk/topology';
 *
 * const result = safeDefineTopology(JSON.parse(readFileSync('topology.json', 'utf8')));
 * if (result.success) console.log(`guests: ${Object.keys(result.topology.guests).join(', ')}`);
 * else console.error(formatIssues(result.issues, 'topology.json'));
 * ```
 */
export function safeDefineTopology(input: unknown): DefineTopologyResult {
  try {
    const quick = defineWithoutZod(input);
    if (quick.result) return quick.result;
    const parsed = topologySchema().safeParse(input);
    if (!parsed.success || quick.bounds.length > 0) {
      const issues = parsed.success ? [] : parsed.error.issues.map(toTopologyIssue);
      return { success: false, issues: sortIssues([...quick.bounds, ...issues]) };
    }
    return { success: true, topology: deepFreeze(parsed.data) as Topology };
  } catch {
    // Plain data cannot throw when read; only a proxy or an exotic object can, and its error is not ours to print.
    return {
      success: false,
      issues: [
        {
          path: '',
          rule: 'plain-data',
          message: 'could not be read (reading it threw); a topology holds plain data only',
          severity: 'error',
        },
      ],
    };
  }
}

/**
 * Turns a zod issue into a topology issue with a stable rule id.
 *
 * @param issue - The zod issue.
 * @returns The same problem in the SDK's terms.
 */
export function toTopologyIssue(issue: z.core.$ZodIssue): TopologyIssue {
  // A bad record key (a guest or cluster name) carries the key's own issue inside: report that one.
  const inner = issue.code === 'invalid_key' ? issue.issues[0] : undefined;
  if (inner) return { ...toTopologyIssue({ ...inner, path: issue.path } as z.core.$ZodIssue), severity: 'error' };
  const path = issue.path.map(String).join('.');
  const rule = ruleOf(issue);
  let message = issue.message;
  if (issue.code === 'unrecognized_keys')
    message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')} (check the spelling)`;
  if (rule === 'required') message = 'is required';
  return { path, rule, message, severity: 'error' };
}

function ruleOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'custom':
      return typeof issue.params?.rule === 'string' ? issue.params.rule : 'invalid';
    case 'invalid_type':
      // zod leaves the input out of issues; its message ends in "received undefined" for a missing value.
      return /received undefined$/.test(issue.message) ? 'required' : 'type';
    case 'unrecognized_keys':
      return 'unknown-key';
    case 'invalid_format':
    case 'invalid_key':
      return 'format';
    case 'too_small':
    case 'too_big':
      return 'range';
    case 'invalid_value':
      return 'enum';
    case 'invalid_union':
      return 'type';
    default:
      return issue.code;
  }
}
