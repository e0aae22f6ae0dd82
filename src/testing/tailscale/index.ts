/**
 * A Tailscale API v2 emulator for tests: HTTPS on 127.0.0.1 with a fresh self-signed certificate, API key and OAuth
 * client auth, devices (tags, key expiry, IPv4 with conflicts), auth keys, and the policy file with ETag/If-Match and
 * validation, plus fault injection.
 *
 * @module
 */
export type { JoiningDevice, TailscaleEmulator, TailscaleEmulatorOptions } from './server.js';
export { startTailscaleEmulator } from './server.js';
export type { HuJsonParse, PolicyCheckFailure, PolicyRefusal } from './policy-rules.js';
export type { TailnetMember } from './policy-rules.js';
export { checkPolicy, parseHuJson } from './policy-rules.js';
export type { EmulatedDevice, EmulatedKey, TailscaleEmulatorState, TailscaleRequestRecord } from './state.js';
