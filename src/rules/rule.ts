import type { Topology } from '../models/define.js';
import type { Severity } from '../models/issue.js';

/** A problem a rule found: where, and what to do. */
export interface RuleFinding {
  /** Dotted path of the offending value. */
  readonly path: string;
  /** What is wrong and what to do; names the other paths involved. */
  readonly message: string;
}

/** One of the architecture's decisions, as a check over a validated topology. */
export interface Rule {
  /** Stable id, used in reports and to silence a rule. */
  readonly id: string;
  /** Whether a finding stops generation (`error`) or is only reported (`warning`). */
  readonly severity: Severity;
  /** The decision the rule enforces, in one sentence. */
  readonly description: string;
  /**
   * Checks a topology.
   *
   * @param topology - A validated topology.
   * @returns The problems found; empty when the rule holds.
   */
  check(topology: Topology): RuleFinding[];
}
