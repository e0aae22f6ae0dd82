import type { Change, FieldDiff, UnmanagedObject } from '../../plan/change.js';
import { createChange } from '../../plan/change.js';
import { HttpConnectionError, HttpServerError, HttpTimeoutError } from '../http/errors.js';
import type { TailnetPolicyApi, TailnetPolicyFile } from './policy-api.js';
import { TailnetPolicyConflictError } from './policy-api.js';
import type { PolicyMergeResult } from './policy-merge.js';
import { mergePolicy } from './policy-merge.js';

/** How many times a write is tried when the policy keeps changing under it or the connection fails. */
const DEFAULT_WRITE_ATTEMPTS = 4;

/** What writing the policy did. */
export interface TailnetPolicyWriteResult {
  /** `false` when the live policy already had every generated entry (nothing was written). */
  readonly written: boolean;
  /** The ETag of the policy as it now stands. */
  readonly etag: string;
  /** Writes tried: more than one after a concurrent edit (412) or a failed connection. */
  readonly attempts: number;
  /** The differences the write made, from the last merge (the plan's, unless the policy changed meanwhile). */
  readonly fields: readonly FieldDiff[];
}

/** The planned policy change and what applying it does. */
export interface TailnetPolicyStep {
  /** The change as the plan shows it: target `tailscale`, kind `policy`, id `policy`. */
  readonly change: Change;
  /** Entries of the managed sections the merge leaves alone (a person's, another topology's), with why. */
  readonly unmanaged: readonly UnmanagedObject[];
  /** Validates and writes the merged policy; absent for a `no-op`. */
  readonly run?: (signal?: AbortSignal) => Promise<TailnetPolicyWriteResult>;
}

/** Options of {@link buildPolicyStep}. */
export interface TailnetPolicyStepOptions {
  /** Writes tried before giving up (default 4); each retry reads and merges again. */
  readonly writeAttempts?: number;
  /** What the step does to the live text: {@link mergePolicy} (apply, the default) or `removePolicyEntries` (destroy). */
  readonly merge?: (liveText: string, snippetText: string) => PolicyMergeResult;
}

/** The policy kept changing (or the connection kept failing) through every attempt; nothing was overwritten. */
export class TailnetPolicyBusyError extends Error {
  /**
   * @param attempts - Writes tried.
   * @param cause - The last failure.
   */
  constructor(attempts: number, cause: unknown) {
    super(
      `the tailnet policy could not be written in ${attempts} attempts (it changed meanwhile, or the connection failed); nothing was overwritten: run apply again`,
      { cause },
    );
    this.name = new.target.name;
  }
}

/** A failure after which the write may or may not have landed: read again and decide. */
function transient(error: unknown): boolean {
  return (
    error instanceof TailnetPolicyConflictError ||
    error instanceof HttpConnectionError ||
    error instanceof HttpTimeoutError ||
    error instanceof HttpServerError
  );
}

/**
 * Plans the tailnet policy: reads the live policy with its ETag, merges the generated snippet into it (only the
 * entries marked for this topology change) and returns the change with one field difference per generated entry.
 *
 * Its `run` validates the merged text through the API (`POST …/acl/validate` runs the policy's `tests` too: Tailscale's
 * API reference "Validate and test policy file"; terraform-provider-tailscale calls it before every write) and writes
 * it with `If-Match: <etag>`, so a policy someone saved meanwhile is never overwritten: the API answers 412, and `run`
 * reads the new version, merges into it (the other edit survives) and tries again, a bounded number of times. A
 * conditional write is safe to repeat: after a lost response, the retry either finds the text already stored or gets
 * 412.
 *
 * @param snippetText - The generated `tailscale/policy.hujson`.
 * @param api - The tailnet's policy endpoints.
 * @param signal - Cancels the read.
 * @param options - Write attempts.
 * @returns The step: the change, the entries left alone, and `run` unless nothing changes.
 * @throws {@link TailnetPolicySyntaxError} when the live policy or the snippet does not parse.
 */
export async function buildPolicyStep(
  snippetText: string,
  api: TailnetPolicyApi,
  signal?: AbortSignal,
  options: TailnetPolicyStepOptions = {},
): Promise<TailnetPolicyStep> {
  const mergeInto = options.merge ?? mergePolicy;
  const planned = await api.readPolicy(signal);
  const merged = mergeInto(planned.text, snippetText);
  const changes = merged.text !== planned.text;
  const change = createChange('tailscale', 'policy', 'policy', changes ? 'update' : 'no-op', merged.fields, [
    merged.heldTags.length > 0 ? `tags already in tagOwners, not taken over: ${merged.heldTags.join(', ')}` : undefined,
  ]);
  if (!changes) return { change, unmanaged: merged.unmanaged };
  const attempts = options.writeAttempts ?? DEFAULT_WRITE_ATTEMPTS;
  const run = async (runSignal?: AbortSignal): Promise<TailnetPolicyWriteResult> => {
    let live: TailnetPolicyFile = planned;
    let last: unknown;
    let tried: readonly FieldDiff[] = [];
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const { text, fields } = attempt === 1 ? merged : mergeInto(live.text, snippetText);
      if (text === live.text) {
        // Already there: our last write landed though its answer was lost, or someone else wrote the same entries.
        const landed = last !== undefined && !(last instanceof TailnetPolicyConflictError);
        return { written: landed, etag: live.etag, attempts: attempt - 1, fields: landed ? tried : [] };
      }
      try {
        tried = fields;
        await api.validatePolicy(text, runSignal);
        const stored = await api.writePolicy(text, live.etag, runSignal);
        return { written: true, etag: stored.etag, attempts: attempt, fields };
      } catch (error) {
        if (!transient(error)) throw error;
        last = error;
        live = await api.readPolicy(runSignal);
      }
    }
    throw new TailnetPolicyBusyError(attempts, last);
  };
  return { change, unmanaged: merged.unmanaged, run };
}
