/**
 * The models' own checks, beyond types and patterns: each one a named function the schemas pass to zod (`refine`,
 * `superRefine`, `preprocess`), kept free of zod so that the validator compiled at build time
 * (`src/models/generated/topology-fast-parse.ts`, from `scripts/compile-validator.ts`) calls these same functions.
 *
 * @module
 */
import { IPV4_PATTERN, subnetContains } from './ipv4.js';
import { DOMAIN_PATTERN } from './domain-name.js';
import { repeats } from './repeats.js';
import { isReservedName, isWindowsDeviceName } from './reserved-names.js';
import type { RuleContext } from './rule-issue.js';
import { addRuleIssue } from './rule-issue.js';
import { sshPublicKeyProblem } from './ssh-public-key-line.js';

/**
 * Tells whether a name is free to use as a record key (see {@link isReservedName}).
 *
 * @param name - A key.
 * @returns `false` for a built-in property name of every object.
 */
export function isUnreservedName(name: string): boolean {
  return !isReservedName(name);
}

/**
 * Tells whether a name can become a file name on Windows (see {@link isWindowsDeviceName}).
 *
 * @param name - A name that becomes a file name.
 * @returns `false` for a Windows device name.
 */
export function isNotWindowsDeviceName(name: string): boolean {
  return !isWindowsDeviceName(name);
}

/**
 * Tells whether a volume (`storage:path`) names a storage that is not a reserved name.
 *
 * @param volume - A Proxmox volume id such as `local:iso/debian.iso`.
 * @returns `false` when its storage part is a built-in property name.
 */
export function hasUnreservedStorage(volume: string): boolean {
  return isUnreservedName(volume.split(':')[0] ?? '');
}

/**
 * Tells whether a URL is a Proxmox API root.
 *
 * @param url - The API URL.
 * @returns `true` when it ends in `/api2/json`.
 */
export function isProxmoxApiUrl(url: string): boolean {
  return url.endsWith('/api2/json');
}

/**
 * Tells whether a value can be dialled: an IPv4 address or a DNS name.
 *
 * @param value - An address or name.
 * @returns `true` for either.
 */
export function isIpv4OrDomain(value: string): boolean {
  return IPV4_PATTERN.test(value) || DOMAIN_PATTERN.test(value);
}

/**
 * Tells whether an absolute path has no `.` or `..` segment.
 *
 * @param path - An absolute path.
 * @returns `false` when a segment is `.` or `..`.
 */
export function hasNoDotSegments(path: string): boolean {
  return !path.split('/').some((part) => part === '..' || part === '.');
}

/**
 * Tells whether a path is other than the root folder.
 *
 * @param path - An absolute path.
 * @returns `false` for `/`.
 */
export function isNotRootFolder(path: string): boolean {
  return path !== '/';
}

/**
 * Tells whether a domain is a tailnet's MagicDNS suffix.
 *
 * @param suffix - A domain.
 * @returns `true` when it ends in `.ts.net`.
 */
export function isTailnetDnsSuffix(suffix: string): boolean {
  return suffix.endsWith('.ts.net');
}

/** Tailscale's address range (CGNAT, 100.64.0.0/10): every node's tailnet IPv4 lies in it. */
export const TAILNET_IPV4_RANGE = '100.64.0.0/10';

/**
 * Tells whether an address lies in Tailscale's range ({@link TAILNET_IPV4_RANGE}).
 *
 * @param address - A dotted-quad address.
 * @returns `true` inside 100.64.0.0/10.
 */
export function isTailnetAddress(address: string): boolean {
  return subnetContains(TAILNET_IPV4_RANGE, address);
}

/**
 * Refuses a literal where a secret reference belongs, without repeating it (the `preprocess` step of a secret
 * reference).
 *
 * @param input - The value as written.
 * @param ctx - The refinement context.
 * @returns The value, or nothing once refused: the issue stops the parse, and no later check (the secret scan of
 *   `checkReferences`) sees the literal again.
 */
