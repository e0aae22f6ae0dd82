/**
 * How the models' checks report a finding: the context zod hands a refinement, reduced to what the checks use, so
 * that the checks need no zod and the validator compiled at build time can hand them a context of its own.
 *
 * @module
 */

/** A custom issue that names its rule, as the models' refinements raise them. */
export interface RuleIssue {
  /** The rule id (see {@link TopologyIssue.rule}). */
  readonly rule: string;
  /** What is wrong and what to do. */
  readonly message: string;
  /** Path below the refined value. */
  readonly path?: readonly (string | number)[];
}

/** A custom issue as zod's refinement context takes it (a type, not an interface: zod's takes an index signature). */
export type CustomIssue = {
  /** Always `custom`. */
  readonly code: 'custom';
  /** What is wrong and what to do. */
  readonly message: string;
  /** `{ rule }`, read back by `toTopologyIssue`. */
  readonly params: { readonly rule: string };
  /** Path below the refined value. */
  readonly path: (string | number)[];
};

/**
 * What a check may do with its context: add an issue (zod's `RefinementCtx` is one; the compiled validator passes
 * another that only notes that something was found).
 */
export interface RuleContext {
  /** Records a finding. */
  addIssue(issue: CustomIssue): void;
}

/**
 * Adds a rule-carrying issue to a refinement context.
 *
 * @param ctx - The refinement context.
 * @param issue - The rule, message and relative path.
 */
export function addRuleIssue(ctx: RuleContext, issue: RuleIssue): void {
  ctx.addIssue({
    code: 'custom',
    message: issue.message,
    params: { rule: issue.rule },
    path: [...(issue.path ?? [])],
  });
}
