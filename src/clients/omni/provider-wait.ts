/**
 * Waiting for infra providers to run: a provider is connected while its heartbeat, `InfraProviderHealthStatuses/<id>`
 * (namespace `infra-provider-ephemeral`), is fresh, and Omni accepts a MachineClass that auto-provisions from it
 * only once it has written its `InfraProviderStatuses/<id>` (which holds the schema of its `provider_data`). The
 * InfraProviderStatus alone says nothing about liveness: it stays after the provider stops.
 *
 * @module
 */
import type { InfraProviderHealthStatusSpec } from '@talos-sdk/omni-client/generated/omni/specs/infra.js';
import type { OmniResource, OmniWatcher } from '@talos-sdk/omni-client';
import { omniKinds, OmniWaitTimeoutError, waitForResources } from '@talos-sdk/omni-client';
import type { WaitReporter } from '@talos-sdk/omni-client/progress';

/**
 * How old a heartbeat may be for its provider to count as connected: Omni's own bound, 31 s
 * (`InfraProviderCombinedStatusController` in siderolabs/omni `internal/backend/runtime/omni/controllers/omni`
 * sets `connected` when the last heartbeat is younger than `InfraProviderHealthCheckInterval` (30 s, the provider's
 * heartbeat period, `client/pkg/constants`) plus one second). So apply waits exactly when Omni shows the provider
 * as disconnected.
 */
export const PROVIDER_HEARTBEAT_MAX_AGE_MS = 31_000;

/** How to tell a person to start one provider. */
export interface ProviderStartHint {
  /** The compose file that runs it, e.g. `hosts/ct-200/compose.yaml`. */
  readonly stack?: string;
  /** Where its key is, e.g. `OMNI_SERVICE_ACCOUNT_KEY in hosts/ct-200/.env`. */
  readonly key?: string;
}

/** Infra providers did not connect to Omni in time. */
export class InfraProviderNotConnectedError extends Error {
  /** The IDs of the providers that are not connected. */
  readonly providers: readonly string[];

  /**
   * @param providers - The providers still missing.
   * @param hints - How to start each one.
   * @param timeoutMs - How long apply waited.
   * @param reports - What each provider last reported, e.g. `last heartbeat 3 m ago`.
   */
  constructor(
    providers: readonly string[],
    hints: Readonly<Record<string, ProviderStartHint>>,
    timeoutMs: number,
    reports: Readonly<Record<string, string>>,
  ) {
    const lines = providers.map((id) => {
      const hint = hints[id] ?? {};
      const where = hint.stack ? ` (${hint.stack})` : ` (with --id=${id})`;
      const key = hint.key ? `the key written to ${hint.key}` : `its infra-provider:${id} service-account key`;
      return (
        `provider ${id} has not connected to Omni (waited ${timeoutMs / 1000} s; ${reports[id] ?? 'no heartbeat'}): ` +
        `start it${where} with ${key}, then apply again`
      );
    });
    super(lines.join('\n'));
    this.name = 'InfraProviderNotConnectedError';
    this.providers = providers;
  }
}

/**
 * Says what a provider last reported: `no heartbeat`, `last heartbeat 3 m ago`, plus the error it reported.
 *
 * @param health - Its InfraProviderHealthStatus, if any.
 * @param now - The current time in milliseconds.
 * @returns The report, for progress and errors.
 */
export function describeProviderHealth(health: InfraProviderHealthStatusSpec | undefined, now: number): string {
  const beat = health?.lastHeartbeatTimestamp;
  const age = beat ? `last heartbeat ${describeAge(now - beat.getTime())} ago` : 'no heartbeat';
  return health?.error ? `${age}, reported error: ${health.error}` : age;
}

/**
 * Tells whether a provider counts as connected: its heartbeat is at most {@link PROVIDER_HEARTBEAT_MAX_AGE_MS} old.
 *
 * @param health - Its InfraProviderHealthStatus, if any.
 * @param now - The current time in milliseconds.
 * @returns `true` when connected.
 */
