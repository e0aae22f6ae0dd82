import type { Rule, RuleFinding } from './rule.js';

/** VMIDs are unique within each Proxmox cluster. */
export const uniqueVmidsRule: Rule = {
  id: 'unique-vmids',
  severity: 'error',
  description: 'Each VMID is used once per Proxmox cluster.',
  check(topology) {
    const seen = new Map<string, string>();
    const findings: RuleFinding[] = [];
    for (const [name, guest] of Object.entries(topology.guests)) {
      const key = `${guest.cluster}/${guest.vmid}`;
      const first = seen.get(key);
      if (first) {
        findings.push({
          path: `guests.${name}.vmid`,
          message: `VMID ${guest.vmid} is already used by guests.${first} in Proxmox cluster ${guest.cluster}`,
        });
      } else {
        seen.set(key, name);
      }
    }
    return findings;
  },
};
