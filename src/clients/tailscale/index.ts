/**
 * Tailscale API v2 client: API access token or OAuth client (token cached for its lifetime), and plan/apply of the
 * sidecars' nodes (tags, key expiry, Omni's tailnet IPv4, found by host name), auth keys minted into the stacks'
 * `.env` files on request, and the policy-file endpoints (HuJSON with ETag/If-Match, validation) for the policy step;
 * destroy revokes the keys the SDK minted and removes its marked policy entries, keeping the nodes.
 *
 * @module @talos-sdk/topology/tailscale
 */
export type { DeclaredDevice, TailscaleArtifacts, TailscaleDevicesSpec } from './artifacts.js';
export { readTailscaleArtifacts } from './artifacts.js';
export { AUTH_KEY_LIFETIME_SECONDS, authKeyDescription } from './auth-key-steps.js';
export type { TailscaleApplyOptions, TailscaleApplyResult } from './apply.js';
export { applyTailscale } from './apply.js';
export type { AuthKeyRequest, CreatedAuthKey, TailnetDevice, TailnetKey, TailscaleClientOptions } from './client.js';
export { TailscaleClient } from './client.js';
export type { TailscaleCredentials, TailscaleEnvOptions } from './credentials.js';
export { TAILSCALE_API_URL, tailscaleOptionsFromEnv } from './credentials.js';
export type { SidecarNode } from './device-steps.js';
export { findSidecarNode } from './device-steps.js';
export type { TailscaleDestroyOptions } from './destroy.js';
export { destroyTailscale, planTailscaleDestroy } from './destroy.js';
export type { AddressHolder } from './errors.js';
export { TailscaleAddressConflictError } from './errors.js';
export { planTailscale } from './plan.js';
export type { TailnetPolicyApi, TailnetPolicyFile } from './policy-api.js';
export { TailnetPolicyConflictError, TailnetPolicyInvalidError } from './policy-api.js';
export type { TailscaleStep } from './step.js';
export { TAILSCALE_PHASES } from './step.js';
export type { TailscalePlanOptions, TailscaleSteps } from './steps.js';
export { buildTailscaleSteps } from './steps.js';
