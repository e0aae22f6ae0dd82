/**
 * A TypeScript client for Sidero Omni's gRPC API: typed COSI resource calls (get, list, watch, create, update,
 * delete, label queries) with PGP request signing by a service-account key, typed errors, retries where repeating a
 * call is safe, and waiting for clusters to become ready. The gRPC code is generated from Omni's and COSI's `.proto`
 * files.
 *
 * @example
 * ```ts
 * import { createOmniClient, omniKinds } from '@talos-sdk/omni-client';
 *
 * const omni = await createOmniClient({
 *   endpoint: 'https://omni.example.com',
 *   serviceAccountKey: process.env.OMNI_SERVICE_ACCOUNT_KEY,
 * });
 * for (const machineClass of await omni.list(omniKinds.MachineClass)) console.log(machineClass.metadata.id);
 * omni.close();
 * ```
 *
 * @module @talos-sdk/omni-client
 */
export type { BackoffSteps } from './backoff.js';
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
export type { GeneratedServiceAccountKey, ServiceAccountKeyOptions } from './generate-service-account-key.js';
export { generateServiceAccountKey } from './generate-service-account-key.js';
export type { LabelCompare, LabelCondition, LabelExists, LabelIn, LabelSelector } from './label-query.js';
export {
  CLUSTER_LABEL,
  MACHINE_SET_LABEL,
  MANAGED_BY_CLUSTER_TEMPLATES_ANNOTATION,
  PATCH_NAME_ANNOTATION,
  ROLE_CONTROLPLANE_LABEL,
  ROLE_WORKER_LABEL,
} from './labels.js';
export type { Logger } from './logger.js';
export { processWarningLogger } from './logger.js';
export type { UsablePublicKey } from './public-key-id.js';
export { publicKeyId, usablePublicKey } from './public-key-id.js';
export type { OmniResource, ResourceInput, ResourceMetadata, ResourcePhase } from './resource.js';
export { OmniResourceDecodeError, fromWireResource, toWireResource } from './resource.js';
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
export type { WaitReporter } from './progress.js';
export { reportingWait } from './progress.js';
export type { ClusterReadiness, OmniClusterWatcher, OmniWatcher, WaitForClusterReadyOptions } from './wait.js';
export { OmniClusterNotFoundError, OmniWaitTimeoutError, waitForClusterReady, waitForResources } from './wait.js';
