import { repeats } from '../models/repeats.js';
import type { Rule, RuleFinding } from './rule.js';

/** VMIDs are unique within each Proxmox cluster. */
export const uniqueVmidsRule: Rule = {
  id: 'unique-vmids',
  severity: 'error',
  description: 'Each VMID is used once per Proxmox cluster.',
  check(topology) {
    const guests = Object.entries(topology.guests);
    return repeats(guests, ([, guest]) => `${guest.cluster}/${guest.vmid}`).map(
      ({ item: [name, guest], first }): RuleFinding => ({
        path: `guests.${name}.vmid`,
        message: `VMID ${guest.vmid} is already used by guests.${guests[first]?.[0]} in Proxmox cluster ${guest.cluster}`,
      }),
    );
  },
};
