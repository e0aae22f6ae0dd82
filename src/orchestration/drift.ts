/**
 * Drift: what changed on the live systems outside the SDK since it last applied, read from a fresh plan and the
 * applied state, without changing anything. Pure: a plan and a record in, drift items out.
 *
 * A plan compares the artifacts with the live system; the applied state says which objects an apply left in place.
 * Together they tell three kinds of drift apart from changes that are simply not applied yet:
 * - `differs`: an object left in place whose live fields differ from the artifacts (a plan `update` or `adopt`);
 * - `disappeared`: an object left in place that is gone (a plan `create`, or a change marked `absent`);
 * - `unowned`: an object the SDK did not leave there, in the SDK's namespace: an `unmanaged` entry the client marks
 *   `inSdkNamespace`, or a planned `delete` of an object no apply left in place (it carries the SDK's marker).
 * Not drift, but listed: `not-applied-yet` (a change of an object no apply left in place: the artifacts are ahead of the
 * live system) and `no-longer-declared` (a `delete` of an object an apply left in place: the artifacts dropped it).
 * Without a record for a node nothing can be told apart, so a `create` is `missing` (counted as drift: a scheduled job
 * must not pass on a lab whose record was lost), and `update`, `adopt` and `delete` are read as above.
 *
 * What each target's plan lists as unmanaged, and which of it is in the SDK's namespace (decided where the plan is
 * made, see `UnmanagedObject.inSdkNamespace`):
 * - Proxmox: a grant of the provider's user or token the artifact does not declare (namespace: the SDK's user), and a
 *   guest carrying the SDK's tag at a VMID no artifact declares (namespace: the tag).
 * - hosts: a file the SDK wrote in its stack folder, no longer generated and edited on the host (namespace: the folder).
 * - UniFi: a second record under a declared name, and an unprotected A/AAAA/CNAME record inside the zone that is not
 *   declared (namespace: the zone); records outside the zone, protected ones and other types are a person's. A route
 *   whose name carries the SDK's prefix is planned as a `delete`; other routes are a person's.
 * - Auth0: only URLs a person added to the application (never drift: the application is shared with its owner).
 * - Tailscale: a second node with a declared host name, and a node carrying a declared tag under another host name
 *   (namespace: the host names and tags); policy entries without the SDK's marker are a person's.
 * - Omni: a resource at an id the artifacts declare that the SDK does not manage (namespace: the declared ids); a
 *   resource annotated for this topology but not declared is planned as a `delete`; any other resource is a person's.
 *
 * @module
 */
import type { ChangeAction, FieldDiff, Plan } from '../plan/change.js';
import type { AppliedNode, AppliedState } from './applied-state.js';
import type { LeftOutJson, NodeJson, ReportWords } from './report.js';
import { heading, leftOutJson, leftOutLines, nodeJson } from './report.js';
import type { TargetRun } from './run-all.js';
import type { TargetSelection } from './selection.js';

/** What kind of drift an object shows. */
export type DriftCategory = 'differs' | 'disappeared' | 'unowned' | 'missing';

/** One object that drifted. */
export interface DriftItem {
  /** How it drifted. */
  readonly drift: DriftCategory;
  /** The object's kind in the target's own words. */
  readonly kind: string;
  /** Its identity inside its kind. */
  readonly id: string;
  /** For `differs`: each field, `before` live and `after` as the artifacts say. */
  readonly fields: readonly FieldDiff[];
  /** Why (the plan's note, or the reason an unowned object is left alone). */
  readonly note?: string;
}

/** Why a change that is not drift is still listed. */
export type PendingReason = 'not-applied-yet' | 'no-longer-declared';

/** A change apply would make that is not drift: the artifacts moved, not the live system. */
export interface PendingItem {
  /** Why it is pending. */
  readonly pending: PendingReason;
  /** The object's kind. */
  readonly kind: string;
  /** Its identity. */
  readonly id: string;
  /** What apply would do. */
  readonly action: ChangeAction;
}

/** One node's drift. */
export interface NodeDrift {
  /** The objects that drifted, in plan order (kind, then id), unowned objects last. */
  readonly drift: readonly DriftItem[];
  /** The changes that are not drift. */
  readonly pending: readonly PendingItem[];
}

/** Counts of a drift check. */
export interface DriftCounts {
  /** Objects whose fields differ. */
  readonly differs: number;
  /** Objects that disappeared. */
  readonly disappeared: number;
  /** Unowned objects in the SDK's namespace. */
  readonly unowned: number;
  /** Objects missing with no record of an earlier apply. */
  readonly missing: number;
  /** Changes that are not drift. */
  readonly pending: number;
}

/** What the applied state says about a node. */
export interface DriftRecordJson {
  /** When its last successful apply ended. */
  readonly appliedAt: string;
  /** The artifacts changed since that apply, so a `differs` may be a change not applied yet rather than drift. */
  readonly artifactsChanged: boolean;
}

