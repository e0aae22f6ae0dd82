/**
 * Label selectors for List and Watch, translated to COSI label terms (all terms must match).
 *
 * @module
 */
import type { LabelQuery } from './generated/cosi/resource.js';
import { LabelTerm_Operation } from './generated/cosi/resource.js';

/** Fields every label condition has. */
export interface LabelCondition {
  /** Label key. */
  readonly key: string;
  /** Negates the condition. */
  readonly invert?: boolean;
}

/** The label exists. */
export interface LabelExists extends LabelCondition {
  /** Operator. */
  readonly op: 'exists';
}

/** The label equals a value, or compares below it (`lt`/`lte` as text, `*-numeric` as numbers). */
export interface LabelCompare extends LabelCondition {
  /** Operator. */
  readonly op: 'equal' | 'lt' | 'lte' | 'lt-numeric' | 'lte-numeric';
  /** The value compared with. */
  readonly value: string;
}

/** The label equals one of several values. */
export interface LabelIn extends LabelCondition {
  /** Operator. */
  readonly op: 'in';
  /** The allowed values. */
  readonly values: readonly string[];
}

/** One condition on a label. */
export type LabelSelector = LabelExists | LabelCompare | LabelIn;

const OPERATIONS = {
  exists: LabelTerm_Operation.EXISTS,
  equal: LabelTerm_Operation.EQUAL,
  in: LabelTerm_Operation.IN,
  lt: LabelTerm_Operation.LT,
  lte: LabelTerm_Operation.LTE,
  'lt-numeric': LabelTerm_Operation.LT_NUMERIC,
  'lte-numeric': LabelTerm_Operation.LTE_NUMERIC,
} as const;

/**
 * Builds the wire label query for a conjunction of selectors.
 *
 * @param selectors - Conditions that must all hold.
 * @returns One COSI label query.
 *
 * @example
 * ```ts
 * toLabelQuery([{ key: 'omni.sidero.dev/cluster', op: 'equal', value: 'talos-prod' }]);
 * ```
 */
export function toLabelQuery(selectors: readonly LabelSelector[]): LabelQuery {
  return {
    terms: selectors.map((selector) => ({
      key: selector.key,
      op: OPERATIONS[selector.op],
      value: selector.op === 'exists' ? [] : selector.op === 'in' ? [...selector.values] : [selector.value],
      invert: selector.invert ?? false,
    })),
  };
}
