/**
 * Topology models: zod schemas, their inferred types, and `defineTopology`.
 *
 * @module
 */
export type {
  DeepReadonly,
  DefineTopologyFailure,
  DefineTopologyResult,
  DefineTopologySuccess,
  Topology,
  TopologyInput,
} from './define.js';
export { defineTopology, safeDefineTopology, toTopologyIssue } from './define.js';
export type { Guest, LxcGuest, QemuGuest } from './guest.js';
export { INPUT_LIMITS, inputBoundIssues } from './input-bounds.js';
export { guestSchema, lxcGuestSchema, qemuGuestSchema } from './guest.js';
export type { Severity, TopologyIssue } from './issue.js';
export { TopologyError, formatIssues, isTopologyError, redactIssue, sortIssues } from './issue.js';
export type { Subnet } from './ipv4.js';
export {
  CIDR_PATTERN,
  IPV4_PATTERN,
  ipv4ToNumber,
  isReservedHostAddress,
  parseCidr,
  subnetContains,
  subnetCovers,
} from './ipv4.js';
export type { MachineClass } from './machine-class.js';
export { machineClassSchema } from './machine-class.js';
export type { Dns, DnsRecord, ServedNetwork, StaticRoute, Unifi } from './network-services.js';
export { dnsRecordSchema, dnsSchema, servedNetworkSchema, staticRouteSchema, unifiSchema } from './network-services.js';
export type { Omni } from './omni.js';
export { omniSchema } from './omni.js';
export type { SecretRef } from './primitives.js';
export type { ProxmoxProvider } from './provider.js';
export { proxmoxProviderSchema } from './provider.js';
export type { Network, ProxmoxCluster, Storage } from './proxmox.js';
export { networkSchema, proxmoxClusterSchema, storageSchema } from './proxmox.js';
export type { SecretLiteral, SecretShape } from './secret-patterns.js';
export {
  SECRET_NAME,
  SECRET_SHAPES,
  findSecretLiterals,
  redactSecretShapes,
  secretShapeIn,
} from './secret-patterns.js';
export type { SshAccess } from './ssh-access.js';
export { HOST_KEY_FINGERPRINT_PATTERN, sshAccessSchema } from './ssh-access.js';
export { sshLoginUser } from './ssh-login.js';
export type { Sidecar, Tailnet } from './tailnet.js';
export { sidecarSchema, tailnetSchema } from './tailnet.js';
export type { MachineSet, TalosCluster, TalosPatch } from './talos-cluster.js';
export { machineSetSchema, talosClusterSchema, talosPatchSchema } from './talos-cluster.js';
export { topologySchema } from './topology.js';
export { TOPOLOGY_SCHEMA_URL, topologyJsonSchema } from './json-schema.js';
export type { TopologyDocument } from './topology-document.js';
