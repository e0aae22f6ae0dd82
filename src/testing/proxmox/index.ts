/**
 * A Proxmox VE API emulator for tests: HTTPS on 127.0.0.1 with a fresh self-signed certificate, parameter
 * verification like the real API, token and ticket auth, asynchronous tasks and fault injection.
 *
 * @module
 */
export type { ParamRule, PropertyFormat } from './parameters.js';
export { ENDPOINT_PARAMETERS, parsePropertyString, ruleFor, verifyParameters } from './parameters.js';
export type { ProxmoxEmulator, ProxmoxEmulatorOptions } from './server.js';
export { startProxmoxEmulator } from './server.js';
export type {
  EmulatedAclEntry,
  EmulatedGuest,
  EmulatedRequestRecord,
  EmulatedStorage,
  EmulatedTask,
  EmulatedToken,
  EmulatedVolume,
  ProxmoxEmulatorState,
} from './state.js';
export { PVE8_PRIVILEGES, PVE9_PRIVILEGES, privilegesOf, versionAtLeast } from './state.js';
export { DEFAULT_VOLUMES } from './volumes.js';
