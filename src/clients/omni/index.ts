/**
 * The Omni client: typed COSI resource calls with request signing, plan and apply of generated artifacts, and
 * waiting for clusters to become ready.
 *
 * @module @talos-sdk/topology/omni-client
 */
export type { ApplyOmniOptions, ApplyOmniResult, OmniWriter } from './apply.js';
export { DELETE_PHASES, applyOmni } from './apply.js';
export { OmniArtifactError } from './artifact-yaml.js';
export type {
  BootstrappedWatchEvent,
  ErroredWatchEvent,
  ListOptions,
  NamespaceOption,
  OmniTarget,
  ResourceWatchEvent,
  OmniClientOptions,
  OmniClientStats,
  ServiceAccountInfo,
  ServiceAccountRegistration,
  WatchEvent,
  WatchOptions,
} from './client.js';
export { OmniClient, createOmniClient, parseEndpoint } from './client.js';
export { publicKeyId } from './public-key-id.js';
export type { DesiredOmniState, DesiredResource } from './desired.js';
export { desiredOmniState } from './desired.js';
export { omniClientOptionsFromEnv } from './env.js';
export type { OmniErrorCode, OmniErrorOptions, OmniRequestInfo } from './errors.js';
export {
  OmniAlreadyExistsError,
  OmniDeadlineExceededError,
  OmniError,
  OmniEulaNotAcceptedError,
  OmniInvalidArgumentError,
  OmniNotFoundError,
  OmniPendingFinalizersError,
  OmniPermissionDeniedError,
  OmniUnauthenticatedError,
  OmniUnavailableError,
  OmniUnimplementedError,
  OmniValidationError,
  OmniVersionConflictError,
  REDACTED_METADATA_KEYS,
  isTransientOmniError,
  redactMetadata,
  toOmniError,
} from './errors.js';
export type { OmniKindName, ResourceKind, SpecCodec } from './kinds.js';
export { omniKinds } from './kinds.js';
export type { LabelCompare, LabelCondition, LabelExists, LabelIn, LabelSelector } from './label-query.js';
export {
  CLUSTER_LABEL,
  MACHINE_SET_LABEL,
  MANAGED_BY_ANNOTATION,
  MANAGED_BY_CLUSTER_TEMPLATES_ANNOTATION,
  PATCH_NAME_ANNOTATION,
  PROVIDER_ACCOUNT_ANNOTATION,
  ROLE_CONTROLPLANE_LABEL,
  ROLE_WORKER_LABEL,
} from './labels.js';
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
export type { OmniResource, ResourceInput, ResourceMetadata, ResourcePhase } from './resource.js';
export { OmniResourceDecodeError } from './resource.js';
export type { RetryOptions } from './retry.js';
export type { ServiceAccountKey, ServiceAccountKeyProblem, ServiceAccountKeySource } from './service-account-key.js';
export {
  SERVICE_ACCOUNT_KEY_ENV,
  ServiceAccountKeyError,
  parseServiceAccountKey,
  resolveServiceAccountKey,
} from './service-account-key.js';
export type { RequestSigner, RequestSignerOptions } from './signer.js';
export {
  SIGNATURE_VERSION,
  SIGNED_HEADER_KEYS,
  createRequestSigner,
  signedPayload,
  signingInterceptor,
} from './signer.js';
export { CLUSTER_PATCH_BASE_WEIGHT, MACHINE_SET_PATCH_BASE_WEIGHT, translateClusterTemplate } from './template.js';
export type { ClusterReadiness, OmniClusterWatcher, OmniWatcher, WaitForClusterReadyOptions } from './wait.js';
export { OmniClusterNotFoundError, OmniWaitTimeoutError, waitForClusterReady, waitForResources } from './wait.js';
export type { WaitReporter } from '../progress.js';
export type {
  ClusterSpec,
  ClusterStatusSpec,
  ConfigPatchSpec,
  ExtensionsConfigurationSpec,
  InfraProviderSpec,
  InfraProviderHealthStatusSpec,
  InfraProviderStatusSpec,
  MachineClassSpec,
  MachineSetSpec,
  MachineSetStatusSpec,
} from './specs.js';
export { ClusterStatusPhase, GrpcTunnelMode, MachineAllocationType, MachineSetPhase, UpdateStrategy } from './specs.js';
