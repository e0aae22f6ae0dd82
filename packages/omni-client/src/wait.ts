/**
 * Waiting on Omni state through Watch: the watch restarts (with a fresh bootstrap) after transient failures.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BackoffSteps } from './backoff.js';
import { backoffDelay } from './backoff.js';
import type { WaitReporter } from './progress.js';
import { reportingWait } from './progress.js';
import type { OmniClient, WatchOptions } from './client.js';
import { OmniNotFoundError, isTransientOmniError } from './errors.js';
import type { ClusterStatusSpec, MachineSetStatusSpec } from './generated/omni/specs/omni.js';
import { ClusterStatusSpec_Phase, MachineSetPhase } from './generated/omni/specs/omni.js';
import type { ResourceKind } from './kinds.js';
import { omniKinds } from './kinds.js';
import { CLUSTER_LABEL } from './labels.js';
import type { OmniResource } from './resource.js';

/** Pause between watch restarts: from 50 ms, doubling, at most 1 s. */
const WATCH_RESTART: BackoffSteps = { baseDelayMs: 50, maxDelayMs: 1_000 };

/** A wait ran out of time. */
export class OmniWaitTimeoutError extends Error {
  /**
   * @param what - What was awaited.
   * @param timeoutMs - How long.
   */
  constructor(what: string, timeoutMs: number) {
    super(`timed out after ${describeDuration(timeoutMs)} waiting for ${what}`);
    this.name = 'OmniWaitTimeoutError';
  }
}

/** The cluster a wait is for does not exist in Omni. */
export class OmniClusterNotFoundError extends Error {
  /**
   * @param cluster - The cluster ID.
   */
  constructor(cluster: string) {
    super(`cluster ${cluster} does not exist in Omni (no Cluster ${cluster} in namespace default); check its name`);
    this.name = 'OmniClusterNotFoundError';
  }
}

/**
 * A duration the way it was most likely given: whole seconds as seconds (the CLI's flags take seconds), else
 * milliseconds.
 *
 * @param ms - The duration in milliseconds.
 * @returns E.g. `300 s` or `1500 ms`.
 */
function describeDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** The client calls waiting needs. */
export type OmniWatcher = Pick<OmniClient, 'watch'>;

/** The client calls {@link waitForClusterReady} needs: a read of the Cluster, then watches. */
export type OmniClusterWatcher = Pick<OmniClient, 'watch' | 'get'>;

/**
 * Watches a kind until the bootstrapped set of resources satisfies a condition.
 *
 * @param client - A connected client.
 * @param kind - The kind to watch.
 * @param filter - Namespace, ID or labels to watch.
 * @param done - Checked after the bootstrap and after every later event, with the current resources by ID.
 * @param timeoutMs - Overall deadline.
 * @param what - What is awaited, for the timeout error and `onWait`.
 * @param onWait - Told when the wait begins and ends.
 * @returns The resources when `done` held.
 * @throws {@link OmniWaitTimeoutError} when the deadline passes first.
 */
export function waitForResources<S>(
  client: OmniWatcher,
  kind: ResourceKind<S>,
  filter: Omit<WatchOptions, 'bootstrap' | 'timeoutMs' | 'signal'>,
  done: (resources: ReadonlyMap<string, OmniResource<S>>) => boolean,
  timeoutMs: number,
  what: string,
  onWait?: WaitReporter,
): Promise<ReadonlyMap<string, OmniResource<S>>> {
  return reportingWait(onWait, what, () => watchUntil(client, kind, filter, done, timeoutMs, what));
}

