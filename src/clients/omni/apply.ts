/**
 * Applying a plan to Omni: infra provider registration, a wait for the providers to connect, creates and updates in
 * Omni's dependency order, deletes in phases (MachineSets first) with Teardown, a wait for finalizers, then Destroy.
 *
 * @module
 */
import type { ArtifactSet } from '../../generators/artifact.js';
import type { Change } from '../../plan/index.js';
import type { OmniClient, OmniResource, ResourceKind } from '@talos-sdk/omni-client';
import { omniKinds, OmniNotFoundError, OmniVersionConflictError, waitForResources } from '@talos-sdk/omni-client';
import type { DesiredResource } from './desired.js';
import { mergeDesired } from './desired.js';
import { MANAGED_BY_ANNOTATION } from './sdk-annotations.js';
import type { OmniPlan, OmniStep, PlanOmniOptions } from './plan.js';
import { MANAGED_KINDS, machineClassProvider, planOmni, providerKeyVariable } from './plan.js';
import type { ProviderKeySink } from './provider-account.js';
import { infraProviderAccount, registerInfraProvider } from './provider-account.js';
import { checkSecretDestination, describeSecretDestination } from '../secret-destination.js';
import type { ProviderStartHint } from './provider-wait.js';
import type { WaitReporter } from '../progress.js';
import { reportingWait } from '../progress.js';
import { waitForInfraProviders } from './provider-wait.js';
import { clientOptionText, MissingClientOptionError } from '../../plan/client-option.js';

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
  /**
   * How long to wait, before creating or updating MachineClasses, for their infra providers to connect (a heartbeat
   * younger than 31 s, as Omni counts it, and their InfraProviderStatus). Defaults to 300,000 ms.
   */
  readonly providerTimeoutMs?: number;
  /** Told about each change once it is done. */
  readonly onChange?: (change: Change) => void;
  /**
   * Runs before apply waits for infra providers to connect, once the key of a provider it registered is at its
   * destination: e.g. to carry the key to the provider's host and restart its stack (CLI: `--provider-key-host`).
   */
  readonly beforeProviderWait?: () => Promise<void>;
  /**
   * Told what apply waits for and what the user should do meanwhile (e.g. start a provider whose key was just
   * written); never given a secret.
   */
  readonly onProgress?: (message: string) => void;
  /** Told when a wait for infra providers begins and ends (the CLI prints the elapsed time while it lasts). */
  readonly onWait?: WaitReporter;
}

/** What {@link applyOmni} did. */
export interface ApplyOmniResult {
  /** The plan that was applied. */
  readonly plan: OmniPlan;
  /** The changes carried out (no-ops excluded), in the order they finished. */
  readonly applied: readonly Change[];
}

/** The client calls applying needs. */
export type OmniWriter = Pick<
  OmniClient,
  | 'list'
  | 'get'
  | 'create'
  | 'update'
  | 'teardown'
  | 'destroy'
  | 'watch'
  | 'createServiceAccount'
  | 'renewServiceAccount'
  | 'listServiceAccounts'
  | 'destroyServiceAccount'
>;

/**
 * Applies artifacts (planning first) or an existing plan to Omni. Creates run first, then updates, each in kind
 * order InfraProvider, MachineClass, Cluster, ExtensionsConfiguration, ConfigPatch, MachineSet. Creating an
 * InfraProvider also registers its `infra-provider:<id>` service account (the client's key needs Admin), writes the
 * new key to `providerKey` and marks the provider registered (an interrupted registration is finished by the next
 * apply); apply refuses to start when a provider must be registered and
 * `providerKey` is missing. Before any MachineClass is created or updated, apply waits until each provider the
 * changed classes use heartbeats (InfraProviderHealthStatus) and has its InfraProviderStatus, tells `onProgress`
 * what a provider that is not connected last reported, and fails with that and what to start when one does not
 * connect in time. An
 * update copies version, finalizers, phase, created and updated from the live resource and keeps live labels and
 * annotations the SDK does not set; on a version conflict it reads again and retries. Deletes run in
 * {@link DELETE_PHASES}.
 *
 * @param input - An artifact set, or a plan from {@link planOmni} (applied as planned, without re-reading).
 * @param client - A connected client.
 * @param options - Concurrency, timeouts, prune, the provider key destination and a progress callback.
 * @returns The plan and the changes made.
 * @throws {@link InfraProviderNotConnectedError} when a provider has not connected within `providerTimeoutMs`.
 *
 * @example
 * ```ts
 * import { readArtifactSet } from '@talos-sdk/topology';
 * import { applyOmni, createOmniClient } from '@talos-sdk/topology/omni-client';
 *
 * const omni = await createOmniClient({ endpoint: 'https://omni.example.com' });
 * const { applied } = await applyOmni(await readArtifactSet('out'), omni, {
 *   providerKey: { envFile: 'out/hosts/ct-200/provider-proxmox/.env' }, // where a new provider's key is written
 * });
 * console.log(`applied ${applied.length} changes`);
 * omni.close();
 * ```
 */
