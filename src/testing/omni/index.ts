/**
 * The Omni API emulator, for tests of code that talks to Omni.
 *
 * @module
 */
export type { ControllerOptions } from './controller.js';
export { CLUSTER_FINALIZER, MACHINE_SET_FINALIZER } from './controller.js';
export type { EmulatorCall, OmniEmulator, OmniEmulatorOptions, RegisterKeyOptions } from './emulator.js';
export { startOmniEmulator } from './emulator.js';
export type { OmniFaults } from './faults.js';
export type { JsonSchema } from './json-schema.js';
export { validateJsonSchema } from './json-schema.js';
export type { OmniRole } from './signature-verifier.js';
export { OMNI_ROLES } from './signature-verifier.js';
export type { TestServiceAccount } from './service-account.js';
export { createTestServiceAccount } from './service-account.js';
export type { EmulatorState, SeedResource } from './state.js';
export type { SeededHeartbeat, SimulatedProvider, SimulatedProviderOptions } from './provider-status.js';
export {
  PROVIDER_HEARTBEAT_INTERVAL_MS,
  PROXMOX_PROVIDER_SCHEMA,
  connectInfraProvider,
  seedInfraProviderHeartbeat,
  seedInfraProviderStatus,
  startInfraProvider,
} from './provider-status.js';
