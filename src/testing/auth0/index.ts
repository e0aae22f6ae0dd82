/**
 * An Auth0 tenant emulator for tests: HTTPS on 127.0.0.1 with a fresh self-signed certificate, the token endpoint
 * (client credentials), the Management API's client and users-by-email endpoints with scope checks, rate limiting
 * and fault injection.
 *
 * @module
 */
export type { Auth0Emulator, Auth0EmulatorOptions } from './server.js';
export { startAuth0Emulator } from './server.js';
export type {
  Auth0EmulatorState,
  Auth0RequestRecord,
  EmulatedM2mApplication,
  EmulatedAuth0Token,
  EmulatedAuth0User,
} from './state.js';
