/** A guest (container or VM) as the emulator keeps it. */
export interface EmulatedGuest {
  /** `lxc` or `qemu`. */
  readonly type: 'lxc' | 'qemu';
  /** The node it lives on. */
  node: string;
  /** Its configuration as `GET …/config` returns it (values as text), without `digest`. */
  config: Record<string, string>;
  /** Digest of the configuration, changed by every write. */
  digest: string;
  /** `true` while it runs (`status/current` says `running`); a guest is stopped after its create. */
  running?: boolean;
}

/** A storage as `GET /nodes/{node}/storage` lists it. */
export interface EmulatedStorage {
  /** Storage ID, e.g. `vm_ssd`. */
  readonly storage: string;
  /** Plugin type, e.g. `rbd`, `dir`, `lvmthin`. */
  readonly type: string;
  /** `1` when shared between nodes. */
  readonly shared: 0 | 1;
  /** Allowed content types, comma-separated, e.g. `images,rootdir`. */
  readonly content: string;
  /** Nodes it is available on; all nodes when absent. */
  readonly nodes?: readonly string[];
}

/** A volume on a storage as `GET /nodes/{node}/storage/{storage}/content` lists it (templates, images, ISOs). */
export interface EmulatedVolume {
  /** Volume ID, e.g. `local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst`; the storage is its prefix. */
  readonly volid: string;
  /** Content type: `vztmpl`, `import`, `iso`, `images`, `rootdir`, `backup`, `snippets`. */
  readonly content: string;
  /** Format: `tzst`, `qcow2`, `raw`, `iso`, … */
  readonly format: string;
  /** Size in bytes; for a qcow2 image its virtual size, which a disk imported from it gets. */
  readonly size: number;
  /** Nodes holding it (a volume on a node-local storage such as `local`); every node with the storage when absent. */
  readonly nodes?: readonly string[];
}

/** An API token as the emulator keeps it. */
export interface EmulatedToken {
  /** The secret (UUID). */
  readonly secret: string;
  /** Privilege separation flag. */
  privsep: 0 | 1;
  /** Comment. */
  comment?: string;
}

/** One ACL entry as `GET /access/acl` returns it. */
export interface EmulatedAclEntry {
  /** ACL path. */
  readonly path: string;
  /** `user`, `group` or `token`. */
  readonly type: 'user' | 'group' | 'token';
  /** User, group or token ID. */
  readonly ugid: string;
  /** Role. */
  readonly roleid: string;
  /** `1` when inherited by sub-paths. */
  propagate: 0 | 1;
}

/** A task: created by a mutating call, running until `endsAt`, then stopped with its exit status. */
export interface EmulatedTask {
  /** The UPID. */
  readonly upid: string;
  /** Node it runs on. */
  readonly node: string;
  /** Task type, e.g. `vzcreate`. */
  readonly type: string;
  /** Object ID, e.g. the VMID. */
  readonly id: string;
  /** Who started it. */
  readonly user: string;
  /** Start time, seconds since the epoch. */
  readonly starttime: number;
  /** When it stops, milliseconds since the epoch. */
  readonly endsAt: number;
  /** `OK` or the error it ends with. */
  readonly exitstatus: string;
  /** Log lines. */
  readonly log: readonly string[];
  /** What happens to the state when it stops; run once. */
  finish?: () => void;
}

/** One request as the emulator saw it, for tests. */
export interface EmulatedRequestRecord {
  /** Method. */
  readonly method: string;
  /** Path below `/api2/json`. */
  readonly path: string;
  /** How it authenticated. */
  readonly auth: 'token' | 'ticket' | 'none';
}

