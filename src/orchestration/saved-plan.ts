/**
 * Saved plans, as `terraform plan -out` and `terraform apply planfile` work: a plan is written to a file with what it
 * was made from (the SDK version, the artifact set's digest, per node a fingerprint of the live state it saw), and
 * applying the file first proves that none of that changed, so what is applied is exactly what a person reviewed.
 *
 * The file (format {@link SAVED_PLAN_FORMAT}, version {@link SAVED_PLAN_VERSION}) is canonical JSON:
 *
 * ```json
 * {
 *   "format": "talos-topology/saved-plan",
 *   "version": 1,
 *   "sdkVersion": "0.1.0",
 *   "artifactDigest": "<SHA-256 of every artifact path and content, see artifactSetDigest>",
 *   "selection": { "nodes": ["proxmox:matrix", "unifi"], "cluster": "matrix", "leftOut": [{ "target": "hosts", "reason": "no-credentials", "message": "..." }] },
 *   "options": { "adopt": false, "...": "the front end's options the plan was made with" },
 *   "nodes": [{ "node": "unifi", "target": "unifi", "needs": [], "liveState": "<SHA-256>", "plan": { "target": "unifi", "changes": [], "unmanaged": [] } }]
 * }
 * ```
 *
 * Plans never carry a secret's value (a change names where a secret goes, never what it is), so neither does the file;
 * it is still written with mode 0600, as a plan describes the lab.
 *
 * @module
 */
import { lstat, readFile } from 'node:fs/promises';
import { artifactSetDigest } from '../generators/artifact-digest.js';
import type { ArtifactSet } from '../generators/artifact.js';
import { sha256Hex } from '../generators/artifact.js';
import { writeFileAtomically } from '../generators/files.js';
import { SDK_VERSION } from '../generators/sdk-version.js';
import { sortKeysDeep, toCanonicalJson } from '../generators/serialize-json.js';
import type { Plan, PlanTarget } from '../plan/change.js';
import type { LeftOutJson } from './report.js';
import type { RunAllOptions, TargetRun } from './run-all.js';
import { applyAll, planAll } from './run-all.js';
import type { TargetApplyResult } from './session.js';
import type { LeftOutTarget, TargetSelection } from './selection.js';
import type { TargetNode } from './target-graph.js';
import { TARGET_ORDER } from './target-graph.js';

/** The `format` of every saved plan file. */
export const SAVED_PLAN_FORMAT = 'talos-topology/saved-plan';

/** The version of the file's layout this SDK writes and reads; another version is refused (plan again). */
export const SAVED_PLAN_VERSION = 1;

/** A value the front end records in a saved plan (its options), as JSON holds it. */
export type SavedOptionValue = string | number | boolean | readonly string[] | null;

/** One node of a saved plan: the plan made for it and the fingerprint of the live state it saw. */
export interface SavedNode {
  /** `proxmox:<cluster>` or the target's name. */
  readonly node: string;
  /** The target. */
  readonly target: PlanTarget;
  /** The Proxmox cluster, for a Proxmox node. */
  readonly cluster?: string;
  /** The nodes applied before it. */
  readonly needs: readonly string[];
  /** {@link liveStateFingerprint} of {@link SavedNode.plan}. */
  readonly liveState: string;
  /** The plan, in the library's words. */
  readonly plan: Plan;
}

/** A saved plan, as the file holds it. */
export interface SavedPlan {
  /** Always {@link SAVED_PLAN_FORMAT}. */
  readonly format: typeof SAVED_PLAN_FORMAT;
  /** Always {@link SAVED_PLAN_VERSION}. */
  readonly version: typeof SAVED_PLAN_VERSION;
  /** The SDK that made the plan; another SDK may plan differently, so it is refused. */
  readonly sdkVersion: string;
  /** `artifactSetDigest` of the output folder the plan was made from. */
  readonly artifactDigest: string;
  /** What the run covered. */
  readonly selection: {
    /** The nodes planned, in dependency order. */
    readonly nodes: readonly string[];
    /** The Proxmox cluster asked for, when one was. */
    readonly cluster?: string;
    /** The targets left out, and why. */
    readonly leftOut: readonly LeftOutJson[];
  };
  /** The front end's options the plan was made with; apply makes its plans with the same ones. */
  readonly options: Readonly<Record<string, SavedOptionValue>>;
  /** Each node planned, in dependency order. */
  readonly nodes: readonly SavedNode[];
}

