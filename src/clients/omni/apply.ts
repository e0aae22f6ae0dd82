/**
 * Applying a plan to Omni: creates and updates in Omni's dependency order, deletes in phases (MachineSets first)
 * with Teardown, a wait for finalizers, then Destroy.
 *
 * @module
 */
import type { ArtifactSet } from '../../generators/artifact.js';
import type { Change } from '../../plan/index.js';
import type { OmniClient } from './client.js';
import type { DesiredResource } from './desired.js';
import { OmniNotFoundError, OmniVersionConflictError } from './errors.js';
import type { ResourceKind } from './kinds.js';
import { omniKinds } from './kinds.js';
import { MANAGED_BY_ANNOTATION } from './labels.js';
import type { OmniPlan, OmniStep, PlanOmniOptions } from './plan.js';
import { MANAGED_KINDS, planOmni } from './plan.js';
import type { OmniResource } from './resource.js';
import { waitForResources } from './wait.js';

/** Delete phases: machine sets go first, then what they referenced, then classes, then providers. */
export const DELETE_PHASES: readonly (readonly ResourceKind<unknown>[])[] = [
  [omniKinds.MachineSet],
  [omniKinds.ConfigPatch, omniKinds.ExtensionsConfiguration, omniKinds.Cluster],
  [omniKinds.MachineClass],
  [omniKinds.InfraProvider],
];

/** Options of {@link applyOmni}. */
export interface ApplyOmniOptions extends PlanOmniOptions {
  /** Calls in flight at once within one kind. Defaults to 8. */
  readonly concurrency?: number;
  /** How long a delete phase may wait for finalizers to be released. Defaults to 300,000 ms. */
  readonly deleteTimeoutMs?: number;
  /** Attempts of an update that keeps hitting version conflicts. Defaults to 5. */
  readonly conflictAttempts?: number;
  /** Told about each change once it is done. */
  readonly onChange?: (change: Change) => void;
}

/** What {@link applyOmni} did. */
export interface ApplyOmniResult {
  /** The plan that was applied. */
  readonly plan: OmniPlan;
  /** The changes carried out (no-ops excluded), in the order they finished. */
  readonly applied: readonly Change[];
}

/** The client calls applying needs. */
export type OmniWriter = Pick<OmniClient, 'list' | 'get' | 'create' | 'update' | 'teardown' | 'destroy' | 'watch'>;

/**
 * Applies artifacts (planning first) or an existing plan to Omni. Creates run first, then updates, each in kind
 * order InfraProvider, MachineClass, Cluster, ExtensionsConfiguration, ConfigPatch, MachineSet. An update copies
 * version, finalizers, phase, created and updated from the live resource and keeps live labels and annotations the
 * SDK does not set; on a version conflict it reads again and retries. Deletes run in {@link DELETE_PHASES}.
 *
 * @param input - An artifact set, or a plan from {@link planOmni} (applied as planned, without re-reading).
 * @param client - A connected client.
 * @param options - Concurrency, timeouts, prune and a progress callback.
 * @returns The plan and the changes made.
 *
 * @example
 * ```ts
 * const { applied } = await applyOmni(await readArtifactSet('out'), omni);
 * ```
 */
export async function applyOmni(
  input: ArtifactSet | OmniPlan,
  client: OmniWriter,
  options: ApplyOmniOptions = {},
): Promise<ApplyOmniResult> {
  const plan = 'steps' in input ? input : await planOmni(input, client, options);
  const applied: Change[] = [];
  const done = (change: Change): void => {
    applied.push(change);
    options.onChange?.(change);
  };
  const concurrency = options.concurrency ?? 8;
  for (const action of ['create', 'update'] as const) {
    for (const kind of MANAGED_KINDS) {
      const steps = plan.steps.filter((step) => step.kind === kind && step.change.action === action);
      await inBatches(steps, concurrency, async (step) => {
        if (action === 'create') await create(client, required(step));
        else await update(client, step, plan.topology, options.conflictAttempts ?? 5);
        done(step.change);
      });
    }
  }
  for (const phase of DELETE_PHASES) {
    const steps = plan.steps.filter((step) => step.change.action === 'delete' && phase.includes(step.kind));
    await deletePhase(client, steps, concurrency, options.deleteTimeoutMs ?? 300_000);
    steps.forEach((step) => done(step.change));
  }
  return { plan, applied };
}

