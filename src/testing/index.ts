/**
 * Emulators of the APIs the SDK pushes to, for the SDK's own tests and for yours: each listens on loopback only,
 * speaks the real wire protocol, follows the upstream contract, and can inject faults.
 *
 * @module @talos-sdk/topology/testing
 */
export type {
  CertificateSubject,
  EmulatorReply,
  EmulatorRequest,
  FaultOptions,
  HttpsEmulator,
  HttpsEmulatorOptions,
  LocalCertificate,
} from './https-emulator.js';
export { generateLocalCertificate, startHttpsEmulator } from './https-emulator.js';
export { seededRandom } from './seeded-random.js';
export type { RoundTrip } from './round-trips.js';
export { injectLatency, longestRoundTripChain, RoundTripLog, sequentialRoundTrips } from './round-trips.js';
export type {
  ControllerOptions,
  EmulatorCall,
  EmulatorState,
  JsonSchema,
  OmniEmulator,
  OmniEmulatorOptions,
  OmniFaults,
  OmniRole,
  RegisterKeyOptions,
  SeedResource,
  SeededHeartbeat,
  SimulatedProvider,
  SimulatedProviderOptions,
  TestServiceAccount,
} from './omni/index.js';
export {
  CLUSTER_FINALIZER,
  MACHINE_SET_FINALIZER,
  OMNI_ROLES,
  PROVIDER_HEARTBEAT_INTERVAL_MS,
  PROXMOX_PROVIDER_SCHEMA,
  createTestServiceAccount,
  seedInfraProviderHeartbeat,
  seedInfraProviderStatus,
  startInfraProvider,
  startOmniEmulator,
  validateJsonSchema,
} from './omni/index.js';
export type {
  EmulatedAclEntry,
  EmulatedGuest,
  EmulatedRequestRecord,
  EmulatedStorage,
  EmulatedTask,
  EmulatedToken,
  EmulatedVolume,
  ParamRule,
  PropertyFormat,
  ProxmoxEmulator,
  ProxmoxEmulatorOptions,
  ProxmoxEmulatorState,
} from './proxmox/index.js';
export {
  DEFAULT_VOLUMES,
  ENDPOINT_PARAMETERS,
  PVE8_PRIVILEGES,
  PVE9_PRIVILEGES,
  parsePropertyString,
  privilegesOf,
  ruleFor,
  startProxmoxEmulator,
  verifyParameters,
  versionAtLeast,
} from './proxmox/index.js';
export type {
  UnifiEmulator,
  UnifiEmulatorOptions,
  UnifiEmulatorState,
  UnifiRequestRecord,
  UnifiSession,
} from './unifi/index.js';
export { startUnifiEmulator } from './unifi/index.js';
export type {
  Auth0Emulator,
  Auth0EmulatorOptions,
  Auth0EmulatorState,
  Auth0RequestRecord,
  EmulatedAuth0Token,
  EmulatedAuth0User,
  EmulatedM2mApplication,
} from './auth0/index.js';
export { startAuth0Emulator } from './auth0/index.js';
export type {
  DockerInvocation,
  FakeContainer,
  FakeDocker,
  FakeDockerOptions,
  FakeServiceState,
  InstallableDocker,
  SshEmulator,
  SshEmulatorOptions,
  SshEmulatorRecord,
  SshKeyPair,
} from './ssh/index.js';
export { generateSshKeyPair, opensshFingerprint, startFakeDocker, startSshEmulator } from './ssh/index.js';
export type {
  EmulatedDevice,
  EmulatedKey,
  HuJsonParse,
  JoiningDevice,
  PolicyCheckFailure,
  PolicyRefusal,
  TailscaleEmulator,
  TailscaleEmulatorOptions,
  TailscaleEmulatorState,
  TailscaleRequestRecord,
  TailnetMember,
} from './tailscale/index.js';
export { checkPolicy, parseHuJson, startTailscaleEmulator } from './tailscale/index.js';
