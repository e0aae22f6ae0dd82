import type { Rule, RuleFinding } from './rule.js';

/** The extension the Proxmox provider adds itself, which an explicit list would otherwise drop. */
export const QEMU_GUEST_AGENT = 'siderolabs/qemu-guest-agent';

/**
 * An explicit system-extension list replaces the provider's defaults, so for Proxmox-provisioned machine sets it
 * must repeat `siderolabs/qemu-guest-agent`.
 */
export const qemuGuestAgentRule: Rule = {
  id: 'qemu-guest-agent',
  severity: 'error',
  description: 'Explicit system-extension lists of Proxmox-provisioned sets keep siderolabs/qemu-guest-agent.',
  check(topology) {
    const findings: RuleFinding[] = [];
    for (const [name, cluster] of Object.entries(topology.clusters)) {
      const sets = [
        { path: `clusters.${name}.controlPlane`, set: cluster.controlPlane },
        ...Object.entries(cluster.workers).map(([set, workers]) => ({
          path: `clusters.${name}.workers.${set}`,
          set: workers,
        })),
      ];
      const clusterListMatters = sets.some(({ set }) => set.systemExtensions === undefined);
      if (clusterListMatters && cluster.systemExtensions && !cluster.systemExtensions.includes(QEMU_GUEST_AGENT)) {
        findings.push({
          path: `clusters.${name}.systemExtensions`,
          message: `this list replaces the Proxmox provider's extensions; add ${QEMU_GUEST_AGENT} or the VMs lose their guest agent`,
        });
      }
      for (const { path, set } of sets) {
        if (set.systemExtensions && !set.systemExtensions.includes(QEMU_GUEST_AGENT)) {
          findings.push({
            path: `${path}.systemExtensions`,
            message: `this list replaces the Proxmox provider's extensions (machine class ${set.machineClass}); add ${QEMU_GUEST_AGENT}`,
          });
        }
      }
    }
    return findings;
  },
};
