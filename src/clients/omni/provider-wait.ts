/**
 * Waiting for infra providers to connect: Omni accepts a MachineClass that auto-provisions from a provider only once
 * the provider has started and written its `InfraProviderStatuses/<id>` (which holds the schema of its
 * `provider_data`).
 *
 * @module
 */
import { omniKinds } from './kinds.js';
import type { OmniWatcher } from './wait.js';
import { OmniWaitTimeoutError, waitForResources } from './wait.js';

/** How to tell a person to start one provider. */
export interface ProviderStartHint {
  /** The compose file that runs it, e.g. `hosts/ct-200/compose.yaml`. */
  readonly stack?: string;
  /** Where its key is, e.g. `OMNI_SERVICE_ACCOUNT_KEY in hosts/ct-200/.env`. */
  readonly key?: string;
}

/** Infra providers did not connect to Omni in time. */
export class InfraProviderNotConnectedError extends Error {
  /** The IDs of the providers that have no InfraProviderStatus. */
  readonly providers: readonly string[];

  /**
   * @param providers - The providers still missing.
   * @param hints - How to start each one.
   * @param timeoutMs - How long apply waited.
   */
  constructor(providers: readonly string[], hints: Readonly<Record<string, ProviderStartHint>>, timeoutMs: number) {
    const lines = providers.map((id) => {
      const hint = hints[id] ?? {};
      const where = hint.stack ? ` (${hint.stack})` : ` (with --id=${id})`;
      const key = hint.key ? `the key written to ${hint.key}` : `its infra-provider:${id} service-account key`;
      return (
        `provider ${id} has not connected to Omni yet (InfraProviderStatus missing after ${timeoutMs / 1000} s): ` +
        `start it${where} with ${key}, then apply again`
      );
    });
    super(lines.join('\n'));
    this.name = 'InfraProviderNotConnectedError';
    this.providers = providers;
  }
}

/**
 * Waits (one Watch) until every listed provider has an `InfraProviderStatuses/<id>`.
 *
 * @param client - A connected client.
 * @param providers - Provider IDs.
 * @param timeoutMs - How long to wait.
 * @param hints - How to start each provider, for the error.
 * @returns When all are connected.
 * @throws {@link InfraProviderNotConnectedError} when some are still missing at the deadline.
 */
export async function waitForInfraProviders(
  client: OmniWatcher,
  providers: readonly string[],
  timeoutMs: number,
  hints: Readonly<Record<string, ProviderStartHint>>,
): Promise<void> {
  if (providers.length === 0) return;
  let missing = [...providers];
  try {
    await waitForResources(
      client,
      omniKinds.InfraProviderStatus,
      {},
      (statuses) => {
        missing = providers.filter((id) => !statuses.has(id));
        return missing.length === 0;
      },
      timeoutMs,
      `infra providers ${providers.join(', ')} to connect`,
    );
  } catch (error) {
    if (error instanceof OmniWaitTimeoutError) throw new InfraProviderNotConnectedError(missing, hints, timeoutMs);
    throw error;
  }
}
