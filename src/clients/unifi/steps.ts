import type { ArtifactSet } from '../../generators/artifact.js';
import type { Plan, UnmanagedObject } from '../../plan/change.js';
import { createPlan } from '../../plan/change.js';
import { readUnifiArtifacts } from './artifacts.js';
import type { UnifiClient } from './client.js';
import { buildDnsSteps } from './dns-steps.js';
import { buildRouteSteps } from './route-steps.js';
import type { UnifiStep } from './step.js';

export type { StaticDnsRecord } from './dns-steps.js';
export type { StaticRoute } from './route-steps.js';

/** Options shared by `planUnifi` and `applyUnifi`. */
export interface UnifiPlanOptions {
  /** Overrides the DNS artifact's `prune`: delete undeclared A/AAAA/CNAME records inside its `zone`. */
  readonly prune?: boolean;
  /**
   * Takes over existing DNS records that differ from the artifact and that the SDK cannot prove it wrote (the plan
   * shows them as `adopt`); without it they are left as they are and reported as skipped.
   */
  readonly adopt?: boolean;
  /** Cancels the requests. */
  readonly signal?: AbortSignal;
}

/** The plan for a console and the steps behind its changes. */
export interface UnifiSteps {
  /** The plan: one change per step, plus live objects left alone. */
  readonly plan: Plan;
  /** The steps, unordered. */
  readonly steps: readonly UnifiStep[];
}

/**
 * Reads the console (one `GET` per artifact) and works out what applying the UniFi artifacts would do: see
 * `buildDnsSteps` for which DNS records the SDK may change and `buildRouteSteps` for the routes it owns.
 *
 * @param set - The artifact set.
 * @param client - A client for the console.
 * @param options - Prune and adopt overrides, and the signal.
 * @returns The plan and its steps: `planUnifi` returns the plan, `applyUnifi` runs the steps.
 */
export async function buildUnifiSteps(
  set: ArtifactSet,
  client: UnifiClient,
  options: UnifiPlanOptions,
): Promise<UnifiSteps> {
  const { dns, routes } = readUnifiArtifacts(set);
  const steps: UnifiStep[] = [];
  const unmanaged: UnmanagedObject[] = [];
  const parts = await Promise.all([
    dns
      ? buildDnsSteps(dns, client, {
          prune: options.prune ?? dns.prune,
          adopt: options.adopt ?? false,
          signal: options.signal,
        })
      : undefined,
    routes ? buildRouteSteps(routes, client, options.signal) : undefined,
  ]);
  for (const part of parts) {
    if (!part) continue;
    steps.push(...part.steps);
    unmanaged.push(...part.unmanaged);
  }
  const plan = createPlan(
    'unifi',
    steps.map((step) => step.change),
    unmanaged,
  );
  return { plan, steps };
}
