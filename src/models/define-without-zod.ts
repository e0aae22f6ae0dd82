/**
 * The part of validation that needs no zod: the input bounds, then the validator compiled from the schema at build
 * time (`scripts/compile-validator.ts`). It settles a valid topology, and input too unsafe to read, without loading
 * zod; everything else is for zod to validate and explain.
 *
 * @module
 */
import type { DefineTopologyResult, Topology } from './define.js';
import { fastParseTopology } from './generated/topology-fast-parse.js';
import { inputBoundIssues } from './input-bounds.js';
import type { TopologyIssue } from './issue.js';
import { sortIssues } from './issue.js';

/** What validation without zod found: the answer, or the bounds issues for zod's findings to join. */
export type ZodFreeDefinition =
  | { readonly result: DefineTopologyResult }
  | { readonly result?: undefined; readonly bounds: readonly TopologyIssue[] };

/**
 * Validates what can be validated without zod.
 *
 * @param input - The topology as written.
 * @returns The result when it is settled; otherwise the bounds issues (only `reserved-name` ones), for zod to decide.
 * @throws Whatever reading an exotic input throws (a proxy); `safeDefineTopology` reports that as `plain-data`.
 */
export function defineWithoutZod(input: unknown): ZodFreeDefinition {
  const bounds = inputBoundIssues(input);
  // Only a reserved key leaves the value safe to validate; report it with the schema's findings.
  if (bounds.some((issue) => issue.rule !== 'reserved-name')) {
    return { result: { success: false, issues: sortIssues(bounds) } };
  }
  const fast = bounds.length === 0 ? fastParseTopology(input) : undefined;
  if (fast) return { result: { success: true, topology: deepFreeze(fast.value) as Topology } };
  return { bounds };
}

/**
 * Freezes a value and everything inside it.
 *
 * @param value - A validated topology.
 * @returns The same value, frozen.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
