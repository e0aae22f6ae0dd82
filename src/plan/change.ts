/**
 * The plan model shared by every target (Omni, Proxmox, UniFi): what the artifacts want compared with what the
 * live system has, as a sorted list of changes.
 *
 * @module
 */

/** The systems a plan can be made for. */
export type PlanTarget = 'omni' | 'proxmox' | 'unifi' | 'hosts' | 'auth0' | 'tailscale';

/**
 * What applying a change does to one live object. `adopt` rewrites an existing object the SDK cannot prove it wrote
 * (it carries no marker); it is applied only with the caller's consent (e.g. `--adopt`).
 */
export type ChangeAction = 'create' | 'update' | 'adopt' | 'delete' | 'no-op';

/** One field whose live value differs from the desired one. A missing side means the field is absent there. */
export interface FieldDiff {
  /** Dotted path of the field inside the object, e.g. `spec.provider_data` or `net0`. */
  readonly path: string;
  /** The live value, absent when the field does not exist live. */
  readonly before?: unknown;
  /** The desired value, absent when the field is to be removed. */
  readonly after?: unknown;
}

/** One object a plan touches, or leaves alone. */
export interface Change {
  /** The system the object lives in. */
  readonly target: PlanTarget;
  /** The object's kind in the target's own words, e.g. `MachineClass`, `lxc`, `static-dns`. */
  readonly kind: string;
  /** The object's identity inside its kind, e.g. `matrix-worker`, `200`, `omni.spaceships.work`. */
  readonly id: string;
  /** What applying does. */
  readonly action: ChangeAction;
  /** Field-level differences; empty for `no-op` and usually for `delete`. */
  readonly fields: readonly FieldDiff[];
  /** Why the change is what it is, when the action alone does not say (e.g. "needs root@pam"). */
  readonly note?: string;
  /**
   * The object does not exist live and applying does not create it: only the object itself can appear (a Tailscale
   * node joins the tailnet by itself). Its action is `no-op`; drift reports such an object as disappeared when an
   * earlier apply left it in place.
   */
  readonly absent?: true;
}

/** An object found live that the SDK does not own: reported, never touched. */
export interface UnmanagedObject {
  /** The object's kind. */
  readonly kind: string;
  /** The object's identity. */
  readonly id: string;
  /** Why it is left alone. */
  readonly reason: string;
  /**
   * It sits where the SDK puts its own objects (inside the DNS zone, at a declared name or VMID, carrying the SDK's tag,
   * holding a grant of the SDK's own user), so its presence is drift; absent for a person's objects kept beside the
   * SDK's in shared places (a hand-written Auth0 URL or policy entry, a record outside the zone).
   */
  readonly inSdkNamespace?: true;
}

/** Desired artifacts compared with live state for one target. */
export interface Plan {
  /** The system this plan is for. */
  readonly target: PlanTarget;
  /** Every managed object, sorted by kind then id. */
  readonly changes: readonly Change[];
  /** Live objects the SDK saw but does not own. */
  readonly unmanaged: readonly UnmanagedObject[];
}

/**
 * Builds one change; the notes that are not empty are joined with `; `.
 *
 * @param target - The system the object lives in.
 * @param kind - The object's kind in the target's own words.
 * @param id - The object's identity inside its kind.
 * @param action - What applying does.
 * @param fields - Field-level differences.
 * @param notes - Reasons and caveats; empty and missing ones are left out.
 * @returns The change.
 */
export function createChange(
  target: PlanTarget,
  kind: string,
  id: string,
  action: ChangeAction,
  fields: readonly FieldDiff[] = [],
  notes: readonly (string | undefined)[] = [],
): Change {
  const note = notes.filter((text): text is string => Boolean(text)).join('; ');
  return { target, kind, id, action, fields, ...(note ? { note } : {}) };
}

/** Counts of changes by action; `adopt` only when the plan has one. */
export type PlanSummary = Readonly<Record<Exclude<ChangeAction, 'adopt'>, number>> & {
  /** Objects to adopt; absent when there are none, so plans without adoptions summarise as before. */
  readonly adopt?: number;
};

/**
 * Counts the changes of a plan by action.
 *
 * @param plan - The plan to count.
 * @returns How many objects would be created, updated, adopted, deleted or left as they are.
 */
export function summarizePlan(plan: Plan): PlanSummary {
  const summary: Record<ChangeAction, number> = { create: 0, update: 0, adopt: 0, delete: 0, 'no-op': 0 };
  for (const change of plan.changes) summary[change.action]++;
  const { adopt, ...rest } = summary;
  return adopt ? { ...rest, adopt } : rest;
}

/**
 * Tells whether applying the plan would change anything.
 *
 * @param plan - The plan to inspect.
 * @returns `true` when at least one change is not a `no-op`.
 */
export function planHasChanges(plan: Plan): boolean {
  return plan.changes.some((change) => change.action !== 'no-op');
}

/**
 * Builds a plan with its changes and unmanaged objects in a stable order (kind, then id).
 *
 * @param target - The system the plan is for.
 * @param changes - The changes, in any order.
 * @param unmanaged - Live objects left alone, in any order.
 * @returns The plan, sorted.
 */
export function createPlan(
  target: PlanTarget,
  changes: readonly Change[],
  unmanaged: readonly UnmanagedObject[] = [],
): Plan {
  const byKindThenId = (a: { kind: string; id: string }, b: { kind: string; id: string }): number =>
    compareText(a.kind, b.kind) || compareText(a.id, b.id);
  return {
    target,
    changes: [...changes].sort(byKindThenId),
    unmanaged: [...unmanaged].sort(byKindThenId),
  };
}

/** Orders text by code unit, the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
