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
  /**
   * Plans the removal of everything the SDK owns for these artifacts on this system: `delete` changes for owned
   * objects, `no-op` with a note for what it keeps (a person's objects, a guest with an undeclared disk).
   * Absent while a target cannot destroy yet.
   */
  planDestroy?(set: ArtifactSet): Promise<Plan>;
  /** Plans the removal, then removes what the SDK owns (never anything else), in the system's own safe order. */
  destroy?(set: ArtifactSet): Promise<TargetApplyResult>;
  /**
   * Waits until what a plan of this target describes is ready for use (Omni: every cluster it keeps), as `--wait`
   * asks after an apply, including one that had nothing to change. Absent where a target has nothing to wait for.
   */
  waitReady?(plan: Plan): Promise<void>;
  /** Closes connections. */
  close(): Promise<void>;
}
