import type { Rule, RuleFinding } from './rule.js';

/**
 * Every storage a machine class or guest names exists on the target cluster, holds the right content, and is
 * reachable from every node the VMs may land on.
 */
export const storageExistsRule: Rule = {
  id: 'storage-exists',
  severity: 'error',
  description: 'Storage selectors and guest disks name a storage of the target cluster that can hold them.',
  check(topology) {
    const findings: RuleFinding[] = [];
    const need = (
      path: string,
      clusterName: string,
      storageId: string,
      content: 'images' | 'rootdir' | 'import' | 'iso',
      node: string | undefined,
    ): void => {
      const cluster = topology.proxmox[clusterName];
      if (!cluster) return;
      const storage = Object.hasOwn(cluster.storages, storageId) ? cluster.storages[storageId] : undefined;
      if (!storage) {
        findings.push({
          path,
          message: `storage ${storageId} does not exist on Proxmox cluster ${clusterName} (proxmox.${clusterName}.storages: ${Object.keys(cluster.storages).sort().join(', ')})`,
        });
        return;
      }
      const where = `proxmox.${clusterName}.storages.${storageId}`;
      if (!storage.content.includes(content)) {
        findings.push({ path, message: `storage ${storageId} does not offer content ${content} (${where}.content)` });
      }
      const nodes = node ? [node] : Object.keys(cluster.nodes);
      const missing = storage.nodes ? nodes.filter((candidate) => !storage.nodes?.includes(candidate)) : [];
      if (missing.length > 0) {
        findings.push({
          path,
          message: `storage ${storageId} is not available on node${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (${where}.nodes)${node ? '' : '; pin the class to a node or use a shared storage'}`,
        });
      } else if (!node && !storage.shared && Object.keys(cluster.nodes).length > 1) {
        findings.push({
          path,
          message: `storage ${storageId} is not shared (${where}.shared), but VMs may be placed on any of ${Object.keys(cluster.nodes).length} nodes; use a shared storage such as Ceph RBD or set node`,
        });
      }
    };
    for (const [id, machineClass] of Object.entries(topology.machineClasses)) {
      const provider = topology.providers[machineClass.provider];
      if (!provider) continue;
      need(`machineClasses.${id}.storage`, provider.cluster, machineClass.storage, 'images', machineClass.node);
      machineClass.additionalDisks?.forEach((disk, index) =>
        need(
          `machineClasses.${id}.additionalDisks.${index}.storage`,
          provider.cluster,
          disk.storage,
          'images',
          machineClass.node,
        ),
      );
    }
    for (const [name, guest] of Object.entries(topology.guests)) {
      if (guest.type === 'lxc') {
        need(`guests.${name}.rootfs.storage`, guest.cluster, guest.rootfs.storage, 'rootdir', guest.node);
        continue;
      }
      need(`guests.${name}.disk.storage`, guest.cluster, guest.disk.storage, 'images', guest.node);
      if (guest.install) {
        const [field, volume, content] =
          'importFrom' in guest.install
            ? (['importFrom', guest.install.importFrom, 'import'] as const)
            : (['iso', guest.install.iso, 'iso'] as const);
        need(`guests.${name}.install.${field}`, guest.cluster, volume.split(':')[0] ?? '', content, guest.node);
      }
    }
    return findings;
  },
};
