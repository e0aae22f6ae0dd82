/** Annotation carried by every Omni resource the SDK writes; its value is the topology's name. */
export const MANAGED_BY_ANNOTATION = 'talos-sdk.dev/managed-by';

/**
 * The marker every UniFi static route name of the SDK starts with. Routes written before ownership carried the
 * topology's name were named `talos-sdk:<route>`; a topology adopts (renames) those of its declared routes.
 */
export const ROUTE_NAME_PREFIX = 'talos-sdk:';

/**
 * The name prefix of the UniFi static routes one topology owns, `talos-sdk:<topology>:`, so that topologies sharing a
 * console never prune each other's routes (a static route has no other free-text field to carry the marker).
 *
 * @param topologyName - The topology's name.
 * @returns E.g. `talos-sdk:spaceships:`.
 */
export function routeNamePrefix(topologyName: string): string {
  return `${ROUTE_NAME_PREFIX}${topologyName}:`;
}

/** Proxmox tag on every guest the SDK writes. */
export const PROXMOX_TAG = 'talos-sdk';