export function refuseSecretLiteral(input: unknown, ctx: RuleContext): unknown {
  if (typeof input === 'string' || typeof input === 'number') {
    addRuleIssue(ctx, {
      rule: 'secret-literal',
      message: "a literal value is not allowed where a secret belongs; reference it instead: { env: 'VARIABLE_NAME' }",
    });
    return undefined;
  }
  return input;
}

/**
 * Refuses a `{ file }` SSH key reference that reached validation unresolved (a TypeScript topology), saying how to
 * pass the key instead (the `preprocess` step of a public key).
 *
 * @param input - The value as written.
 * @param ctx - The refinement context.
 * @returns The value, or nothing once refused (the issue stops the parse).
 */
export function refuseKeyFileReference(input: unknown, ctx: RuleContext): unknown {
  if (input !== null && typeof input === 'object' && 'file' in input) {
    addRuleIssue(ctx, {
      rule: 'file-reference',
      message:
        '{ file } key references are read when the CLI loads a YAML or JSON topology (relative to that file); ' +
        "in a TypeScript topology pass the key's text, e.g. readFileSync(path, 'utf8')",
    });
    return undefined;
  }
  return input;
}

/**
 * Reports a text that is not one OpenSSH public key line (see {@link sshPublicKeyProblem}).
 *
 * @param key - The candidate key.
 * @param ctx - The refinement context.
 */
export function checkSshPublicKey(key: string, ctx: RuleContext): void {
  const problem = sshPublicKeyProblem(key);
  if (problem) addRuleIssue(ctx, { rule: 'ssh-public-key', message: problem });
}

/**
 * Refuses `serve` on a kernel-mode sidecar (rule `sidecar-serve`): the app already listens on the tailnet address.
 *
 * @param sidecar - The sidecar's mode and serve flag.
 * @param ctx - The refinement context.
 */
export function checkSidecarServe(sidecar: { readonly serve: boolean; readonly mode: string }, ctx: RuleContext): void {
  if (sidecar.serve && sidecar.mode === 'kernel') {
    addRuleIssue(ctx, {
      rule: 'sidecar-serve',
      path: ['serve'],
      message:
        'serve is only for userspace mode: in kernel mode the app listens on the tailnet address itself; remove serve or set mode: userspace',
    });
  }
}

/**
 * Refuses a tailnet address nothing answers on (rule `tailnet-reachable`): a userspace sidecar without `serve`.
 *
 * @param omni - Omni's tailnet address and sidecar.
 * @param ctx - The refinement context.
 */
export function checkTailnetReachable(
  omni: {
    readonly tailnetAddress?: string | undefined;
    readonly sidecar: { readonly mode: string; readonly serve: boolean };
  },
  ctx: RuleContext,
): void {
  if (omni.tailnetAddress !== undefined && omni.sidecar.mode === 'userspace' && !omni.sidecar.serve) {
    addRuleIssue(ctx, {
      rule: 'tailnet-reachable',
      path: ['sidecar', 'serve'],
      message: `nothing answers on ${omni.tailnetAddress}: a userspace sidecar accepts tailnet connections only through tailscale serve; set serve: true or mode: kernel`,
    });
  }
}

/**
 * Checks a DNS record's value against its type (rule `format`): an IPv4 address for `A`, a domain for `CNAME`.
 *
 * @param record - The record's type and value.
 * @param ctx - The refinement context.
 */
export function checkDnsRecordValue(record: { readonly type: string; readonly value: string }, ctx: RuleContext): void {
  const valid = record.type === 'A' ? IPV4_PATTERN.test(record.value) : DOMAIN_PATTERN.test(record.value);
  if (!valid) {
    addRuleIssue(ctx, {
      rule: 'format',
      path: ['value'],
      message: record.type === 'A' ? 'an A record needs an IPv4 address' : 'a CNAME record needs a domain name',
    });
  }
}

