import type { ProxmoxClient, ProxmoxVersion } from './client.js';

/** A storage as `GET /nodes/{node}/storage` lists it. */
interface StorageEntry {
  /** Storage ID. */
  readonly storage: string;
  /** Plugin type, e.g. `rbd`. */
  readonly type: string;
  /** Allowed content types, comma-separated. */
  readonly content: string;
  /** `1` when shared between nodes. */
  readonly shared?: number;
  /** `1` when active. */
  readonly active?: number;
}

/** A guest as `GET /cluster/resources?type=vm` lists it. */
export interface VmResource {
  /** VMID. */
  readonly vmid: number;
  /** `lxc` or `qemu`. */
  readonly type: string;
  /** The node it lives on. */
  readonly node: string;
  /** `running` or `stopped`. */
  readonly status?: string;
  /** The guest's tags as stored (separated by `;`, `,` or spaces); absent without tags. */
  readonly tags?: string;
}

/** What the step builders read from the cluster once, before planning. */
export interface ClusterInventory {
  /** The cluster's version. */
  readonly version: ProxmoxVersion;
  /** Node names. */
  readonly nodes: readonly string[];
  /** Every container and VM. */
  readonly resources: readonly VmResource[];
  /** The storages each node offers. */
  readonly storageByNode: ReadonlyMap<string, readonly StorageEntry[]>;
}

/**
 * Reads the version, nodes, guests and per-node storage of the cluster.
 *
 * @param client - A connected client.
 * @param signal - Cancels the requests.
 * @returns The inventory.
 */
export async function readClusterInventory(
  client: ProxmoxClient,
  signal: AbortSignal | undefined,
): Promise<ClusterInventory> {
  const version = await client.version();
  const nodes = (await client.get<{ node: string }[]>('/nodes', undefined, signal)).map((item) => item.node);
  const resources = await client.get<VmResource[]>('/cluster/resources', { type: 'vm' }, signal);
  const storageByNode = new Map<string, StorageEntry[]>();
  for (const node of nodes) {
    storageByNode.set(
      node,
      await client.get<StorageEntry[]>(`/nodes/${encodeURIComponent(node)}/storage`, undefined, signal),
    );
  }
  return { version, nodes, resources, storageByNode };
}