/** One node of a drift check, as data. */
export type DriftNodeJson = NodeJson &
  (
    | ({
        /** The live system was read. */
        readonly status: 'checked';
        /** The last apply recorded for the node; `null` when there is none. */
        readonly record: DriftRecordJson | null;
        /** Its counts. */
        readonly summary: DriftCounts;
      } & NodeDrift)
    | {
        /** The plan could not be made. */
        readonly status: 'failed';
        /** Why. */
        readonly error: string;
      }
  );

/** A drift check across targets: a section per node in dependency order and a summary. */
export interface DriftDocument {
  /** Whether any node drifted (the exit code 2 of `drift`). */
  readonly drifted: boolean;
  /** The nodes, in dependency order. */
  readonly targets: readonly DriftNodeJson[];
  /** The targets left out. */
  readonly leftOut: readonly LeftOutJson[];
  /** The counts of every node checked, added up, and how many nodes could not be checked. */
  readonly summary: DriftCounts & {
    /** Nodes whose plan failed. */
    readonly failed: number;
  };
}

function key(kind: string, id: string): string {
  return `${kind}\u0000${id}`;
}

/**
 * Classifies a fresh plan of one node against what its last apply left in place (see the module comment).
 *
 * @param plan - The node's fresh plan.
 * @param record - The node's applied record, or `undefined` when no apply was recorded.
 * @returns The drift items and the pending changes.
 */
export function classifyDrift(plan: Plan, record: AppliedNode | undefined): NodeDrift {
  const applied = new Set(record?.objects.map((object) => key(object.kind, object.id)));
  const drift: DriftItem[] = [];
  const pending: PendingItem[] = [];
  for (const change of plan.changes) {
    const { kind, id, action, fields } = change;
    const note = change.note !== undefined ? { note: change.note } : {};
    const gone = action === 'create' || change.absent === true;
    if (action === 'no-op' && !gone) continue;
    if (record !== undefined && !applied.has(key(kind, id))) {
      if (action === 'delete') drift.push({ drift: 'unowned', kind, id, fields: [], ...note });
      else pending.push({ pending: 'not-applied-yet', kind, id, action });
      continue;
    }
    if (gone) {
      drift.push({ drift: record ? 'disappeared' : 'missing', kind, id, fields: [], ...note });
    } else if (action === 'delete') {
      if (record) pending.push({ pending: 'no-longer-declared', kind, id, action });
      else drift.push({ drift: 'unowned', kind, id, fields: [], ...note });
    } else {
      drift.push({ drift: 'differs', kind, id, fields, ...note });
    }
  }
  for (const object of plan.unmanaged) {
    if (object.inSdkNamespace) {
      drift.push({ drift: 'unowned', kind: object.kind, id: object.id, fields: [], note: object.reason });
    }
  }
  return { drift, pending };
}

const CATEGORIES: readonly DriftCategory[] = ['differs', 'disappeared', 'unowned', 'missing'];

function countDrift(node: NodeDrift): DriftCounts {
  const count = (category: DriftCategory): number => node.drift.filter((item) => item.drift === category).length;
  return {
    differs: count('differs'),
    disappeared: count('disappeared'),
    unowned: count('unowned'),
    missing: count('missing'),
    pending: node.pending.length,
  };
}

function driftTotal(counts: DriftCounts): number {
  return CATEGORIES.reduce((total, category) => total + counts[category], 0);
}

/**
 * Builds the drift document of a run: each node's fresh plan classified against its applied record.
 *
 * @param selection - The nodes covered and the targets left out.
 * @param runs - Each node's fresh plan or error, from `planAll`.
 * @param state - The applied state, or `undefined` when no apply was recorded.
 * @param artifacts - `appliedArtifactsDigest` of the artifacts planned, to tell whether they changed since each apply.
 * @param words - The front end's wording (plans and errors).
 * @returns JSON-safe data; `drifted` is true when any node shows drift.
 */
export function driftDocument(
  selection: TargetSelection,
  runs: readonly TargetRun<Plan>[],
  state: AppliedState | undefined,
  artifacts: string,
  words: ReportWords,
): DriftDocument {
  const targets = runs.map(({ node, outcome }): DriftNodeJson => {
    if (outcome.status !== 'done') {
      const error = outcome.status === 'failed' ? words.error(outcome.error) : 'not attempted';
      return { ...nodeJson(node), status: 'failed', error };
    }
    const recorded = state?.nodes[node.id];
    const record = recorded?.target === node.target ? recorded : undefined;
    const classified = classifyDrift(words.plan(outcome.value), record);
    return {
      ...nodeJson(node),
      status: 'checked',
      record: record ? { appliedAt: record.appliedAt, artifactsChanged: record.artifacts !== artifacts } : null,
      summary: countDrift(classified),
      ...classified,
    };
  });
  const checked = targets.flatMap((target) => (target.status === 'checked' ? [target.summary] : []));
  const add = (field: keyof DriftCounts): number => checked.reduce((total, counts) => total + counts[field], 0);
  const summary = {
    differs: add('differs'),
    disappeared: add('disappeared'),
    unowned: add('unowned'),
    missing: add('missing'),
    pending: add('pending'),
    failed: targets.length - checked.length,
  };
  return {
    drifted: driftTotal(summary) > 0,
    targets,
    leftOut: selection.leftOut.map((left) => leftOutJson(left, words)),
    summary,
  };
}

