/**
 * `@talos-sdk/topology`: a Sidero Omni, Talos and Proxmox homelab as typed, validated code.
 *
 * - **models**: {@link defineTopology} validates a topology and returns it deeply frozen, or throws
 *   {@link TopologyError} with every issue's path, rule and message.
 * - **rules**: {@link checkTopology} runs the architecture's decisions (L2 adjacency, split horizon, routes, ...).
 * - **generators**: {@link generate} compiles the topology into every artifact; {@link writeArtifacts} and
 *   {@link findStaleFiles} keep an output folder in step.
 * - **plan**: the change model every client shares ({@link Plan}, {@link formatPlan}).
 *
 * This entry point loads no client code: the Omni, Proxmox and UniFi clients are the subpaths
 * `@talos-sdk/topology/omni-client`, `/proxmox` and `/unifi`, and the API emulators `/testing`.
 *
 * @module
 */
export type {
  DeepReadonly,
  DefineTopologyFailure,
  DefineTopologyResult,
  DefineTopologySuccess,
  Dns,
  DnsRecord,
  Guest,
  LxcGuest,
  MachineClass,
  MachineSet,
  Network,
  Omni,
  ProxmoxCluster,
  ProxmoxProvider,
  QemuGuest,
  SecretLiteral,
  SecretRef,
  SecretShape,
  ServedNetwork,
  Severity,
  Sidecar,
  StaticRoute,
  Storage,
  Subnet,
  Tailnet,
  TalosCluster,
  TalosPatch,
  Topology,
  TopologyInput,
  TopologyIssue,
  Unifi,
} from './models/index.js';
export {
  CIDR_PATTERN,
  INPUT_LIMITS,
  IPV4_PATTERN,
  SECRET_NAME,
  SECRET_SHAPES,
  TopologyError,
  defineTopology,
  findSecretLiterals,
  formatIssues,
  ipv4ToNumber,
  isReservedHostAddress,
  parseCidr,
  redactIssue,
  redactSecretShapes,
  safeDefineTopology,
  secretShapeIn,
  sortIssues,
  subnetContains,
  subnetCovers,
  toTopologyIssue,
  dnsRecordSchema,
  dnsSchema,
  guestSchema,
  lxcGuestSchema,
  machineClassSchema,
  machineSetSchema,
  networkSchema,
  omniSchema,
  proxmoxClusterSchema,
  proxmoxProviderSchema,
  qemuGuestSchema,
  servedNetworkSchema,
  sidecarSchema,
  staticRouteSchema,
  storageSchema,
  tailnetSchema,
  talosClusterSchema,
  talosPatchSchema,
  topologyJsonSchema,
  topologySchema,
  unifiSchema,
} from './models/index.js';
export type { CheckTopologyOptions, Rule, RuleFinding } from './rules/index.js';
export { QEMU_GUEST_AGENT, RULES, checkTopology } from './rules/index.js';
export type {
  Artifact,
  ArtifactKind,
  ArtifactSet,
  GenerateResult,
  StaleFile,
  WriteArtifactsOptions,
  WriteResult,
} from './generators/index.js';
export {
  ARTIFACT_KINDS,
  ArtifactSetError,
  InternalArtifactError,
  MANAGED_BY_ANNOTATION,
  PROVIDER_PRIVILEGES,
  PROXMOX_TAG,
  ROUTE_NAME_PREFIX,
  artifactPathProblem,
  artifactsOfKind,
  createArtifact,
  findStaleFiles,
  generate,
  readArtifactSet,
  routeNamePrefix,
  sha256Hex,
  unifiedDiff,
  writeArtifacts,
} from './generators/index.js';
export type {
  Change,
  ChangeAction,
  ClientOption,
  ClientOptionNames,
  FieldDiff,
  FormatPlanOptions,
  Plan,
  PlanJson,
  PlanSummary,
  PlanTarget,
  UnmanagedObject,
} from './plan/index.js';
export {
  CLIENT_OPTIONS,
  clientOptionText,
  compareText,
  createChange,
  createPlan,
  deepEqual,
  diffFields,
  formatPlan,
  MissingClientOptionError,
  planHasChanges,
  planToJson,
  renameClientOptions,
  summarizePlan,
} from './plan/index.js';