/** Why a saved plan cannot be written or applied. */
export type SavedPlanProblem =
  'plan-failed' | 'symbolic-link' | 'unreadable' | 'invalid' | 'other-version' | 'artifacts-changed' | 'stale';

/** A saved plan that cannot be written or applied: the file, why, and for a stale plan the nodes that changed. */
export class SavedPlanError extends Error {
  /** Always `SavedPlanError`. */
  override readonly name = 'SavedPlanError';
  /** The plan file. */
  readonly file: string;
  /** Why. */
  readonly problem: SavedPlanProblem;
  /** The nodes concerned (those whose live state changed, or whose plan failed). */
  readonly nodes: readonly string[];

  /**
   * @param file - The plan file.
   * @param problem - Why.
   * @param message - What is wrong and what to do, naming the file.
   * @param nodes - The nodes concerned.
   */
  constructor(file: string, problem: SavedPlanProblem, message: string, nodes: readonly string[] = []) {
    super(message);
    this.file = file;
    this.problem = problem;
    this.nodes = nodes;
  }
}

/**
 * The fingerprint of the live state a plan saw: the SHA-256 of the canonical JSON (keys sorted) of its changes, each
 * with its fields' live (`before`) and desired (`after`) values, and of the unmanaged objects it found. That is the
 * live state as the plan depends on it: every live value that decides an action is a `before` of some change, and a
 * live object the plan leaves alone is listed under `unmanaged`; a live change the plan does not look at cannot
 * change what applying it does, so it does not make the plan stale.
 *
 * @param plan - A plan.
 * @returns 64 lower-case hex digits.
 */
export function liveStateFingerprint(plan: Plan): string {
  return sha256Hex(JSON.stringify(sortKeysDeep({ changes: plan.changes, unmanaged: plan.unmanaged })));
}

/** What {@link createSavedPlan} records besides the plans. */
export interface SavedPlanContext {
  /** The targets left out, as the plan document shows them. */
  readonly leftOut: readonly LeftOutJson[];
  /** The Proxmox cluster asked for. */
  readonly cluster?: string;
  /** The front end's options the plans were made with. */
  readonly options: Readonly<Record<string, SavedOptionValue>>;
}

/**
 * Builds a saved plan from a run of `planAll`. Like Terraform, a plan with errors is not saved: a node whose plan
 * failed has no live state to fingerprint.
 *
 * @param file - Where it will be written, for the message.
 * @param set - The artifact set the plans were made from.
 * @param runs - Each node's plan, from `planAll`.
 * @param context - The targets left out, the cluster and the front end's options.
 * @returns The saved plan.
 * @throws {@link SavedPlanError} (`plan-failed`) naming the nodes whose plan failed.
 */
export function createSavedPlan(
  file: string,
  set: ArtifactSet,
  runs: readonly TargetRun<Plan>[],
  context: SavedPlanContext,
): SavedPlan {
  const failed = runs.filter((run) => run.outcome.status !== 'done').map((run) => run.node.id);
  if (failed.length > 0) {
    throw new SavedPlanError(
      file,
      'plan-failed',
      `${file} was not written: the plan of ${failed.join(', ')} failed; fix that and plan again`,
      failed,
    );
  }
  return {
    format: SAVED_PLAN_FORMAT,
    version: SAVED_PLAN_VERSION,
    sdkVersion: SDK_VERSION,
    artifactDigest: artifactSetDigest(set),
    selection: {
      nodes: runs.map((run) => run.node.id),
      ...(context.cluster !== undefined ? { cluster: context.cluster } : {}),
      leftOut: context.leftOut,
    },
    options: context.options,
    nodes: runs.map(({ node, outcome }) => {
      const plan = (outcome as { value: Plan }).value;
      return {
        node: node.id,
        target: node.target,
        ...(node.cluster !== undefined ? { cluster: node.cluster } : {}),
        needs: node.needs,
        liveState: liveStateFingerprint(plan),
        plan,
      };
    }),
  };
}

