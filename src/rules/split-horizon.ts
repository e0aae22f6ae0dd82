import type { Rule } from './rule.js';
import { guestLan } from './topology-facts.js';

/** Inside the LAN, Omni's domain resolves through UniFi local DNS to the Omni host's LAN address. */
export const splitHorizonRule: Rule = {
  id: 'split-horizon',
  severity: 'error',
  description: "Omni's domain has a local A record resolving to the Omni host's LAN address.",
  check(topology) {
    const host = guestLan(topology, topology.omni.host);
    if (!host) return [];
    const records = topology.dns.records.filter((record) => record.name === topology.omni.domain);
    const index = topology.dns.records.findIndex((record) => record.name === topology.omni.domain);
    if (records.length === 0) {
      return [
        {
          path: 'dns.records',
          message: `no local record for ${topology.omni.domain} (omni.domain); add { name: '${topology.omni.domain}', type: 'A', value: '${host.address}' } (guests.${host.guest}.lan.address)`,
        },
      ];
    }
    const wrong = records.find((record) => record.type !== 'A' || record.value !== host.address);
    if (wrong) {
      return [
        {
          path: `dns.records.${index}.value`,
          message: `${topology.omni.domain} resolves to ${wrong.type} ${wrong.value}, not to the Omni host's LAN address ${host.address} (guests.${host.guest}.lan.address)`,
        },
      ];
    }
    return [];
  },
};
