/**
 * Label and annotation keys that tie Omni resources together, and the SDK's ownership marker.
 *
 * @module
 */

/** Annotation on every resource the SDK writes; its value is the topology name. */
export const MANAGED_BY_ANNOTATION = 'talos-sdk.dev/managed-by';
/** Label: the cluster a resource belongs to. */
export const CLUSTER_LABEL = 'omni.sidero.dev/cluster';
/** Label: the machine set a resource belongs to. */
export const MACHINE_SET_LABEL = 'omni.sidero.dev/machine-set';
/** Label (empty value) on control-plane machine sets. */
export const ROLE_CONTROLPLANE_LABEL = 'omni.sidero.dev/role-controlplane';
/** Label (empty value) on worker machine sets. */
export const ROLE_WORKER_LABEL = 'omni.sidero.dev/role-worker';
/** Annotation (empty value) cluster templates put on the Cluster. */
export const MANAGED_BY_CLUSTER_TEMPLATES_ANNOTATION = 'omni.sidero.dev/managed-by-cluster-templates';
/** Annotation: a config patch's human-readable name. */
export const PATCH_NAME_ANNOTATION = 'name';
/**
 * Set to `registered` on an SDK-made InfraProvider once its `infra-provider:<id>` service account is registered; a
 * provider without it is registered again by the next apply.
 */
export const PROVIDER_ACCOUNT_ANNOTATION = 'talos-sdk.dev/provider-account';
