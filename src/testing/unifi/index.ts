/**
 * A UniFi OS console emulator for tests: HTTPS on 127.0.0.1 with a fresh self-signed certificate, v1 and v2 Network
 * endpoints for static routes and static DNS, API key and session auth, and fault injection.
 *
 * @module
 */
export type { UnifiEmulator, UnifiEmulatorOptions } from './server.js';
export { startUnifiEmulator } from './server.js';
export type { UnifiEmulatorState, UnifiRequestRecord, UnifiSession } from './state.js';
