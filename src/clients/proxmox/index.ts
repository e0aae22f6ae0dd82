/**
 * Proxmox VE client: token or root@pam ticket auth, task waits, and plan/apply of the generated `proxmox/<cluster>`
 * artifacts (containers, VMs, provider access, storage check).
 *
 * @module @talos-sdk/topology/proxmox
 */
export type {
  AccessArtifact,
  AccessRole,
  AccessSpec,
  AccessToken,
  AccessUser,
  AclBody,
  DiskResize,
  GuestArtifact,
  GuestSpec,
  ProxmoxArtifacts,
  SecretParam,
  StorageRequirement,
} from './artifacts.js';
export { proxmoxArtifactClusters, readProxmoxArtifacts } from './artifacts.js';
export type { ProxmoxApplyOptions, ProxmoxApplyResult } from './apply.js';
export { applyProxmox } from './apply.js';
export type { ProxmoxClientOptions, ProxmoxRequestOptions, ProxmoxVersion, Upid } from './client.js';
export type { WaitReporter } from '../progress.js';
export { ProxmoxClient, parseUpid } from './client.js';
export type { ProxmoxDestroyOptions, ProxmoxDestroyResult } from './destroy.js';
export { destroyProxmox, planProxmoxDestroy } from './destroy.js';
export type { ProxmoxCredentials, ProxmoxEnvOptions } from './credentials.js';
export { proxmoxClusterEnvironment, proxmoxClusterSuffix, proxmoxOptionsFromEnv } from './credentials.js';
export {
  ProxmoxApplyRefusedError,
  ProxmoxPreconditionError,
  ProxmoxRootRequiredError,
  ProxmoxTaskError,
  ProxmoxTaskTimeoutError,
} from './errors.js';
export type { GuestConfigDiff } from './guest-config.js';
export {
  configValueMatches,
  diffGuestConfig,
  diskMismatch,
  isCreateOnlyKey,
  isDiskKey,
  splitConfigValue,
} from './guest-config.js';
export { planProxmox } from './plan.js';
export type { AdaptedPrivileges } from './privileges.js';
export { adaptPrivileges } from './privileges.js';
export type { SecretDestination } from '../secret-destination.js';
export { SecretDestinationError } from '../secret-destination.js';
export type { ProxmoxPlanOptions } from './step.js';