/** Everything the Proxmox emulator holds; tests read and seed it directly. */
export interface ProxmoxEmulatorState {
  /** `pve-manager` version, e.g. `9.0.3`. */
  version: string;
  /** Cluster nodes. */
  readonly nodes: string[];
  /** Storages. */
  readonly storages: EmulatedStorage[];
  /** Templates, import images and ISOs on the storages, as the content listing returns them. */
  readonly volumes: EmulatedVolume[];
  /** Guests by VMID. */
  readonly guests: Map<number, EmulatedGuest>;
  /** Roles by ID, with their privileges. */
  readonly roles: Map<
    string,
    {
      /** Privilege names. */
      privs: Set<string>;
      /** `1` for built-in roles, which cannot be changed. */
      special: 0 | 1;
    }
  >;
  /** Users by ID. */
  readonly users: Map<
    string,
    {
      /** Comment. */
      comment?: string;
      /** `0` when disabled. */
      enable: 0 | 1;
    }
  >;
  /** API tokens by full ID (`user@realm!tokenid`). */
  readonly tokens: Map<string, EmulatedToken>;
  /** ACL entries. */
  readonly acl: EmulatedAclEntry[];
  /** Tickets issued by `POST /access/ticket`, with their user and CSRF token. */
  readonly tickets: Map<
    string,
    {
      /** The user the ticket is for. */
      readonly user: string;
      /** The CSRF token to send with writes. */
      readonly csrf: string;
    }
  >;
  /** Tasks by UPID. */
  readonly tasks: Map<string, EmulatedTask>;
  /** Every request, in order. */
  readonly requests: EmulatedRequestRecord[];
  /** Requests that carried both a token and a ticket cookie (a client bug). */
  readonly mixedAuthRequests: EmulatedRequestRecord[];
  /** Successful creations in order, as `kind/id` (e.g. `lxc/200`, `role/OmniInfraProvider`). */
  readonly creations: string[];
  /** Successful deletions in order, as `kind/id` (e.g. `token/omni-provider@pve!omni`). */
  readonly deletions: string[];
}

/** Privilege names Proxmox VE 9 accepts in a role. */
export const PVE9_PRIVILEGES: readonly string[] = [
  'Datastore.Allocate',
  'Datastore.AllocateSpace',
  'Datastore.AllocateTemplate',
  'Datastore.Audit',
  'Group.Allocate',
  'Mapping.Audit',
  'Mapping.Modify',
  'Mapping.Use',
  'Permissions.Modify',
  'Pool.Allocate',
  'Pool.Audit',
  'Realm.Allocate',
  'Realm.AllocateUser',
  'SDN.Allocate',
  'SDN.Audit',
  'SDN.Use',
  'Sys.AccessNetwork',
  'Sys.Audit',
  'Sys.Console',
  'Sys.Incoming',
  'Sys.Modify',
  'Sys.PowerMgmt',
  'Sys.Syslog',
  'User.Modify',
  'VM.Allocate',
  'VM.Audit',
  'VM.Backup',
  'VM.Clone',
  'VM.Config.CDROM',
  'VM.Config.CPU',
  'VM.Config.Cloudinit',
  'VM.Config.Disk',
  'VM.Config.HWType',
  'VM.Config.Memory',
  'VM.Config.Network',
  'VM.Config.Options',
  'VM.Console',
  'VM.GuestAgent.Audit',
  'VM.GuestAgent.FileRead',
  'VM.GuestAgent.FileSystemMgmt',
  'VM.GuestAgent.FileWrite',
  'VM.GuestAgent.Unrestricted',
  'VM.Migrate',
  'VM.PowerMgmt',
  'VM.Replicate',
  'VM.Snapshot',
  'VM.Snapshot.Rollback',
];

/** Privilege names the emulator accepts for Proxmox VE 8: still `VM.Monitor`, not yet the 9.0 additions. */
export const PVE8_PRIVILEGES: readonly string[] = [
  ...PVE9_PRIVILEGES.filter((priv) => !priv.startsWith('VM.GuestAgent.') && priv !== 'VM.Replicate'),
  'VM.Monitor',
];

/**
 * Tells whether a `pve-manager` version is at least another (numeric parts compared in order).
 *
 * @param version - The version, e.g. `8.2.7`.
 * @param minimum - The version needed, e.g. `8.1.2`.
 * @returns `true` when `version` is `minimum` or later.
 */
export function versionAtLeast(version: string, minimum: string): boolean {
  const parts = (text: string): number[] => (text.match(/\d+/g) ?? []).slice(0, 3).map(Number);
  const [have, need] = [parts(version), parts(minimum)];
  for (let index = 0; index < 3; index++) {
    const difference = (have[index] ?? 0) - (need[index] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

/**
 * The privileges a version accepts. `Sys.AccessNetwork` arrived with libpve-access-control in Proxmox VE 8.1.2.
 *
 * @param version - `pve-manager` version, e.g. `8.4.1`.
 * @returns The names.
 */
export function privilegesOf(version: string): ReadonlySet<string> {
  const names = new Set(Number(version.split('.')[0]) >= 9 ? PVE9_PRIVILEGES : PVE8_PRIVILEGES);
  if (!versionAtLeast(version, '8.1.2')) names.delete('Sys.AccessNetwork');
  return names;
}