export async function applyOmni(
  input: ArtifactSet | OmniPlan,
  client: OmniWriter,
  options: ApplyOmniOptions = {},
): Promise<ApplyOmniResult> {
  const plan = 'steps' in input ? input : await planOmni(input, client, options);
  const registration = providerRegistration(plan, options);
  // A key destination that cannot be written is refused before the InfraProvider is created.
  if (registration) await checkSecretDestination(registration.sink.destination);
  const applied: Change[] = [];
  const done = (change: Change): void => {
    applied.push(change);
    options.onChange?.(change);
  };
  const concurrency = options.concurrency ?? 8;
  const conflictAttempts = options.conflictAttempts ?? 5;
  if (registration) {
    const { step, sink } = registration;
    const desired = required(step);
    const created = step.change.action === 'create';
    const live = created
      ? await create(client, desired)
      : (step.live ?? (await client.get(desired.kind, desired.id, { namespace: desired.namespace })));
    await registerInfraProvider(client, { desired, live, created }, sink, conflictAttempts);
    done(step.change);
  }
  for (const action of ['create', 'update'] as const) {
    for (const kind of MANAGED_KINDS) {
      if (kind === omniKinds.MachineClass && action === 'create') {
        await options.beforeProviderWait?.();
        await waitForProviders(client, plan, registration, options);
      }
      const steps = plan.steps.filter(
        (step) => step.kind === kind && step.change.action === action && !step.registersAccount,
      );
      await runPooled(steps, concurrency, async (step) => {
        if (action === 'update') await update(client, step, plan.topology, conflictAttempts);
        else await create(client, required(step));
        done(step.change);
      });
    }
  }
  await deleteInPhases(client, plan.steps, options, done);
  return { plan, applied };
}

/** Options of {@link deleteInPhases}. */
export interface DeletePhasesOptions {
  /** Calls in flight at once within one kind. Defaults to 8. */
  readonly concurrency?: number;
  /** How long a delete phase may wait for finalizers to be released. Defaults to 300,000 ms. */
  readonly deleteTimeoutMs?: number;
  /** Told when a wait for finalizers begins and ends (a Cluster's teardown takes its controllers a while). */
  readonly onWait?: WaitReporter;
}

/**
 * Carries out the `delete` steps of a plan in {@link DELETE_PHASES}: each phase tears down its resources, waits until
 * their finalizers are released, destroys them, and only then does the next phase begin (omnictl's
 * `client/pkg/template/operations/sync.go` `syncDeleteResources`; Omni refuses to tear down a MachineClass a
 * MachineSet still uses, so the sets go first).
 *
 * @param client - A connected client.
 * @param steps - The plan's steps; only those whose action is `delete` are carried out.
 * @param options - Concurrency, the finalizer timeout and the wait reporter.
 * @param done - Told about each change once its phase is done.
 */
export async function deleteInPhases(
  client: OmniWriter,
  steps: readonly OmniStep[],
  options: DeletePhasesOptions,
  done: (change: Change) => void,
): Promise<void> {
  for (const phase of DELETE_PHASES) {
    const deletes = steps.filter((step) => step.change.action === 'delete' && phase.includes(step.kind));
    // An infra provider's service account goes just before the provider: after the clusters and machine classes, whose
    // machines the provider deprovisions with that account, and before the InfraProvider, so a destroy interrupted in
    // between still finds the provider to delete and removes the account on the next run (gone counts as removed).
    const providers = deletes.filter((step) => step.kind === omniKinds.InfraProvider);
    await Promise.all(providers.map((step) => client.destroyServiceAccount(infraProviderAccount(step.change.id))));
    await deletePhase(client, deletes, options.concurrency ?? 8, options.deleteTimeoutMs ?? 300_000, options.onWait);
    deletes.forEach((step) => done(step.change));
  }
}

