/**
 * The topology's cross-references: every guest, provider, machine class and cluster names things the topology declares.
 *
 * @module
 */
import type { RuleContext } from './rule-issue.js';
import { addRuleIssue } from './rule-issue.js';
import { findSecretLiterals } from './secret-patterns.js';
import type { TopologyShape } from './topology.js';

/** A record's own entry: names are user input and must never reach `Object.prototype` (`valueOf`, ...). */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * Checks that every name a topology uses points at something declared (rule `reference`), and refuses secret-shaped
 * literals anywhere in it (rule `secret-literal`).
 *
 * @param topology - A topology that passed the shape.
 * @param ctx - The refinement context.
 */
export function checkReferences(topology: TopologyShape, ctx: RuleContext): void {
  const missing = (path: (string | number)[], what: string, name: string, known: readonly string[]): void =>
    addRuleIssue(ctx, {
      rule: 'reference',
      path,
      message: `${what} "${name}" does not exist${known.length ? ` (known: ${known.join(', ')})` : ''}`,
    });
  const keys = (record: Record<string, unknown>): string[] => Object.keys(record).sort();

  for (const [name, guest] of Object.entries(topology.guests)) {
    const cluster = own(topology.proxmox, guest.cluster);
    if (!cluster) {
      missing(['guests', name, 'cluster'], 'Proxmox cluster', guest.cluster, keys(topology.proxmox));
      continue;
    }
    if (!own(cluster.nodes, guest.node)) missing(['guests', name, 'node'], 'node', guest.node, keys(cluster.nodes));
    if (!own(cluster.networks, guest.lan.network)) {
      missing(['guests', name, 'lan', 'network'], 'network', guest.lan.network, keys(cluster.networks));
    }
    const disk = guest.type === 'qemu' ? guest.disk : guest.rootfs;
    const diskField = guest.type === 'qemu' ? 'disk' : 'rootfs';
    if (!own(cluster.storages, disk.storage)) {
      missing(['guests', name, diskField, 'storage'], 'storage', disk.storage, keys(cluster.storages));
    }
    if (guest.type === 'qemu' && guest.cloudInitStorage && !own(cluster.storages, guest.cloudInitStorage)) {
      missing(['guests', name, 'cloudInitStorage'], 'storage', guest.cloudInitStorage, keys(cluster.storages));
    }
  }

  if (!own(topology.guests, topology.omni.host)) {
    missing(['omni', 'host'], 'guest', topology.omni.host, keys(topology.guests));
  }

  for (const [id, provider] of Object.entries(topology.providers)) {
    if (!own(topology.guests, provider.host))
      missing(['providers', id, 'host'], 'guest', provider.host, keys(topology.guests));
    if (!own(topology.proxmox, provider.cluster)) {
      missing(['providers', id, 'cluster'], 'Proxmox cluster', provider.cluster, keys(topology.proxmox));
    }
  }

  for (const [id, machineClass] of Object.entries(topology.machineClasses)) {
    const provider = own(topology.providers, machineClass.provider);
    if (!provider) {
      missing(['machineClasses', id, 'provider'], 'provider', machineClass.provider, keys(topology.providers));
      continue;
    }
    const cluster = own(topology.proxmox, provider.cluster);
    if (!cluster) continue;
    if (!own(cluster.networks, machineClass.network)) {
      missing(['machineClasses', id, 'network'], 'network', machineClass.network, keys(cluster.networks));
    }
    if (machineClass.node && !own(cluster.nodes, machineClass.node)) {
      missing(['machineClasses', id, 'node'], 'node', machineClass.node, keys(cluster.nodes));
    }
    machineClass.additionalNics?.forEach((nic, index) => {
      if (!own(cluster.networks, nic.network)) {
        missing(
          ['machineClasses', id, 'additionalNics', index, 'network'],
          'network',
          nic.network,
          keys(cluster.networks),
        );
      }
    });
  }

  for (const [name, cluster] of Object.entries(topology.clusters)) {
    const sets: [(string | number)[], string][] = [
      [['clusters', name, 'controlPlane', 'machineClass'], cluster.controlPlane.machineClass],
      ...Object.entries(cluster.workers).map(([set, workers]): [(string | number)[], string] => [
        ['clusters', name, 'workers', set, 'machineClass'],
        workers.machineClass,
      ]),
    ];
    for (const [path, machineClass] of sets) {
      if (!own(topology.machineClasses, machineClass)) {
        missing(path, 'machine class', machineClass, keys(topology.machineClasses));
      }
    }
  }

  for (const literal of findSecretLiterals(topology)) {
    addRuleIssue(ctx, {
      rule: 'secret-literal',
      path: literal.path,
      message: `contains what looks like ${literal.what}; secrets are referenced by environment variable, never written in the topology`,
    });
  }
}
