/**
 * The annotations `@talos-sdk/topology` puts on the Omni resources it writes (Omni's own label keys are in
 * `@talos-sdk/omni-client`).
 *
 * @module
 */

/** Annotation on every resource the SDK writes; its value is the topology name. */
export const MANAGED_BY_ANNOTATION = 'talos-sdk.dev/managed-by';
/**
 * Set to `registered` on an SDK-made InfraProvider once its `infra-provider:<id>` service account is registered; a
 * provider without it is registered again by the next apply.
 */
export const PROVIDER_ACCOUNT_ANNOTATION = 'talos-sdk.dev/provider-account';
