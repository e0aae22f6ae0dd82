import type { ArtifactSet } from '../generators/artifact.js';
import type { Change, Plan } from '../plan/change.js';

/** What a target did on apply. */
export interface TargetApplyResult {
  /** The plan it worked from, read fresh from the live system. */
  readonly plan: Plan;
  /** The changes made, in order. */
  readonly applied: readonly Change[];
  /** Changes left for a person (e.g. root@pam steps skipped on request). */
  readonly skipped: readonly Change[];
}

/** A connection to one live system, for plan and apply. */
export interface TargetSession {
  /** Compares the artifacts with the live system. */
  plan(set: ArtifactSet): Promise<Plan>;
  /** Plans, then applies. */
  apply(set: ArtifactSet): Promise<TargetApplyResult>;
  /** Closes connections. */
  close(): Promise<void>;
}
