import * as z from './zod.js';
import { lazy } from './lazy.js';
import { cidrSchema, ipv4Schema, nameSchema, RESERVED_NAME_ISSUE } from './primitives.js';
import { isProxmoxApiUrl, isUnreservedName } from './refinements.js';

/** Proxmox storage ids may hold underscores and dots: `vm_ssd`, `local-lvm`. */
export const storageIdSchema = lazy(() =>
  z
    .string()
    .regex(/^[a-z][a-z0-9_.-]*[a-z0-9]$/, 'must be a Proxmox storage id such as vm_ssd')
    .refine(isUnreservedName, RESERVED_NAME_ISSUE),
);

/** Storage content types Proxmox knows. */
const STORAGE_CONTENT = ['images', 'rootdir', 'iso', 'vztmpl', 'backup', 'snippets', 'import'] as const;

/** A Proxmox storage as the cluster defines it. */
export const storageSchema = lazy(() =>
  z.strictObject({
    /** Storage plugin type: `rbd` for Ceph RBD, `lvmthin`, `dir`, ... */
    type: z
      .enum(['rbd', 'cephfs', 'lvmthin', 'lvm', 'dir', 'zfspool', 'nfs', 'cifs'])
      .meta({ description: 'Storage plugin type: `rbd` for Ceph RBD, `lvmthin`, `dir`, ...' }),
    /** Whether every node sees the same storage (Ceph RBD is shared). */
    shared: z
      .boolean()
      .default(false)
      .meta({ description: 'Whether every node sees the same storage (Ceph RBD is shared).' }),
    /** What the storage may hold: `images` for VM disks, `rootdir` for container root filesystems. */
    content: z.array(z.enum(STORAGE_CONTENT)).min(1).meta({
      description: 'What the storage may hold: `images` for VM disks, `rootdir` for container root filesystems.',
    }),
    /** Nodes the storage is limited to; all nodes when absent. */
    nodes: z
      .array(nameSchema())
      .optional()
      .meta({ description: 'Nodes the storage is limited to; all nodes when absent.' }),
  }),
);

/** A LAN segment of a Proxmox cluster: a subnet on a bridge, optionally tagged. */
export const networkSchema = lazy(() =>
  z.strictObject({
    /** The IPv4 subnet, e.g. `192.168.3.0/24`. */
    subnet: cidrSchema().meta({ description: 'The IPv4 subnet, e.g. `192.168.3.0/24`.' }),
    /** The default gateway on that subnet. */
    gateway: ipv4Schema().meta({ description: 'The default gateway on that subnet.' }),
    /** The Linux bridge guests attach to, e.g. `vmbr0`. */
    bridge: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,14}$/, 'must be a Linux bridge name such as vmbr0')
      .meta({ description: 'The Linux bridge guests attach to, e.g. `vmbr0`.' }),
    /** 802.1Q VLAN tag on the bridge; untagged when absent. */
    vlan: z
      .int()
      .min(1)
      .max(4094)
      .optional()
      .meta({ description: '802.1Q VLAN tag on the bridge; untagged when absent.' }),
  }),
);

/** A Proxmox node (host) of a cluster. */
const proxmoxNodeSchema = lazy(() =>
  z.strictObject({
    /** The node's management address. */
    address: ipv4Schema().meta({ description: "The node's management address." }),
  }),
);

/** A Proxmox VE cluster: its API, nodes, LAN segments and storages. */
export const proxmoxClusterSchema = lazy(() =>
  z.strictObject({
    /** The API endpoint, e.g. `https://192.168.3.2:8006/api2/json`. */
    api: z
      .strictObject({
        /** `https://HOST:8006/api2/json`. */
        url: z
          .url({ protocol: /^https$/ })
          .refine(isProxmoxApiUrl, {
            message: 'must end in /api2/json',
            params: { rule: 'format' },
          })
          .meta({ description: '`https://HOST:8006/api2/json`.' }),
      })
      .meta({ description: 'The API endpoint, e.g. `https://192.168.3.2:8006/api2/json`.' }),
    /** Nodes by name, e.g. `foxtrot`. */
    nodes: z.record(nameSchema(), proxmoxNodeSchema()).meta({ description: 'Nodes by name, e.g. `foxtrot`.' }),
    /** LAN segments by name, e.g. `lan`. */
    networks: z.record(nameSchema(), networkSchema()).meta({ description: 'LAN segments by name, e.g. `lan`.' }),
    /** Storages by id, e.g. `vm_ssd`. */
    storages: z.record(storageIdSchema(), storageSchema()).meta({ description: 'Storages by id, e.g. `vm_ssd`.' }),
  }),
);

/** A Proxmox cluster, validated. */
export type ProxmoxCluster = z.output<ReturnType<typeof proxmoxClusterSchema>>;
/** A LAN segment, validated. */
export type Network = z.output<ReturnType<typeof networkSchema>>;
/** A storage, validated. */
export type Storage = z.output<ReturnType<typeof storageSchema>>;
