/**
 * Facts about Talos config documents and what Omni accepts in a ConfigPatch, from the upstream schemas and Omni's
 * patch validation.
 *
 * @module
 */

/** Legacy v1alpha1 fields Omni owns and rejects in patches (dotted paths). */
export const OMNI_OWNED_FIELDS: readonly string[] = [
  'cluster.clusterName',
  'cluster.id',
  'cluster.controlPlane.endpoint',
  'cluster.token',
  'cluster.secret',
  'cluster.aescbcEncryptionSecret',
  'cluster.secretboxEncryptionSecret',
  'cluster.ca',
  'cluster.acceptedCAs',
  'cluster.serviceAccount',
  'machine.token',
  'machine.ca',
  'machine.type',
  'machine.install.disk',
  'machine.install.extensions',
  'machine.acceptedCAs',
];

/** Document kinds Omni generates itself and rejects in patches. */
export const OMNI_OWNED_KINDS: readonly string[] = [
  'UnattendedInstallConfig',
  'DiscoveryIdentityConfig',
  'KubeClusterConfig',
  'KubeEtcdEncryptionConfig',
  'KubeAPIServerCAConfig',
  'KubeAggregatorCAConfig',
];

/** Document kinds by the Talos minor version whose schema first has them. */
export const KINDS_SINCE: Readonly<Record<string, number>> = Object.fromEntries([
  ...[
    'ExistingVolumeConfig',
    'RawVolumeConfig',
    'SwapVolumeConfig',
    'UserVolumeConfig',
    'VolumeConfig',
    'ZswapConfig',
    'RegistryAuthConfig',
    'RegistryMirrorConfig',
    'RegistryTLSConfig',
    'ExtensionServiceConfig',
    'PCIDriverRebindConfig',
    'BondConfig',
    'BridgeConfig',
    'NetworkDefaultActionConfig',
    'DHCPv4Config',
    'DHCPv6Config',
    'DummyLinkConfig',
    'EthernetConfig',
    'HCloudVIPConfig',
    'HostnameConfig',
    'KubeSpanEndpointsConfig',
    'Layer2VIPConfig',
    'LinkConfig',
    'LinkAliasConfig',
    'ResolverConfig',
    'NetworkRuleConfig',
    'StaticHostConfig',
    'TimeSyncConfig',
    'VLANConfig',
    'WireguardConfig',
    'EventSinkConfig',
    'KmsgLogConfig',
    'OOMConfig',
    'WatchdogTimerConfig',
    'TrustedRootsConfig',
    'SideroLinkConfig',
  ].map((kind) => [kind, 12]),
  ...[
    'ExternalVolumeConfig',
    'BlackholeRouteConfig',
    'KubeSpanConfig',
    'RoutingRuleConfig',
    'TCPProbeConfig',
    'VRFConfig',
    'EnvironmentConfig',
    'ImageVerificationConfig',
  ].map((kind) => [kind, 13]),
  ...[
    'FilesystemTrimConfig',
    'FilesystemScrubConfig',
    'DiscoveryIdentityConfig',
    'DiscoveryServiceConfig',
    'ContainerConfig',
    'CRIBaseRuntimeSpecConfig',
    'CRICustomizationConfig',
    'ImageCacheConfig',
    'KubeAPIServerConfig',
    'KubeAPIServerCAConfig',
    'KubeAggregatorCAConfig',
    'KubeAdmissionControlConfig',
    'KubeAuditPolicyConfig',
    'KubeAuthenticationConfig',
    'KubeAuthorizerConfig',
    'KubeClusterConfig',
    'KubeControllerManagerConfig',
    'KubeCoreDNSConfig',
    'KubeCredentialProviderConfig',
    'KubeEtcdEncryptionConfig',
    'KubeExternalManifestConfig',
    'KubeFlannelCNIConfig',
    'KubeInlineManifestConfig',
    'KubeletConfig',
    'KubePrismConfig',
    'KubeNetworkConfig',
    'KubeNodeConfig',
    'KubeProxyConfig',
    'KubeSchedulerConfig',
    'KubeServiceAccountConfig',
    'KubeStaticPodConfig',
    'KubeTalosAPIAccessConfig',
    'BGPInstanceConfig',
    'HTTPProbeConfig',
    'VethConfig',
    'EtcFileConfig',
    'KernelModuleConfig',
    'SecurityProfileConfig',
    'SysctlConfig',
    'SysfsConfig',
    'UdevRulesConfig',
    'UnattendedInstallConfig',
    'LVMLogicalVolumeConfig',
    'LVMVolumeGroupConfig',
    'RAIDArrayConfig',
  ].map((kind) => [kind, 14]),
]);