/**
 * Writes a saved plan: atomically (a temporary file beside it, renamed over it) with mode 0600. A symbolic link at the
 * path is refused: the rename would replace the link with a regular file and leave what it points at unchanged.
 *
 * @param file - The plan file.
 * @param saved - The saved plan.
 * @throws {@link SavedPlanError} (`symbolic-link`) when `file` is a symbolic link.
 */
export async function writeSavedPlan(file: string, saved: SavedPlan): Promise<void> {
  const stats = await lstat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (stats?.isSymbolicLink()) {
    throw new SavedPlanError(
      file,
      'symbolic-link',
      `refusing to write the plan to ${file}: it is a symbolic link; give the path of a regular file`,
    );
  }
  await writeFileAtomically(file, toCanonicalJson(saved), 0o600);
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Whether a value has the shape of a saved node; its plan is then proven by its fingerprint. */
function isSavedNode(value: unknown): value is SavedNode {
  const node = value as Partial<Record<keyof SavedNode, unknown>> | null;
  const plan = node?.plan as Partial<Record<keyof Plan, unknown>> | null | undefined;
  return (
    typeof node?.node === 'string' &&
    TARGET_ORDER.includes(node.target as PlanTarget) &&
    (node.cluster === undefined || typeof node.cluster === 'string') &&
    isStringList(node.needs) &&
    typeof node.liveState === 'string' &&
    plan?.target === node.target &&
    plan !== null &&
    plan !== undefined &&
    Array.isArray(plan.changes) &&
    Array.isArray(plan.unmanaged)
  );
}

/**
 * Reads a saved plan, refusing anything but a plan this SDK saved, unchanged.
 *
 * @param file - The plan file.
 * @returns The saved plan.
 * @throws {@link SavedPlanError} naming the file when it is missing or unreadable, not a saved plan, of another format
 *   version or SDK version, or edited (a plan that no longer matches its fingerprint).
 */
export async function readSavedPlan(file: string): Promise<SavedPlan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new SavedPlanError(file, 'unreadable', `cannot read the saved plan ${file}: ${reason}`);
  }
  const invalid = (why: string): SavedPlanError =>
    new SavedPlanError(
      file,
      'invalid',
      `${file} is not a saved plan of talos-topology (${why}); plan again with --save`,
    );
  let data: Partial<Record<keyof SavedPlan, unknown>> | null;
  try {
    data = JSON.parse(text) as typeof data;
  } catch {
    throw invalid('not JSON');
  }
  if (data?.format !== SAVED_PLAN_FORMAT) throw invalid(`"format" is not "${SAVED_PLAN_FORMAT}"`);
  if (data.version !== SAVED_PLAN_VERSION || data.sdkVersion !== SDK_VERSION) {
    throw new SavedPlanError(
      file,
      'other-version',
      `${file} was saved in format version ${String(data.version)} by talos-topology ${String(data.sdkVersion)}; ` +
        `this is talos-topology ${SDK_VERSION} (format version ${SAVED_PLAN_VERSION}), which may plan differently: plan again`,
    );
  }
  const selection = data.selection as Partial<SavedPlan['selection']> | null | undefined;
  if (typeof data.artifactDigest !== 'string' || !SHA256_HEX.test(data.artifactDigest)) {
    throw invalid('no artifact digest');
  }
  if (!isStringList(selection?.nodes) || !Array.isArray(selection.leftOut)) throw invalid('no selection');
  if (data.options === null || typeof data.options !== 'object' || Array.isArray(data.options)) {
    throw invalid('no options');
  }
  if (!Array.isArray(data.nodes) || !data.nodes.every(isSavedNode)) throw invalid('a node is malformed');
  const edited = data.nodes.filter((node) => liveStateFingerprint(node.plan) !== node.liveState);
  if (edited.length > 0) throw invalid(`the plan of ${edited.map((node) => node.node).join(', ')} was edited`);
  return data as SavedPlan;
}

