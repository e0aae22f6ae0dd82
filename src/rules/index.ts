/**
 * The architecture's decisions as checks over a validated topology.
 *
 * @module
 */
import type { Topology } from '../models/define.js';
import type { TopologyIssue } from '../models/issue.js';
import { sortIssues } from '../models/issue.js';
import { addressInSubnetRule } from './address-in-subnet.js';
import { imagePinnedRule } from './image-pinned.js';
import { guestLoginRule } from './guest-login.js';
import { l2AdjacencyRule } from './l2-adjacency.js';
import { lxcDockerHostRule } from './lxc-docker-host.js';
import { noLiteralSecretsRule } from './no-literal-secrets.js';
import { patchDuplicateDocumentRule } from './patch-duplicate-document.js';
import { patchOmniOwnedRule } from './patch-omni-owned.js';
import { patchStyleRule } from './patch-style.js';
import { planeSeparationRule } from './plane-separation.js';
import { providerTlsVerifyRule } from './provider-tls-verify.js';
import { qemuGuestAgentRule } from './qemu-guest-agent.js';
import { qemuInstallRule } from './qemu-install.js';
import type { Rule } from './rule.js';
import { routeDestinationRule } from './route-destination.js';
import { routeNexthopRule } from './route-nexthop.js';
import { routesBothWaysRule } from './routes-both-ways.js';
import { siderolinkAddressRule } from './siderolink-address.js';
import { splitHorizonRule } from './split-horizon.js';
import { sshLoginRule } from './ssh-login.js';
import { stacksSideBySideRule } from './stacks-side-by-side.js';
import { storageExistsRule } from './storage-exists.js';
import { uniqueAddressesRule } from './unique-addresses.js';
import { unifiNetworksRule } from './unifi-networks.js';
import { uniqueSidecarHostnamesRule } from './unique-sidecar-hostnames.js';
import { uniqueVmidsRule } from './unique-vmids.js';

export type { Rule, RuleFinding } from './rule.js';
export { QEMU_GUEST_AGENT } from './qemu-guest-agent.js';

/** Every rule, in report order. */
export const RULES: readonly Rule[] = [
  l2AdjacencyRule,
  splitHorizonRule,
  routesBothWaysRule,
  routeDestinationRule,
  routeNexthopRule,
  unifiNetworksRule,
  planeSeparationRule,
  addressInSubnetRule,
  uniqueAddressesRule,
  uniqueVmidsRule,
  uniqueSidecarHostnamesRule,
  storageExistsRule,
  lxcDockerHostRule,
  siderolinkAddressRule,
  qemuGuestAgentRule,
  qemuInstallRule,
  guestLoginRule,
  sshLoginRule,
  patchOmniOwnedRule,
  patchDuplicateDocumentRule,
  patchStyleRule,
  noLiteralSecretsRule,
  providerTlsVerifyRule,
  imagePinnedRule,
  stacksSideBySideRule,
];

/** Options for {@link checkTopology}. */
export interface CheckTopologyOptions {
  /** Rule ids to skip. */
  readonly skip?: readonly string[];
}

/**
 * Runs every rule over a validated topology.
 *
 * @param topology - The topology from `defineTopology`.
 * @param options - Rules to skip.
 * @returns Every finding as a topology issue (errors and warnings), sorted by path.
 *
 * @example
 * ```ts
 * const issues = checkTopology(topology);
 * const errors = issues.filter((issue) => issue.severity === 'error');
 * ```
 */
export function checkTopology(topology: Topology, options: CheckTopologyOptions = {}): TopologyIssue[] {
  const issues: TopologyIssue[] = [];
  for (const rule of RULES) {
    if (options.skip?.includes(rule.id)) continue;
    for (const finding of rule.check(topology)) {
      issues.push({ path: finding.path, rule: rule.id, message: finding.message, severity: rule.severity });
    }
  }
  return sortIssues(issues);
}
