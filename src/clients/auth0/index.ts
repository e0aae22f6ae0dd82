/**
 * Auth0 Management API client: a Management API token or client credentials (token cached for its lifetime), and
 * plan/apply of Omni's Auth0 application: `app_type` SPA and the Allowed Callback URLs, Logout URLs and Web Origins,
 * where only the URLs the SDK recorded as its own (in `client_metadata`) are ever removed, plus a check that Omni's
 * initial users exist in the tenant; destroy removes those URLs and the record, never the application.
 *
 * @module @talos-sdk/topology/auth0
 */
export type { Auth0ApplicationSpec, UrlField } from './artifacts.js';
export { URL_FIELDS, readAuth0Artifacts } from './artifacts.js';
export type { Auth0ApplyOptions, Auth0ApplyResult } from './apply.js';
export type { Auth0DestroyOptions } from './destroy.js';
export { destroyAuth0, planAuth0Destroy } from './destroy.js';
export { Auth0ReadBackError, applyAuth0 } from './apply.js';
export type { Auth0ClientOptions, Auth0RequestOptions } from './client.js';
export { Auth0Client, describeAuth0Error, rateLimitResetDelay } from './client.js';
export type { Auth0Credentials, Auth0EnvOptions } from './credentials.js';
export { auth0OptionsFromEnv } from './credentials.js';
export { OWNERSHIP_KEY, formatOwnership, ownershipMark, readOwnership } from './ownership.js';
export { planAuth0 } from './plan.js';
export type {
  ApplicationMerge,
  Auth0ClientObject,
  Auth0ClientPatch,
  Auth0PlanOptions,
  Auth0Step,
  Auth0Steps,
} from './steps.js';
export { CLIENT_FIELDS, buildAuth0Steps, checkInitialUsers, mergeApplication, readAuth0Client } from './steps.js';
