/**
 * The applied state: what each successful apply left in place, per node, so that drift can tell an owned object that
 * disappeared from one that was never applied. It holds kinds and ids only, never a field's value, so no secret ever
 * reaches it.
 *
 * It lives beside the output folder, not in it (`<parent of --out>/.talos-topology/<name of --out>.applied.json`):
 * `generate` and `check` own `--out` and compare or replace what is there, while this file changes on every apply.
 * The name carries the output folder's, so two output folders side by side keep their own records.
 *
 * @module
 */
import { lstat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import * as z from '../models/zod.js';
import { artifactSetDigest } from '../generators/artifact-digest.js';
import type { ArtifactSet } from '../generators/artifact.js';
import { readTextIfPresent, writeFileAtomically } from '../generators/files.js';
import type { PlanTarget } from '../plan/change.js';
import { compareText } from '../plan/change.js';
import type { TargetApplyResult } from './session.js';
import type { TargetNode } from './target-graph.js';

/** The version of the file's shape; a file of another version is refused rather than misread. */
export const APPLIED_STATE_VERSION = 1;

/** One object an apply left in place. */
export interface AppliedObject {
  /** The object's kind in the target's own words (a change's `kind`). */
  readonly kind: string;
  /** Its identity inside its kind (a change's `id`). */
  readonly id: string;
}

/** What the last successful apply of one node left in place. */
export interface AppliedNode {
  /** The target. */
  readonly target: PlanTarget;
  /** The Proxmox cluster, for a Proxmox node. */
  readonly cluster?: string;
  /** When the apply ended (ISO 8601, UTC). */
  readonly appliedAt: string;
  /** {@link appliedArtifactsDigest} of the artifacts it applied. */
  readonly artifacts: string;
  /** The objects in place after it, sorted by kind then id. */
  readonly objects: readonly AppliedObject[];
}

/** The applied-state file. */
export interface AppliedState {
  /** {@link APPLIED_STATE_VERSION}. */
  readonly version: typeof APPLIED_STATE_VERSION;
  /** By node id (`proxmox:<cluster>` or the target's name). */
  readonly nodes: Readonly<Record<string, AppliedNode>>;
}

/** The applied-state file cannot be read or written (what and where is in the message). */
export class AppliedStateError extends Error {
  /** The file. */
  readonly file: string;

  /**
   * @param file - The applied-state file.
   * @param message - What is wrong and what to do.
   * @param options - The underlying cause, if any.
   */
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.name = 'AppliedStateError';
    this.file = file;
  }
}

const appliedStateSchema = z.strictObject({
  version: z.literal(APPLIED_STATE_VERSION),
  nodes: z.record(
    z.string(),
    z.strictObject({
      target: z.enum(['omni', 'proxmox', 'unifi', 'hosts', 'auth0', 'tailscale']),
      cluster: z.string().optional(),
      appliedAt: z.string(),
      artifacts: z.string(),
      objects: z.array(z.strictObject({ kind: z.string(), id: z.string() })),
    }),
  ),
});

/**
 * Where the applied state of an output folder is kept.
 *
 * @param out - The output folder (`--out`).
 * @param state - A path given instead (`--state`), if any.
 * @returns `state` when given, else `<parent of out>/.talos-topology/<name of out>.applied.json`.
 */
export function appliedStatePath(out: string, state?: string): string {
  if (state !== undefined) return state;
  const folder = resolve(out);
  return join(dirname(folder), '.talos-topology', `${basename(folder)}.applied.json`);
}

/**
 * A digest of the artifacts themselves ({@link artifactSetDigest} of every artifact but the manifest, which
 * also names the SDK version and the input's digest, and those change without any artifact changing).
 *
 * @param set - The artifact set.
 * @returns Lower-case hex SHA-256.
 */
export function appliedArtifactsDigest(set: ArtifactSet): string {
  return artifactSetDigest({ artifacts: set.artifacts.filter((artifact) => artifact.kind !== 'manifest') });
}

function objectKey(object: AppliedObject): string {
  return `${object.kind}\u0000${object.id}`;
}

/**
 * The objects an apply left in place: every change of the plan it worked from, except deletions (gone now), changes it
 * skipped (left for a person, so not as the artifacts say) and objects that are absent and that apply cannot create (a
 * Tailscale node that has not joined). Such an object an earlier apply left in place stays recorded: it was the SDK's
 * before it drifted (a UniFi record edited by hand is planned as an adoption, which apply skips without `--adopt`; a
 * Tailscale node removed by hand comes back only by itself), and dropping it would turn that drift into "not applied
 * yet".
 *
 * @param result - One node's apply result.
 * @param previous - The objects the node's previous record holds, if any.
 * @returns The objects, sorted by kind then id, each once.
 */
export function appliedObjects(result: TargetApplyResult, previous: readonly AppliedObject[] = []): AppliedObject[] {
  const skipped = new Set(result.skipped.map(objectKey));
  const recorded = new Set(previous.map(objectKey));
  const objects = new Map<string, AppliedObject>();
  for (const change of result.plan.changes) {
    const key = objectKey(change);
    if (change.action === 'delete' || ((change.absent || skipped.has(key)) && !recorded.has(key))) continue;
    objects.set(key, { kind: change.kind, id: change.id });
  }
  return [...objects.values()].sort((a, b) => compareText(a.kind, b.kind) || compareText(a.id, b.id));
}

/** One node's successful apply, to record. */
export interface AppliedRun {
  /** The node. */
  readonly node: TargetNode;
  /** Its result. */
  readonly result: TargetApplyResult;
}

