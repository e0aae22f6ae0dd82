import type { TopologyInput } from '../src/models/define.js';
import spaceships from '../examples/spaceships/topology.js';

/**
 * The spaceships topology grown to `guests` guests: extra containers spread over the Matrix nodes on a /16 LAN,
 * with one machine class and one worker set per hundred guests.
 *
 * @param guests - How many guests in total.
 * @returns A topology input that passes every error rule.
 */
export function syntheticTopology(guests: number): TopologyInput {
  const input = structuredClone(spaceships) as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  input.proxmox.matrix.networks.lan.subnet = '192.168.0.0/16';
  input.proxmox.quantum.networks.lan.subnet = '192.169.10.0/24';
  input.proxmox.quantum.networks.lan.gateway = '192.169.10.1';
  input.proxmox.quantum.nodes['quantum-1'].address = '192.169.10.2';
  input.guests.holly.lan.address = '192.169.10.20';
  input.omni.siderolink.wireguardAddress = '192.169.10.20';
  input.dns.records[0].value = '192.169.10.20';
  input.unifi.networks.matrix.subnet = '192.168.0.0/16';
  input.unifi.networks.quantum = { subnet: '192.169.10.0/24', gateway: '192.169.10.1' };
  const nodes = ['foxtrot', 'golf', 'hotel'];
  for (let index = 0; index < guests - 2; index++) {
    const host = 1000 + index;
    input.guests[`ct-${host}`] = {
      type: 'lxc',
      cluster: 'matrix',
      node: nodes[index % nodes.length],
      vmid: host,
      template: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
      cores: 1 + (index % 4),
      memory: 512 * (1 + (index % 8)),
      rootfs: { storage: 'vm_ssd', size: 8 },
      lan: { network: 'lan', address: `192.168.${10 + Math.floor(host / 250)}.${1 + (host % 250)}` },
    };
  }
  const sets = Math.max(1, Math.floor(guests / 100));
  for (let index = 0; index < sets; index++) {
    input.machineClasses[`class-${index}`] = {
      provider: 'proxmox',
      cores: 2 + (index % 6),
      memory: 4096,
      diskSize: 40,
      storage: 'vm_ssd',
      network: 'lan',
    };
    input.clusters['talos-matrix'].workers[`set-${index}`] = { machineClass: `class-${index}`, size: 1 + (index % 5) };
  }
  return input as TopologyInput;
}
