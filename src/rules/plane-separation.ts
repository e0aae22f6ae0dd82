import type { Rule, RuleFinding } from './rule.js';

/** The management plane (Omni) should not run on the Proxmox cluster it provisions workloads into. */
export const planeSeparationRule: Rule = {
  id: 'plane-separation',
  severity: 'warning',
  description: 'Omni runs on a different Proxmox cluster from the one its providers provision into.',
  check(topology) {
    const host = topology.guests[topology.omni.host];
    if (!host) return [];
    const findings: RuleFinding[] = [];
    for (const [id, provider] of Object.entries(topology.providers)) {
      if (provider.cluster === host.cluster) {
        findings.push({
          path: 'omni.host',
          message: `Omni runs on ${topology.omni.host} in Proxmox cluster ${host.cluster}, which providers.${id}.cluster also provisions Talos VMs into; a workload outage can then take the management plane with it`,
        });
      }
    }
    return findings;
  },
};