/** The watch loop of {@link waitForResources}. */
async function watchUntil<S>(
  client: OmniWatcher,
  kind: ResourceKind<S>,
  filter: Omit<WatchOptions, 'bootstrap' | 'timeoutMs' | 'signal'>,
  done: (resources: ReadonlyMap<string, OmniResource<S>>) => boolean,
  timeoutMs: number,
  what: string,
): Promise<ReadonlyMap<string, OmniResource<S>>> {
  const deadline = Date.now() + timeoutMs;
  for (let restart = 0; ; restart++) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new OmniWaitTimeoutError(what, timeoutMs);
    const resources = new Map<string, OmniResource<S>>();
    let bootstrapped = false;
    try {
      for await (const event of client.watch(kind, { ...filter, bootstrap: true, timeoutMs: remaining })) {
        if (event.type === 'bootstrapped') bootstrapped = true;
        else if (event.type === 'errored') throw new Error(`watch of ${kind.type} failed: ${event.error}`);
        else if (event.type === 'destroyed') resources.delete(event.resource.metadata.id);
        else resources.set(event.resource.metadata.id, event.resource);
        if (bootstrapped && done(resources)) return resources;
      }
    } catch (error) {
      if (Date.now() >= deadline) throw new OmniWaitTimeoutError(what, timeoutMs);
      if (!isTransientOmniError(error)) throw error;
      await sleep(backoffDelay(restart, WATCH_RESTART, Math.random));
    }
  }
}

/** Options of {@link waitForClusterReady}. */
export interface WaitForClusterReadyOptions {
  /** Overall deadline. Defaults to 300,000 ms (omnictl's `--wait 5m`). */
  readonly timeoutMs?: number;
  /** Told when each part of the wait (machine sets, then the cluster) begins and ends. */
  readonly onWait?: WaitReporter;
}

/** What a ready cluster looks like when the wait ends. */
export interface ClusterReadiness {
  /** The cluster's status. */
  readonly cluster: ClusterStatusSpec;
  /** Each machine set's status, by machine set ID. */
  readonly machineSets: Readonly<Record<string, MachineSetStatusSpec>>;
}

/**
 * Waits until a cluster is healthy the way `omnictl cluster template status --wait` judges it: every
 * MachineSetStatus of the cluster is Running and ready, then ClusterStatus is RUNNING and ready. The Cluster resource
 * is read first: Omni keeps it in namespace `default` from the moment a template sync creates it (before any
 * machine set or status exists), so a cluster that is still being created counts as existing, and a name with no
 * Cluster fails at once instead of at the deadline.
 *
 * @param client - A connected client.
 * @param cluster - Cluster ID.
 * @param options - Deadline and wait reporter.
 * @returns The statuses that satisfied the wait.
 * @throws {@link OmniClusterNotFoundError} when Omni has no such cluster; {@link OmniWaitTimeoutError} when the
 *   deadline passes first.
 *
 * @example
 * ```ts
 * import { createOmniClient, waitForClusterReady } from '@talos-sdk/topology/omni-client';
 *
 * const omni = await createOmniClient({ endpoint: 'https://omni.example.com' });
 * const { machineSets } = await waitForClusterReady(omni, 'talos-matrix', { timeoutMs: 600_000 });
 * console.log(Object.keys(machineSets));
 * omni.close();
 * ```
 */
export async function waitForClusterReady(
  client: OmniClusterWatcher,
  cluster: string,
  options: WaitForClusterReadyOptions = {},
): Promise<ClusterReadiness> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const started = Date.now();
  try {
    await client.get(omniKinds.Cluster, cluster);
  } catch (error) {
    throw error instanceof OmniNotFoundError ? new OmniClusterNotFoundError(cluster) : error;
  }
  const sets = await waitForResources(
    client,
    omniKinds.MachineSetStatus,
    { labels: [{ key: CLUSTER_LABEL, op: 'equal', value: cluster }] },
    (resources) =>
      resources.size > 0 &&
      [...resources.values()].every((set) => set.spec.phase === MachineSetPhase.Running && set.spec.ready),
    timeoutMs,
    `machine sets of cluster ${cluster} to be ready`,
    options.onWait,
  );
  let ready: ClusterStatusSpec | undefined;
  await waitForResources(
    client,
    omniKinds.ClusterStatus,
    { id: cluster },
    (resources) => {
      const status = resources.get(cluster)?.spec;
      if (status?.phase === ClusterStatusSpec_Phase.RUNNING && status.ready) ready = status;
      return ready !== undefined;
    },
    Math.max(1, timeoutMs - (Date.now() - started)),
    `cluster ${cluster} to be ready`,
    options.onWait,
  );
  return {
    cluster: ready as ClusterStatusSpec,
    machineSets: Object.fromEntries([...sets.values()].map((set) => [set.metadata.id, set.spec])),
  };
}
