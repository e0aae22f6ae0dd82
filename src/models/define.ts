import type * as z from './zod.js';
import type { TopologyIssue } from './issue.js';
import { TopologyError, sortIssues } from './issue.js';
import { topologySchema } from './topology.js';

/** A value and everything inside it made read-only. */
export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A topology as its author writes it (defaults may be left out). */
export type TopologyInput = z.input<ReturnType<typeof topologySchema>>;

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
 *   // ...
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
 * @param input - The topology as written; anything is accepted and checked.
 * @returns `{ success: true, topology }` or `{ success: false, issues }`.
 */
export function safeDefineTopology(input: unknown): DefineTopologyResult {
  const reserved = prototypeKeyIssues(input, []);
  const parsed = topologySchema().safeParse(input);
  if (!parsed.success || reserved.length > 0) {
    const issues = parsed.success ? [] : parsed.error.issues.map(toTopologyIssue);
    return { success: false, issues: sortIssues([...reserved, ...issues]) };
  }
  return { success: true, topology: deepFreeze(parsed.data) as Topology };
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

/**
 * Own `__proto__` keys (JSON and YAML can carry them): zod would drop them silently, and with them a guest or a
 * cluster, so they are refused by name.
 */
function prototypeKeyIssues(value: unknown, path: readonly string[]): TopologyIssue[] {
  if (value === null || typeof value !== 'object') return [];
  const issues: TopologyIssue[] = [];
  for (const key of Object.keys(value)) {
    if (key === '__proto__') {
      issues.push({
        path: [...path, key].join('.'),
        rule: 'reserved-name',
        message: 'is reserved (it names a built-in property of every object); choose another name',
        severity: 'error',
      });
    } else {
      issues.push(...prototypeKeyIssues((value as Record<string, unknown>)[key], [...path, key]));
    }
  }
  return issues;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
