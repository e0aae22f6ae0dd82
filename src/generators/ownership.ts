/** Annotation carried by every Omni resource the SDK writes; its value is the topology's name. */
export const MANAGED_BY_ANNOTATION = 'talos-sdk.dev/managed-by';

/** Prefix of the name of every UniFi static route the SDK writes. */
export const ROUTE_NAME_PREFIX = 'talos-sdk:';

/** Proxmox tag on every guest the SDK writes. */
export const PROXMOX_TAG = 'talos-sdk';
