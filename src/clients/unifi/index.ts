/**
 * UniFi Network client: API key or session login (CSRF rotation, re-login on 401), and plan/apply of the generated
 * static DNS records and static routes: routes owned by name prefix per topology, DNS records adopted only with
 * consent, an apply that reads back after a failed write and converges under faults, and a destroy that removes
 * only the records and routes the SDK can prove are the topology's.
 *
 * @module @talos-sdk/topology/unifi
 */
export type { DnsRecordsSpec, StaticDnsBody, StaticRouteBody, StaticRoutesSpec, UnifiArtifacts } from './artifacts.js';
export { dnsRecordId, readUnifiArtifacts } from './artifacts.js';
export type { UnifiApplyOptions, UnifiApplyResult } from './apply.js';
export { applyUnifi } from './apply.js';
export type { UnifiClientOptions, UnifiRequestOptions } from './client.js';
export { UnifiClient, describeUnifiError } from './client.js';
export type { UnifiCredentials, UnifiEnvOptions } from './credentials.js';
export { unifiOptionsFromEnv } from './credentials.js';
export type { UnifiDestroyOptions, UnifiDestroyResult } from './destroy.js';
export { destroyUnifi, planUnifiDestroy } from './destroy.js';
export { planUnifi } from './plan.js';
export type { StaticDnsRecord, StaticRoute, UnifiPlanOptions } from './steps.js';
