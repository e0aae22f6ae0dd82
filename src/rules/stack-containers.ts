/**
 * The containers each Docker Compose stack runs on its guest: the generators name them from here, and the
 * `stacks-side-by-side` rule checks them.
 *
 * @module
 */
import type { DeepReadonly, Topology } from '../models/define.js';
import type { Sidecar } from '../models/tailnet.js';

/** The container name of Omni. */
export const OMNI_CONTAINER = 'omni';

/**
 * The container (and compose service) name of a provider.
 *
 * @param id - The provider id.
 * @returns `<id>-provider`.
 */
export function providerContainer(id: string): string {
  return `${id}-provider`;
}

/** One stack on a guest. */
export interface GuestStack {
  /** The guest it runs on. */
  readonly host: string;
  /** Path of the stack in the topology, e.g. `omni` or `providers.proxmox`. */
  readonly path: string;
  /** The app's container name. */
  readonly app: string;
  /** The stack's Tailscale sidecar. */
  readonly sidecar: DeepReadonly<Sidecar>;
}

/**
 * Every stack of a topology: Omni's, then each provider's by id.
 *
 * @param topology - A validated topology.
 * @returns The stacks.
 */
export function guestStacks(topology: Topology): GuestStack[] {
  return [
    { host: topology.omni.host, path: 'omni', app: OMNI_CONTAINER, sidecar: topology.omni.sidecar },
    ...Object.entries(topology.providers)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, provider]) => ({
        host: provider.host,
        path: `providers.${id}`,
        app: providerContainer(id),
        sidecar: provider.sidecar,
      })),
  ];
}