const SIGN: Readonly<Record<DriftCategory, string>> = { differs: '~', disappeared: '-', unowned: '+', missing: '?' };

const MEANING: Readonly<Record<DriftCategory, string>> = {
  differs: 'differs from the artifacts',
  disappeared: 'disappeared',
  unowned: "not the SDK's, in its namespace",
  missing: 'missing (no record of an earlier apply)',
};

const PENDING: Readonly<Record<PendingReason, string>> = {
  'not-applied-yet': 'not applied yet',
  'no-longer-declared': 'no longer declared',
};

function show(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

/**
 * A one-line summary of drift counts.
 *
 * @param counts - The counts.
 * @returns E.g. `1 differs, 0 disappeared, 2 unowned` (`, N missing` and `; N pending, not drift` when any).
 */
export function formatDriftCounts(counts: DriftCounts): string {
  const missing = counts.missing ? `, ${counts.missing} missing` : '';
  const pending = counts.pending ? `; ${counts.pending} pending, not drift` : '';
  return `${counts.differs} differs, ${counts.disappeared} disappeared, ${counts.unowned} unowned${missing}${pending}`;
}

function recordLine(node: Extract<DriftNodeJson, { status: 'checked' }>): string {
  if (!node.record) return 'no record of an earlier apply: a missing object may have disappeared or never been applied';
  const changed = node.record.artifactsChanged
    ? '; the artifacts changed since, so a difference may be a change not applied yet'
    : '';
  return `last apply ${node.record.appliedAt}${changed}`;
}

/**
 * One node's section of the drift document, without its heading: its record, each drifted object (a difference shows
 * the live value and the artifacts'), the pending changes, or why it could not be checked.
 *
 * @param target - The node, as the document holds it.
 * @returns The lines.
 */
export function driftNodeLines(target: DriftNodeJson): string[] {
  if (target.status === 'failed') return [`drift check failed: ${target.error}`];
  const lines = [recordLine(target)];
  for (const item of target.drift) {
    lines.push(
      `  ${SIGN[item.drift]} ${item.kind} ${item.id}: ${MEANING[item.drift]}${item.note ? ` (${item.note})` : ''}`,
    );
    for (const field of item.fields) {
      lines.push(`      ${field.path}: live ${show(field.before)}, artifacts ${show(field.after)}`);
    }
  }
  for (const item of target.pending) {
    lines.push(`  = ${item.kind} ${item.id}: ${PENDING[item.pending]} (apply would ${item.action}; not drift)`);
  }
  if (target.drift.length === 0) lines.push('  no drift');
  return lines;
}

/**
 * A node's summary line of the drift document.
 *
 * @param target - The node, as the document holds it.
 * @returns `failed`, or its counts.
 */
export function driftNodeSummary(target: DriftNodeJson): string {
  return target.status === 'failed' ? 'failed' : formatDriftCounts(target.summary);
}

/**
 * The drift document's total line.
 *
 * @param document - From {@link driftDocument}.
 * @returns The counts added up, and how many nodes could not be checked.
 */
export function formatDriftTotal(document: DriftDocument): string {
  const failed = document.summary.failed ? `; ${document.summary.failed} not checked` : '';
  return `${formatDriftCounts(document.summary)}${failed}`;
}

/**
 * The drift document as text for people: what is covered and left out, a section per node (see
 * {@link driftNodeLines}), then a summary per node and in total.
 *
 * @param document - From {@link driftDocument}.
 * @param selection - The selection it was made from (for the left-out lines).
 * @param words - The front end's wording.
 * @returns Text ending in a newline.
 */
export function formatDriftDocument(document: DriftDocument, selection: TargetSelection, words: ReportWords): string {
  const lines = [`drift: ${document.targets.map((target) => target.node).join(', ') || 'no targets'}`];
  lines.push(...leftOutLines(selection, words));
  for (const target of document.targets) {
    const node = selection.nodes.find((candidate) => candidate.id === target.node);
    lines.push('', node ? heading(node) : `== ${target.node} ==`, ...driftNodeLines(target));
  }
  lines.push(
    '',
    'summary',
    ...document.targets.map((target) => `  ${target.node}: ${driftNodeSummary(target)}`),
    `  total: ${formatDriftTotal(document)}`,
    document.drifted ? 'drift found' : 'no drift',
  );
  return `${lines.join('\n')}\n`;
}
