import type { Topology } from '../models/define.js';
import type { TopologyIssue } from '../models/issue.js';
import { TopologyError } from '../models/issue.js';
import type { CheckTopologyOptions } from '../rules/index.js';
import { checkTopology } from '../rules/index.js';
import type { Artifact, ArtifactSet } from './artifact.js';
import { auth0ApplicationArtifact } from './auth0-application.js';
import { findPathConflict, InternalArtifactError } from './artifact-path.js';
import { clusterTemplateArtifacts } from './cluster-template.js';
import { hostSshArtifacts } from './host-ssh.js';
import { inputDigest, manifestArtifact } from './manifest.js';
import { SDK_VERSION } from './sdk-version.js';
import { omniComposeArtifacts } from './omni-compose.js';
import { infraProviderArtifacts, machineClassArtifacts } from './omni-resources.js';
import { providerStackArtifacts } from './provider-stack.js';
import { proxmoxAccessArtifacts } from './proxmox-access.js';
import { proxmoxGuestArtifacts } from './proxmox-guests.js';
import { publicDnsArtifacts } from './public-dns.js';
import { tailscaleDevicesArtifact } from './tailscale-devices.js';
import { tailscalePolicyArtifact } from './tailscale-policy.js';
import { unifiDnsArtifact, unifiRoutesArtifact } from './unifi.js';

/** Every generator by the name errors give it, each returning its artifacts. */
const GENERATORS: Readonly<Record<string, (topology: Topology) => readonly Artifact[]>> = {
  'omni-compose': omniComposeArtifacts,
  'provider-stack': providerStackArtifacts,
  'host-ssh': hostSshArtifacts,
  'omni-infra-providers': infraProviderArtifacts,
  'omni-machine-classes': machineClassArtifacts,
  'cluster-templates': clusterTemplateArtifacts,
  'unifi-dns': (topology) => [unifiDnsArtifact(topology)],
  'unifi-routes': (topology) => [unifiRoutesArtifact(topology)],
  'proxmox-guests': proxmoxGuestArtifacts,
  'proxmox-access': proxmoxAccessArtifacts,
  'tailscale-policy': (topology) => [tailscalePolicyArtifact(topology)],
  'tailscale-devices': (topology) => [tailscaleDevicesArtifact(topology)],
  'public-dns': publicDnsArtifacts,
  'auth0-application': (topology) => [auth0ApplicationArtifact(topology)],
};

/**
 * Refuses paths that would leave the output folder (possible only for a topology object that skipped
 * `defineTopology`, whose names are checked there) and two artifacts on one path (the second would silently replace
 * the first when written), naming both generators.
 */
function checkPaths(produced: readonly { artifact: Artifact; source: string }[]): void {
  const conflict = findPathConflict(produced, ({ artifact }) => artifact.path);
  if (!conflict) return;
  const { artifact, source } = conflict.item;
  const first = conflict.first;
  throw new InternalArtifactError(
    artifact.path,
    first
      ? `is produced twice: by ${first.source} (${first.artifact.kind}) and by ${source} (${artifact.kind})`
      : `from ${source} ${conflict.problem}`,
  );
}

/** The artifacts of a topology and the rule warnings it passed with. */
export interface GenerateResult extends ArtifactSet {
  /** Rule findings of severity `warning`; errors stop generation instead. */
  readonly warnings: readonly TopologyIssue[];
}

/**
 * Compiles a topology into every artifact: compose files, provider config, Omni resources and cluster templates,
 * Talos patches, UniFi DNS records and routes, Proxmox guest and access parameters, the Tailscale policy and devices, the public
 * DNS record, Omni's Auth0 application, and the manifest. Pure: the same topology always gives byte-identical artifacts.
 *
 * @param topology - A validated topology.
 * @param options - Rules to skip.
 * @returns The artifacts sorted by path, and the rule warnings.
 * @throws {@link TopologyError} when a rule of severity `error` fails.
 * @throws {@link InternalArtifactError} when an artifact path would leave the output folder or two artifacts share
 * one path (never for a topology from `defineTopology`: a bug to report).
 *
 * @example
 * ```ts
 * import { generate, writeArtifacts } from '@talos-sdk/topology';
 * import topology from './topology.js'; // export default defineTopology({ ... })
 *
 * const { artifacts, warnings } = generate(topology); // throws TopologyError when an error rule fails
 * for (const warning of warnings) console.warn(`${warning.path}: ${warning.message}`);
 * await writeArtifacts({ artifacts }, 'out');
 * ```
 */
export function generate(topology: Topology, options: CheckTopologyOptions = {}): GenerateResult {
  const issues = checkTopology(topology, options);
  const errors = issues.filter((issue) => issue.severity === 'error');
  if (errors.length > 0) throw new TopologyError(errors);
  const produced: { artifact: Artifact; source: string }[] = [];
  for (const [source, produce] of Object.entries(GENERATORS))
    for (const artifact of produce(topology)) produced.push({ artifact, source });
  const manifest = manifestArtifact(
    topology.name,
    produced.map(({ artifact }) => artifact),
    { input: inputDigest(topology, options), version: SDK_VERSION },
  );
  produced.push({ artifact: manifest, source: 'manifest' });
  checkPaths(produced);
  const artifacts = produced.map(({ artifact }) => artifact);
  artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { artifacts, warnings: issues.filter((issue) => issue.severity === 'warning') };
}
