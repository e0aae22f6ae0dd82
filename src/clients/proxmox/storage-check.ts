import { createChange } from '../../plan/change.js';
import type { AccessSpec, GuestSpec, StorageRequirement } from './artifacts.js';
import { isDiskKey } from './guest-config.js';
import type { ClusterInventory } from './inventory.js';
import type { ProxmoxStep } from './step.js';

/**
 * Checks that a storage the provider needs exists on every node it names, with the type, sharing and content the
 * artifacts (and the guests placed on it) need. The result is a `no-op` change describing the live storage.
 *
 * @param access - The access artifact naming the storage.
 * @param wanted - The storage requirement.
 * @param guests - Every guest of the cluster, for the content their disks need.
 * @param inventory - The live nodes and storages.
 * @param problems - Receives one line per unmet need.
 * @returns The `no-op` storage step.
 */
export function checkStorage(
  access: AccessSpec,
  wanted: StorageRequirement,
  guests: readonly GuestSpec[],
  inventory: ClusterInventory,
  problems: string[],
): ProxmoxStep {
  const { nodes, storageByNode } = inventory;
  const needed = new Set(wanted.content);
  for (const guest of guests) {
    for (const [key, value] of Object.entries(guest.params)) {
      if (isDiskKey(guest.type, key) && String(value).split(/[:,]/)[0] === wanted.storage)
        needed.add(guest.type === 'lxc' ? 'rootdir' : 'images');
    }
  }
  const before = problems.length;
  let liveContent = '';
  for (const node of wanted.nodes) {
    if (!nodes.includes(node)) {
      problems.push(
        `node ${node} (${access.path} storages[${wanted.storage}].nodes) is not in the cluster (nodes: ${nodes.join(', ')})`,
      );
      continue;
    }
    const entry = storageByNode.get(node)?.find((item) => item.storage === wanted.storage);
    if (!entry) {
      problems.push(
        `storage ${wanted.storage} is not available on node ${node} (or the token lacks Datastore.Audit on /storage/${wanted.storage}); add the node to the storage`,
      );
      continue;
    }
    liveContent = entry.content;
    if (entry.type !== wanted.type)
      problems.push(`storage ${wanted.storage} on ${node} is ${entry.type}, artifact expects ${wanted.type}`);
    if (wanted.shared === 1 && Number(entry.shared ?? 0) !== 1)
      problems.push(`storage ${wanted.storage} on ${node} is not shared; guests could not move between nodes`);
    const missing = [...needed].filter((content) => !entry.content.split(',').includes(content)).sort();
    if (missing.length)
      problems.push(
        `storage ${wanted.storage} on ${node} does not offer content ${missing.join(', ')} (offers ${entry.content}); add it in Datacenter > Storage`,
      );
  }
  const note =
    problems.length === before
      ? `${wanted.type}${wanted.shared ? ', shared' : ''}, content ${liveContent} on ${wanted.nodes.join(', ')}`
      : '';
  return {
    change: createChange('proxmox', 'storage', wanted.storage, 'no-op', [], [note]),
    phase: 0,
    rootOnly: false,
    createsToken: false,
  };
}

/**
 * Checks that a guest can be placed as declared: its VMID is free or holds the same kind of guest, and a new guest's
 * node exists and offers the storage and content its disks need.
 *
 * @param guest - The guest artifact.
 * @param inventory - The live nodes, guests and storages.
 * @param problems - Receives one line per unmet need.
 */
export function checkGuestPlacement(guest: GuestSpec, inventory: ClusterInventory, problems: string[]): void {
  const { nodes, resources, storageByNode } = inventory;
  const live = resources.find((item) => item.vmid === guest.vmid);
  if (live && live.type !== guest.type) {
    problems.push(
      `VMID ${guest.vmid} is a ${live.type} on ${live.node}, but ${guest.path} declares a ${guest.type}; pick another VMID`,
    );
    return;
  }
  if (live) return;
  if (!nodes.includes(guest.node)) {
    problems.push(`${guest.path}: node ${guest.node} is not in the cluster (nodes: ${nodes.join(', ')})`);
    return;
  }
  for (const [key, value] of Object.entries(guest.params)) {
    const volume = /^([\w.-]+):(\d+(\.\d+)?|cloudinit)(,|$)/.exec(String(value));
    if (!isDiskKey(guest.type, key) || !volume) continue;
    const content = guest.type === 'lxc' ? 'rootdir' : 'images';
    const entry = storageByNode.get(guest.node)?.find((item) => item.storage === volume[1]);
    if (!entry)
      problems.push(
        `${guest.path}: ${key} needs storage ${volume[1]} on node ${guest.node}, which has no such storage`,
      );
    else if (!entry.content.split(',').includes(content)) {
      problems.push(`${guest.path}: ${key} needs content ${content} on storage ${volume[1]} (offers ${entry.content})`);
    }
  }
}