export function isProviderConnected(health: InfraProviderHealthStatusSpec | undefined, now: number): boolean {
  const beat = health?.lastHeartbeatTimestamp;
  return beat !== undefined && now - beat.getTime() < PROVIDER_HEARTBEAT_MAX_AGE_MS;
}

/**
 * Waits (one Watch of heartbeats, then one of provider statuses) until every listed provider has a fresh heartbeat
 * and its InfraProviderStatus, telling `onProgress` what each provider not yet connected last reported.
 *
 * @param client - A connected client.
 * @param providers - Provider IDs.
 * @param timeoutMs - How long to wait in all.
 * @param hints - How to start each provider, for the error.
 * @param onProgress - Told what a provider that is not connected last reported, and whenever that changes (not for
 * a provider that never reported and whose key apply has just written: apply has told to start it).
 * @param onWait - Told when each wait (heartbeats, then provider statuses) begins and ends.
 * @returns When all are connected.
 * @throws {@link InfraProviderNotConnectedError} when some are still not connected at the deadline.
 */
export async function waitForInfraProviders(
  client: OmniWatcher,
  providers: readonly string[],
  timeoutMs: number,
  hints: Readonly<Record<string, ProviderStartHint>>,
  onProgress?: (message: string) => void,
  onWait?: WaitReporter,
): Promise<void> {
  if (providers.length === 0) return;
  const deadline = Date.now() + timeoutMs;
  let latest: ReadonlyMap<string, OmniResource<InfraProviderHealthStatusSpec>> = new Map();
  const told = new Map<string, string>();
  const notConnected = (): string[] => providers.filter((id) => !isProviderConnected(latest.get(id)?.spec, Date.now()));
  try {
    await waitForResources(
      client,
      omniKinds.InfraProviderHealthStatus,
      {},
      (heartbeats) => {
        latest = heartbeats;
        const missing = notConnected();
        for (const id of missing) {
          const health = heartbeats.get(id)?.spec;
          // A provider that never reported and whose key apply just wrote has been announced already.
          if (!health && hints[id]?.key) continue;
          const seen = `${health?.lastHeartbeatTimestamp?.getTime() ?? ''} ${health?.error ?? ''}`;
          if (told.get(id) === seen) continue;
          told.set(id, seen);
          onProgress?.(`provider ${id}: ${describeProviderHealth(health, Date.now())}; waiting for a fresh heartbeat`);
        }
        return missing.length === 0;
      },
      timeoutMs,
      `infra providers ${providers.join(', ')} to connect`,
      onWait,
    );
    let unregistered = [...providers];
    try {
      await waitForResources(
        client,
        omniKinds.InfraProviderStatus,
        {},
        (statuses) => {
          unregistered = providers.filter((id) => !statuses.has(id));
          return unregistered.length === 0;
        },
        Math.max(1_000, deadline - Date.now()),
        `infra providers ${providers.join(', ')} to register their status`,
        onWait,
      );
    } catch (error) {
      if (!(error instanceof OmniWaitTimeoutError)) throw error;
      const reports = Object.fromEntries(unregistered.map((id) => [id, 'heartbeats, but no InfraProviderStatus yet']));
      throw new InfraProviderNotConnectedError(unregistered, hints, timeoutMs, reports);
    }
  } catch (error) {
    if (!(error instanceof OmniWaitTimeoutError)) throw error;
    const missing = notConnected();
    const reports = Object.fromEntries(
      missing.map((id) => [id, describeProviderHealth(latest.get(id)?.spec, Date.now())]),
    );
    throw new InfraProviderNotConnectedError(missing, hints, timeoutMs, reports);
  }
}

/** An age in the largest unit that keeps it readable: `12 s`, `3 m`, `5 h`, `2 d`. */
function describeAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 120 * 60) return `${Math.floor(seconds / 60)} m`;
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}