function required(step: OmniStep): DesiredResource {
  if (!step.desired) throw new TypeError(`${step.kind.kind}/${step.change.id}: the plan step has no desired resource`);
  return step.desired;
}

/** The one provider registration of an apply, and where its key goes. */
interface PlannedRegistration {
  /** The InfraProvider step that registers the service account. */
  readonly step: OmniStep;
  /** Where the new key goes. */
  readonly sink: ProviderKeySink;
}

/**
 * The provider to register and where its key goes. Refuses, before anything changes, when a provider must be
 * registered without a destination, or when several must be and one destination cannot hold all their keys.
 */
function providerRegistration(plan: OmniPlan, options: ApplyOmniOptions): PlannedRegistration | undefined {
  const steps = plan.steps.filter((step) => step.registersAccount);
  const registering = steps.map((step) => step.change.id);
  const [step] = steps;
  if (!step) return undefined;
  if (!options.providerKey) {
    throw new MissingClientOptionError(
      'providerKey',
      `refusing to register infra provider ${registering.join(', ')} without a place for its service-account key ` +
        `(Omni never shows it again): give ${clientOptionText('providerKey')} ` +
        "(a file, or an env file such as the .env beside the provider's compose.yaml)",
    );
  }
  if (registering.length > 1) {
    throw new Error(
      `refusing to register ${registering.length} infra providers (${registering.join(', ')}) in one apply: ` +
        'one key destination holds one key; register them with omnictl infraprovider create <id>',
    );
  }
  const variable = providerKeyVariable(step.change.id, plan.providerStacks, options.providerKeyEnv);
  return { step, sink: { destination: options.providerKey, variable } };
}

/**
 * Waits for the providers of the MachineClasses about to be created or updated, first telling `onProgress` to start
 * the one registered just now.
 */
async function waitForProviders(
  client: OmniWriter,
  plan: OmniPlan,
  registration: PlannedRegistration | undefined,
  options: ApplyOmniOptions,
): Promise<void> {
  const timeoutMs = options.providerTimeoutMs ?? 300_000;
  const providers = new Set<string>();
  for (const step of plan.steps) {
    const provider = step.desired && machineClassProvider(step.desired);
    if (provider && (step.change.action === 'create' || step.change.action === 'update')) providers.add(provider);
  }
  const hints: Record<string, ProviderStartHint> = {};
  for (const id of providers) {
    const stack = Object.hasOwn(plan.providerStacks, id) ? plan.providerStacks[id]?.compose : undefined;
    hints[id] = {
      ...(stack ? { stack } : {}),
      ...(registration?.step.change.id === id
        ? { key: describeSecretDestination(registration.sink.destination, registration.sink.variable) }
        : {}),
    };
    const { key } = hints[id];
    if (key) {
      options.onProgress?.(
        `provider ${id}: key written to ${key}; start ${stack ?? `it with --id=${id}`} now; ` +
          `waiting up to ${timeoutMs / 1000} s for it to connect`,
      );
    }
  }
  await waitForInfraProviders(client, [...providers].sort(), timeoutMs, hints, options.onProgress, options.onWait);
}

function create(client: OmniWriter, desired: DesiredResource): Promise<OmniResource<unknown>> {
  return client.create(desired.kind, {
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
      await client.update(desired.kind, mergeDesired(live, desired));
      return;
    } catch (error) {
      if (!(error instanceof OmniVersionConflictError) || attempt >= attempts) throw error;
      live = await client.get(desired.kind, desired.id, { namespace: desired.namespace });
    }
  }
}

async function deletePhase(
  client: OmniWriter,
  steps: readonly OmniStep[],
  concurrency: number,
  timeoutMs: number,
  onWait: WaitReporter | undefined,
): Promise<void> {
  const waiting = new Map<ResourceKind<unknown>, Set<string>>();
  await runPooled(steps, concurrency, async (step) => {
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
    const what = `finalizers of ${ids.size} ${kind.kind} resource(s) to be released`;
    await reportingWait(onWait, `Omni ${what} (${[...ids].sort().join(', ')})`, () =>
      waitForResources(
        client,
        kind,
        { namespace },
        (resources) =>
          [...ids].every((id) => {
            const resource = resources.get(id);
            return (
              !resource || (resource.metadata.phase === 'tearingDown' && resource.metadata.finalizers.length === 0)
            );
          }),
        timeoutMs,
        what,
      ),
    );
    await runPooled([...ids], concurrency, async (id) => {
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
async function runPooled<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
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
