/**
 * Hosts client: delivers each guest's Docker Compose stacks over SSH (ssh2, no `ssh` binary) and starts them. Host
 * keys verified before login (pinned fingerprint or known_hosts), one connection and one command per host to plan,
 * atomic writes, `.env` merged at 0600 with values from this machine, files the SDK did not write never touched, and
 * exactly the services whose config content changed recreated.
 *
 * @module @talos-sdk/topology/hosts
 */
export type { HostArtifacts, HostKeySpec, HostSshSpec, HostStack } from './artifacts.js';
export { readHostsArtifacts } from './artifacts.js';
export type { HostsApplyOptions, HostsApplyResult, StackContainers } from './apply.js';
export { applyHosts } from './apply.js';
export type { HostsDestroyOptions, HostsDestroyResult } from './destroy.js';
export { destroyHosts, planHostsDestroy } from './destroy.js';
export type { ExecResult, HostConnectionOptions, HostEndpoint } from './client.js';
export { HostConnection } from './client.js';
export type { HostsCredentials, HostsEnv } from './credentials.js';
export { hostsCredentialsFromEnv } from './credentials.js';
export type { OsRelease } from './docker-install.js';
export type { EnvSources } from './env-values.js';
export { HostCommandError, HostConnectionError, HostKeyError, HostRefusedError } from './errors.js';
export type { HostKeyDecision, HostKeyPolicy } from './host-key.js';
export { hostKeyFingerprint, verifyHostKey } from './host-key.js';
export { planHosts } from './plan.js';
export type { ContainerState, HostState, RemoteStack, StackManifest } from './probe.js';
export { parseComposePs, STACK_MANIFEST } from './probe.js';
export type { ServiceInputs, StackFile, StackInputs } from './stack-inputs.js';
export type { HostsPlanOptions, HostsSteps, HostWork, StackWork } from './steps.js';
export { buildHostsSteps, closeHostsSteps } from './steps.js';