/**
 * Records successful applies in the state: each node's entry is replaced by what its apply left in place; nodes not
 * applied keep their entry (a failed apply keeps the previous record, so drift never calls a half-applied object one
 * that disappeared).
 *
 * @param state - The state read before, if any.
 * @param runs - The nodes applied successfully.
 * @param set - The artifacts they applied.
 * @param now - The time to record.
 * @returns The new state, its nodes sorted by id.
 */
export function recordApplied(
  state: AppliedState | undefined,
  runs: readonly AppliedRun[],
  set: ArtifactSet,
  now: Date,
): AppliedState {
  const nodes: Record<string, AppliedNode> = { ...state?.nodes };
  const artifacts = appliedArtifactsDigest(set);
  for (const { node, result } of runs) {
    nodes[node.id] = {
      target: node.target,
      ...(node.cluster !== undefined ? { cluster: node.cluster } : {}),
      appliedAt: now.toISOString(),
      artifacts,
      objects: appliedObjects(result, state?.nodes[node.id]?.objects),
    };
  }
  const sorted = Object.keys(nodes)
    .sort(compareText)
    .map((id) => [id, nodes[id]!] as const);
  return { version: APPLIED_STATE_VERSION, nodes: Object.fromEntries(sorted) };
}

/**
 * Takes destroyed nodes out of the state: each node destroyed keeps in its entry only the recorded objects its destroy
 * skipped (left for a person, so still the SDK's and still in place). Everything else it recorded is gone, or kept by
 * destroy as no longer provably the SDK's (a person's URL, a hand-edited file), or lives on as a shared object the SDK
 * only changed (the Auth0 application, the tailnet policy file) and now holds none of the SDK's part. Left listed, a
 * later drift would call each one "disappeared" or "differs"; dropped, the artifacts' objects read as not applied yet.
 * The entry stays (with what is left, possibly nothing), so drift still knows the node was applied and destroyed
 * rather than never recorded. Nodes without an entry, or not destroyed, are untouched.
 *
 * @param state - The state read before.
 * @param runs - The nodes destroyed successfully, each with its destroy's result.
 * @returns The new state.
 */
export function recordDestroyed(state: AppliedState, runs: readonly AppliedRun[]): AppliedState {
  const nodes: Record<string, AppliedNode> = { ...state.nodes };
  for (const { node, result } of runs) {
    const entry = nodes[node.id];
    if (!entry) continue;
    const skipped = new Set(result.skipped.map(objectKey));
    nodes[node.id] = { ...entry, objects: entry.objects.filter((object) => skipped.has(objectKey(object))) };
  }
  return { version: APPLIED_STATE_VERSION, nodes };
}

async function checkNotLink(path: string, file: string, what: string): Promise<void> {
  const stats = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (stats?.isSymbolicLink()) {
    throw new AppliedStateError(
      file,
      `${what} is a symbolic link; the applied state is never read or written through one`,
    );
  }
}

/**
 * Reads the applied state.
 *
 * @param path - The file (see {@link appliedStatePath}).
 * @returns The state, or `undefined` when no apply has recorded one yet.
 * @throws {@link AppliedStateError} when the file or its folder is a link, or the file is not an applied state.
 */
export async function readAppliedState(path: string): Promise<AppliedState | undefined> {
  await checkNotLink(resolve(dirname(path)), path, 'its folder');
  await checkNotLink(resolve(path), path, 'it');
  const text = await readTextIfPresent(path);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new AppliedStateError(path, 'is not JSON; remove it (the next apply writes it again)', { cause });
  }
  const result = appliedStateSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '.'}: ${issue.message}`).join('; ');
    throw new AppliedStateError(path, `is not an applied state of version ${APPLIED_STATE_VERSION} (${issues})`);
  }
  return result.data as AppliedState;
}

/**
 * Writes the applied state atomically (a temporary file renamed over it), never through a link.
 *
 * @param path - The file (see {@link appliedStatePath}); its folder is created when missing.
 * @param state - The state.
 * @throws {@link AppliedStateError} when the file's folder is a link.
 */
export async function writeAppliedState(path: string, state: AppliedState): Promise<void> {
  await checkNotLink(resolve(dirname(path)), path, 'its folder');
  // The rename replaces a link at the file's own path; it never writes through it.
  await writeFileAtomically(path, `${JSON.stringify(state, null, 2)}\n`, 0o644);
}

/**
 * Records successful applies in the applied-state file: reads it, replaces the entries of the nodes applied, writes it.
 *
 * @param path - The file (see {@link appliedStatePath}).
 * @param runs - The nodes applied successfully (nothing is written when empty).
 * @param set - The artifacts they applied.
 * @param now - The time to record; the current time by default.
 */
export async function saveApplied(
  path: string,
  runs: readonly AppliedRun[],
  set: ArtifactSet,
  now: Date = new Date(),
): Promise<void> {
  if (runs.length === 0) return;
  await writeAppliedState(path, recordApplied(await readAppliedState(path), runs, set, now));
}

/**
 * Records successful destroys in the applied-state file (see {@link recordDestroyed}); without a file there is no
 * record to update, and nothing is written.
 *
 * @param path - The file (see {@link appliedStatePath}).
 * @param runs - The nodes destroyed successfully.
 */
export async function saveDestroyed(path: string, runs: readonly AppliedRun[]): Promise<void> {
  if (runs.length === 0) return;
  const state = await readAppliedState(path);
  if (state) await writeAppliedState(path, recordDestroyed(state, runs));
}
