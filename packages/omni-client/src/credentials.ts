/**
 * Where the client's endpoint and service-account key come from, without the client itself: reading them loads
 * neither gRPC nor OpenPGP, so a tool can tell whether Omni is configured before it connects (the CLI's run across
 * targets checks every target's credentials up front and loads a client only when its target runs).
 *
 * @module
 */
export { omniClientOptionsFromEnv } from './env.js';
export type { ServiceAccountKey, ServiceAccountKeyProblem, ServiceAccountKeySource } from './service-account-key.js';
export { resolveServiceAccountKey, ServiceAccountKeyError } from './service-account-key.js';
