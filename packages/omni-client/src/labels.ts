/**
 * Label and annotation keys Omni uses to tie resources together.
 *
 * @module
 */

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