/** A legacy v1alpha1 field that left the schema, and what replaces it. */
export interface LegacyField {
  /** Dotted path in the legacy document. */
  readonly path: string;
  /** The Talos minor version whose schema no longer has it. */
  readonly removedIn: number;
  /** The document kind to use instead. */
  readonly replacement: string;
}

/** Legacy fields removed from the schema, by the version that dropped them. */
export const LEGACY_FIELDS: readonly LegacyField[] = [
  { path: 'machine.network.nameservers', removedIn: 12, replacement: 'ResolverConfig' },
  { path: 'machine.network.searchDomains', removedIn: 12, replacement: 'ResolverConfig' },
  { path: 'machine.network.hostname', removedIn: 12, replacement: 'HostnameConfig' },
  { path: 'machine.network.interfaces', removedIn: 12, replacement: 'LinkConfig / VLANConfig / BondConfig' },
  { path: 'machine.network.extraHostEntries', removedIn: 12, replacement: 'StaticHostConfig' },
  { path: 'machine.time', removedIn: 12, replacement: 'TimeSyncConfig' },
  {
    path: 'machine.registries',
    removedIn: 12,
    replacement: 'RegistryMirrorConfig / RegistryAuthConfig / RegistryTLSConfig',
  },
  { path: 'machine.network', removedIn: 13, replacement: 'KubeSpanConfig and the network documents' },
  { path: 'machine.env', removedIn: 13, replacement: 'EnvironmentConfig' },
  { path: 'machine.kubelet', removedIn: 14, replacement: 'KubeletConfig / KubeNodeConfig' },
  { path: 'machine.install', removedIn: 14, replacement: 'UnattendedInstallConfig (owned by Omni)' },
  { path: 'machine.sysctls', removedIn: 14, replacement: 'SysctlConfig' },
  { path: 'machine.sysfs', removedIn: 14, replacement: 'SysfsConfig' },
  { path: 'machine.kernel', removedIn: 14, replacement: 'KernelModuleConfig' },
  { path: 'machine.files', removedIn: 14, replacement: 'EtcFileConfig' },
  { path: 'machine.udev', removedIn: 14, replacement: 'UdevRulesConfig' },
  { path: 'cluster.network', removedIn: 14, replacement: 'KubeNetworkConfig / KubeFlannelCNIConfig' },
  { path: 'cluster.proxy', removedIn: 14, replacement: 'KubeProxyConfig' },
  { path: 'cluster.apiServer', removedIn: 14, replacement: 'KubeAPIServerConfig' },
  { path: 'cluster.controllerManager', removedIn: 14, replacement: 'KubeControllerManagerConfig' },
  { path: 'cluster.scheduler', removedIn: 14, replacement: 'KubeSchedulerConfig' },
  { path: 'cluster.coreDNS', removedIn: 14, replacement: 'KubeCoreDNSConfig' },
];

/** Pairs Talos refuses to mix: a legacy field and the kind that replaces it. */
export const CONFLICTING_FORMS: readonly { readonly path: string; readonly kind: string }[] = [
  { path: 'machine.network.nameservers', kind: 'ResolverConfig' },
  { path: 'machine.time', kind: 'TimeSyncConfig' },
  { path: 'machine.network.hostname', kind: 'HostnameConfig' },
  { path: 'cluster.network', kind: 'KubeNetworkConfig' },
];

/**
 * Reads a dotted path inside a document.
 *
 * @param document - A config document.
 * @param path - Dotted path such as `machine.install.disk`.
 * @returns The value there, or `undefined`.
 */
export function valueAt(document: unknown, path: string): unknown {
  let node = document;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * A document's identity as Talos matches documents: apiVersion, kind and name (the legacy document has no kind).
 *
 * @param document - A config document.
 * @returns `v1alpha1/<kind>/<name>`, or `v1alpha1/(legacy)` for the v1alpha1 machine config.
 */
export function documentIdentity(document: Readonly<Record<string, unknown>>): string {
  if (typeof document.kind !== 'string') return 'v1alpha1/(legacy)';
  return `${String(document.apiVersion ?? '')}/${document.kind}${typeof document.name === 'string' ? `/${document.name}` : ''}`;
}
