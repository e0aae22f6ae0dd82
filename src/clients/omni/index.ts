/**
 * The Omni side of the topology: plan and apply of generated artifacts, provider stacks and waiting for infra
 * providers, on top of `@talos-sdk/omni-client` (typed COSI resource calls with request signing, typed errors,
 * retries and waiting for clusters), whose whole API this module re-exports.
 *
 * @module @talos-sdk/topology/omni-client
 */
export * from '@talos-sdk/omni-client';
export type { ApplyOmniOptions, ApplyOmniResult, DeletePhasesOptions, OmniWriter } from './apply.js';
export { DELETE_PHASES, applyOmni, deleteInPhases } from './apply.js';
export { OmniArtifactError } from './artifact-yaml.js';
export type { DestroyOmniOptions, DestroyOmniResult } from './destroy.js';
export { destroyOmni, planOmniDestroy } from './destroy.js';
export type { DesiredOmniState, DesiredResource } from './desired.js';
export { desiredOmniState } from './desired.js';
export type { OmniPlan, OmniReader, OmniStep, PlanOmniOptions } from './plan.js';
export { MANAGED_KINDS, planOmni, providerKeyVariable } from './plan.js';
export type { SecretDestination } from '../secret-destination.js';
export { SecretDestinationError } from '../secret-destination.js';
export { PROVIDER_ACCOUNT_REGISTERED, PROVIDER_KEY_ENV } from './provider-account.js';
export type { ProviderStack } from './provider-stacks.js';
export { providerStacks } from './provider-stacks.js';
export type { ProviderStartHint } from './provider-wait.js';
export {
  InfraProviderNotConnectedError,
  PROVIDER_HEARTBEAT_MAX_AGE_MS,
  describeProviderHealth,
  isProviderConnected,
  waitForInfraProviders,
} from './provider-wait.js';
export { MANAGED_BY_ANNOTATION, PROVIDER_ACCOUNT_ANNOTATION } from './sdk-annotations.js';
export { CLUSTER_PATCH_BASE_WEIGHT, MACHINE_SET_PATCH_BASE_WEIGHT, translateClusterTemplate } from './template.js';