function required(step: OmniStep): DesiredResource {
  if (!step.desired) throw new TypeError(`${step.kind.kind}/${step.change.id}: the plan step has no desired resource`);
  return step.desired;
}

async function create(client: OmniWriter, desired: DesiredResource): Promise<void> {
  await client.create(desired.kind, {
    id: desired.id,
    namespace: desired.namespace,
    labels: desired.labels,
    annotations: desired.annotations,
    spec: desired.spec,
  });
}

async function update(client: OmniWriter, step: OmniStep, topology: string, attempts: number): Promise<void> {
  const desired = required(step);
  let live = step.live ?? (await client.get(desired.kind, desired.id, { namespace: desired.namespace }));
  for (let attempt = 1; ; attempt++) {
    if (live.metadata.annotations[MANAGED_BY_ANNOTATION] !== topology || live.metadata.owner !== '') {
      throw new Error(`${desired.kind.kind}/${desired.id} is no longer managed by topology "${topology}"; plan again`);
    }
    try {
      await client.update(desired.kind, merged(live, desired));
      return;
    } catch (error) {
      if (!(error instanceof OmniVersionConflictError) || attempt >= attempts) throw error;
      live = await client.get(desired.kind, desired.id, { namespace: desired.namespace });
    }
  }
}

/** The desired resource carrying the live version, finalizers, phase, timestamps and unmanaged metadata keys. */
function merged(live: OmniResource<unknown>, desired: DesiredResource): OmniResource<unknown> {
  return {
    metadata: {
      ...live.metadata,
      labels: { ...live.metadata.labels, ...desired.labels },
      annotations: { ...live.metadata.annotations, ...desired.annotations },
    },
    spec: desired.spec,
  };
}

async function deletePhase(
  client: OmniWriter,
  steps: readonly OmniStep[],
  concurrency: number,
  timeoutMs: number,
): Promise<void> {
  const waiting = new Map<ResourceKind<unknown>, Set<string>>();
  await inBatches(steps, concurrency, async (step) => {
    const { id } = step.change;
    const namespace = step.live?.metadata.namespace ?? step.kind.namespace;
    try {
      if (await client.teardown(step.kind, id, { namespace })) {
        await client.destroy(step.kind, id, { namespace });
        return;
      }
    } catch (error) {
      if (error instanceof OmniNotFoundError) return;
      throw error;
    }
    const ids = waiting.get(step.kind) ?? new Set<string>();
    ids.add(id);
    waiting.set(step.kind, ids);
  });
  for (const [kind, ids] of waiting) {
    const namespace = steps.find((step) => step.kind === kind)?.live?.metadata.namespace ?? kind.namespace;
    await waitForResources(
      client,
      kind,
      { namespace },
      (resources) =>
        [...ids].every((id) => {
          const resource = resources.get(id);
          return !resource || (resource.metadata.phase === 'tearingDown' && resource.metadata.finalizers.length === 0);
        }),
      timeoutMs,
      `finalizers of ${ids.size} ${kind.kind} resource(s) to be released`,
    );
    await inBatches([...ids], concurrency, async (id) => {
      try {
        await client.destroy(kind, id, { namespace });
      } catch (error) {
        if (!(error instanceof OmniNotFoundError)) throw error;
      }
    });
  }
}

/**
 * Runs a task over items with at most `limit` in flight; fails with the first error after the in-flight ones end.
 *
 * @param items - The items.
 * @param limit - Maximum tasks in flight.
 * @param task - The work per item.
 */
async function inBatches<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failed) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const rejected = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (rejected) throw rejected.reason;
}
