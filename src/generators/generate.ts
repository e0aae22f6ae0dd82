import type { Topology } from '../models/define.js';
import type { TopologyIssue } from '../models/issue.js';
import { TopologyError } from '../models/issue.js';
import type { CheckTopologyOptions } from '../rules/index.js';
import { checkTopology } from '../rules/index.js';
import type { Artifact, ArtifactSet } from './artifact.js';
import { auth0ApplicationArtifact } from './auth0-application.js';
import { clusterTemplateArtifacts } from './cluster-template.js';
import { manifestArtifact } from './manifest.js';
import { omniComposeArtifacts } from './omni-compose.js';
import { infraProviderArtifacts, machineClassArtifacts } from './omni-resources.js';
import { providerStackArtifacts } from './provider-stack.js';
import { proxmoxAccessArtifacts } from './proxmox-access.js';
import { proxmoxGuestArtifacts } from './proxmox-guests.js';
import { publicDnsArtifacts } from './public-dns.js';
import { tailscalePolicyArtifact } from './tailscale-policy.js';
import { unifiDnsArtifact, unifiRoutesArtifact } from './unifi.js';

/** The artifacts of a topology and the rule warnings it passed with. */
export interface GenerateResult extends ArtifactSet {
  /** Rule findings of severity `warning`; errors stop generation instead. */
  readonly warnings: readonly TopologyIssue[];
}

/**
 * Compiles a topology into every artifact: compose files, provider config, Omni resources and cluster templates,
 * Talos patches, UniFi DNS records and routes, Proxmox guest and access parameters, the Tailscale policy, the public
 * DNS record, Omni's Auth0 application, and the manifest. Pure: the same topology always gives byte-identical artifacts.
 *
 * @param topology - A validated topology.
 * @param options - Rules to skip.
 * @returns The artifacts sorted by path, and the rule warnings.
 * @throws {@link TopologyError} when a rule of severity `error` fails.
 *
 * @example
 * ```ts
 * import { defineTopology, generate, writeArtifacts } from '@talos-sdk/topology';
 *
 * const { artifacts } = generate(defineTopology(input));
 * await writeArtifacts({ artifacts }, 'out');
 * ```
 */
export function generate(topology: Topology, options: CheckTopologyOptions = {}): GenerateResult {
  const issues = checkTopology(topology, options);
  const errors = issues.filter((issue) => issue.severity === 'error');
  if (errors.length > 0) throw new TopologyError(errors);
  const artifacts: Artifact[] = [
    ...omniComposeArtifacts(topology),
    ...providerStackArtifacts(topology),
    ...infraProviderArtifacts(topology),
    ...machineClassArtifacts(topology),
    ...clusterTemplateArtifacts(topology),
    unifiDnsArtifact(topology),
    unifiRoutesArtifact(topology),
    ...proxmoxGuestArtifacts(topology),
    ...proxmoxAccessArtifacts(topology),
    tailscalePolicyArtifact(topology),
    ...publicDnsArtifacts(topology),
    auth0ApplicationArtifact(topology),
  ];
  artifacts.push(manifestArtifact(topology.name, artifacts));
  artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { artifacts, warnings: issues.filter((issue) => issue.severity === 'warning') };
}