/**
 * Refuses a DNS name declared twice (rule `unique-record`).
 *
 * @param records - The records, in order.
 * @param ctx - The refinement context.
 */
export function checkUniqueRecords(records: readonly { readonly name: string }[], ctx: RuleContext): void {
  for (const { item, index, first } of repeats(records, (record) => record.name)) {
    addRuleIssue(ctx, {
      rule: 'unique-record',
      path: [index],
      message: `${item.name} is already declared at dns.records.${first}; a name has one A record or one CNAME, not both`,
    });
  }
}

/**
 * Refuses a route name declared twice (rule `unique-name`).
 *
 * @param routes - The routes, in order.
 * @param ctx - The refinement context.
 */
export function checkUniqueRoutes(routes: readonly { readonly name: string }[], ctx: RuleContext): void {
  for (const { item, index, first } of repeats(routes, (route) => route.name)) {
    addRuleIssue(ctx, {
      rule: 'unique-name',
      path: [index, 'name'],
      message: `route ${item.name} is already declared at routes.${first}`,
    });
  }
}

/**
 * Refuses a JSON6902 operation in a Talos patch document (rule `patch-json6902`): Omni takes strategic merge patches.
 *
 * @param document - One document of a patch.
 * @param ctx - The refinement context.
 */
export function checkStrategicMergeDocument(document: Readonly<Record<string, unknown>>, ctx: RuleContext): void {
  if ('op' in document && 'path' in document) {
    addRuleIssue(ctx, {
      rule: 'patch-json6902',
      message: 'JSON6902 operations are rejected by Omni; write a strategic merge patch',
    });
  }
}

/** A machine set as {@link checkTalosCluster} reads it. */
interface PatchedSet {
  /** Number of machines. */
  readonly size: number;
  /** The set's patches. */
  readonly patches: readonly { readonly name: string }[];
}

/**
 * Checks a Talos cluster as a whole: no worker set named `control-planes` (rule `reserved-name`), no two set patches
 * with the same Omni ConfigPatch id (rule `unique-name`), at least one control plane machine (rule `range`).
 *
 * @param cluster - The cluster's machine sets.
 * @param ctx - The refinement context.
 */
export function checkTalosCluster(
  cluster: { readonly controlPlane: PatchedSet; readonly workers: Readonly<Record<string, PatchedSet>> },
  ctx: RuleContext,
): void {
  if ('control-planes' in cluster.workers) {
    addRuleIssue(ctx, {
      rule: 'reserved-name',
      path: ['workers', 'control-planes'],
      message: 'control-planes is the control plane set; name the worker set differently',
    });
  }
  // Omni names a set's patch `<weight>-<cluster>-<set>-<patch>` (`%03d-%s-%s`, weight 400 + index, in
  // `client/pkg/template/internal/models/patch.go`): sets `a` + patch `b-c` and `a-b` + patch `c` would both be
  // `400-<cluster>-a-b-c`, one ConfigPatch silently replacing the other. Cluster patches (200–399) never meet these.
  const setPatches = [
    ['control-planes', ['controlPlane'], cluster.controlPlane] as const,
    ...Object.entries(cluster.workers).map(([name, set]) => [name, ['workers', name], set] as const),
  ].flatMap(([set, path, spec]) =>
    spec.patches.map((patch, index) => ({
      id: `${400 + index}-<cluster>-${set}-${patch.name}`,
      path: [...path, 'patches', index, 'name'],
    })),
  );
  for (const { item, first } of repeats(setPatches, (patch) => patch.id)) {
    addRuleIssue(ctx, {
      rule: 'unique-name',
      path: item.path,
      message: `gives the same Omni ConfigPatch ID (${item.id}) as ${setPatches[first]?.path.join('.')}; rename the patch or the set`,
    });
  }
  if (cluster.controlPlane.size < 1) {
    addRuleIssue(ctx, {
      rule: 'range',
      path: ['controlPlane', 'size'],
      message: 'needs at least one machine',
    });
  }
}