/**
 * The graph nodes of a saved plan, as they were planned.
 *
 * @param saved - The saved plan.
 * @returns The nodes, in dependency order.
 */
export function savedPlanNodes(saved: SavedPlan): TargetNode[] {
  return saved.nodes.map((node) => ({
    id: node.node,
    target: node.target,
    ...(node.cluster !== undefined ? { cluster: node.cluster } : {}),
    needs: node.needs,
  }));
}

/**
 * The selection a saved plan covered, for the apply report: its nodes, and the targets it left out (a target left out
 * for missing credentials carries the message saved with it).
 *
 * @param saved - The saved plan.
 * @returns The selection.
 */
export function savedPlanSelection(saved: SavedPlan): TargetSelection {
  const leftOut = saved.selection.leftOut.map((left): LeftOutTarget =>
    left.reason === 'no-credentials'
      ? { target: left.target, reason: left.reason, error: new Error(left.message ?? 'no credentials') }
      : { target: left.target, reason: left.reason },
  );
  return { nodes: savedPlanNodes(saved), leftOut };
}

/**
 * Proves a saved plan still holds: the artifact set has the digest it was planned from, and a fresh plan of every
 * saved node sees the same live state. Every node is planned before anything is applied, so a node's prerequisites
 * have not changed its live state yet, as they had not when the plan was saved.
 *
 * @param file - The plan file, for messages.
 * @param saved - The saved plan.
 * @param options - The artifact set of the output folder now, the session opener and the bound.
 * @throws {@link SavedPlanError}: `artifacts-changed` when the set differs; `stale` naming each node whose live state
 *   changed or that could not be planned again.
 */
export async function checkSavedPlan(file: string, saved: SavedPlan, options: RunAllOptions): Promise<void> {
  if (artifactSetDigest(options.set) !== saved.artifactDigest) {
    throw new SavedPlanError(
      file,
      'artifacts-changed',
      `the artifacts changed since the plan was saved in ${file}: plan again`,
    );
  }
  const runs = await planAll(savedPlanNodes(saved), options);
  const stale = runs.filter(
    ({ outcome }, index) =>
      outcome.status !== 'done' || liveStateFingerprint(outcome.value) !== saved.nodes[index]!.liveState,
  );
  if (stale.length > 0) {
    const named = stale.map(({ node, outcome }) =>
      outcome.status === 'failed'
        ? `${node.id} (planning it again failed: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)})`
        : node.id,
    );
    throw new SavedPlanError(
      file,
      'stale',
      `the plan in ${file} is stale: the live state of ${named.join(', ')} changed since it was saved; plan again`,
      stale.map((run) => run.node.id),
    );
  }
}

/**
 * Applies a saved plan: proves it still holds ({@link checkSavedPlan}), then applies exactly its nodes in dependency
 * order (`applyAll`). The saved plan is the approval: nothing is asked.
 *
 * @param file - The plan file, for messages.
 * @param saved - The saved plan (see {@link readSavedPlan}).
 * @param options - The artifact set of the output folder, the session opener and the bound.
 * @returns Each node's result, error or the failures it waited for, in dependency order.
 * @throws {@link SavedPlanError} when the artifacts or the live state changed since the plan was saved.
 */
export async function applySavedPlan(
  file: string,
  saved: SavedPlan,
  options: RunAllOptions,
): Promise<TargetRun<TargetApplyResult>[]> {
  await checkSavedPlan(file, saved, options);
  return applyAll(savedPlanNodes(saved), options);
}
