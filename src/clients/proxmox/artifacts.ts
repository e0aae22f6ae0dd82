import * as z from '../../models/zod.js';
import type { ArtifactSet } from '../../generators/artifact.js';
import { artifactsOfKind } from '../../generators/artifact.js';
import { parseJsonArtifact } from '../json-artifact.js';
import { clientOptionText, MissingClientOptionError } from '../../plan/client-option.js';

const ParamValue = z.union([z.string(), z.number()]);
const Flag = z.union([z.literal(0), z.literal(1)]);

const GuestArtifactSchema = z.object({
  proxmoxCluster: z.string().min(1),
  guest: z.string().optional(),
  node: z.string().min(1),
  params: z
    .record(z.string(), ParamValue)
    .refine((params) => typeof params['vmid'] === 'number', 'params.vmid must be a number'),
  rootOnly: z.array(z.string()),
  secretParams: z.record(z.string(), z.object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/) })).optional(),
  resize: z
    .object({ disk: z.string().regex(/^(scsi|virtio|sata|ide)\d+$/), size: z.string().regex(/^\d+G$/) })
    .optional(),
  start: z.boolean().optional(),
});

const AclBodySchema = z.object({
  path: z.string().startsWith('/'),
  roles: z.string().min(1),
  users: z.string().optional(),
  groups: z.string().optional(),
  tokens: z.string().optional(),
  propagate: Flag.optional(),
});

const StorageRequirementSchema = z.object({
  storage: z.string().min(1),
  type: z.string().min(1),
  shared: Flag,
  content: z.array(z.string()),
  nodes: z.array(z.string()),
});

const AccessArtifactSchema = z.object({
  proxmoxCluster: z.string().min(1),
  provider: z.string().optional(),
  role: z.object({ roleid: z.string().min(1), privs: z.string() }),
  user: z.looseObject({ userid: z.string().includes('@'), comment: z.string().optional(), enable: Flag.optional() }),
  token: z.object({
    userid: z.string().includes('@'),
    tokenid: z.string().min(1),
    privsep: Flag.optional(),
    comment: z.string().optional(),
    secretEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/),
  }),
  acl: z.array(AclBodySchema),
  storages: z.array(StorageRequirementSchema),
});

/** The JSON of a `proxmox-lxc` or `proxmox-qemu` artifact. */
export interface GuestArtifact {
  /** The Proxmox cluster it belongs to. */
  readonly proxmoxCluster: string;
  /** The guest's name in the topology. */
  readonly guest?: string;
  /** The node to create it on. */
  readonly node: string;
  /** The `POST /nodes/{node}/lxc` or `/qemu` body, `vmid` included. */
  readonly params: Readonly<Record<string, string | number>>;
  /** Keys only root@pam may set. */
  readonly rootOnly: readonly string[];
  /** Parameters whose value is a secret, by the environment variable the client reads it from (e.g. `cipassword`). */
  readonly secretParams?: Readonly<Record<string, SecretParam>>;
  /** The `PUT /nodes/{node}/qemu/{vmid}/resize` body that grows an imported boot disk to its declared size. */
  readonly resize?: DiskResize;
  /** Start the guest when apply finds it stopped; absent (artifacts of earlier versions) means leave it alone. */
  readonly start?: boolean;
}

/** A `PUT /nodes/{node}/qemu/{vmid}/resize` body with an absolute size. */
export interface DiskResize {
  /** The disk, e.g. `scsi0`. */
  readonly disk: string;
  /** The size it must have, in GiB, e.g. `64G`. */
  readonly size: string;
}

/** Where the value of a secret parameter comes from: an environment variable, read at apply. */
export interface SecretParam {
  /** The variable's name; `<NAME>_FILE` names a file holding the value instead. */
  readonly env: string;
}

/** One `PUT /access/acl` body of an access artifact. */
export interface AclBody {
  /** ACL path, e.g. `/nodes`. */
  readonly path: string;
  /** Role IDs, comma-separated. */
  readonly roles: string;
  /** User IDs, comma-separated. */
  readonly users?: string;
  /** Group IDs, comma-separated. */
  readonly groups?: string;
  /** Token IDs (`user@realm!tokenid`), comma-separated. */
  readonly tokens?: string;
  /** `1` (default) when sub-paths inherit the grant. */
  readonly propagate?: 0 | 1;
}

/** The role of an access artifact (`POST /access/roles` body). */
export interface AccessRole {
  /** Role ID. */
  readonly roleid: string;
  /** Privileges, comma-separated. */
  readonly privs: string;
}

/** The user of an access artifact (`POST /access/users` body). */
export interface AccessUser {
  /** `name@realm`. */
  readonly userid: string;
  /** Comment. */
  readonly comment?: string;
  /** `0` to create it disabled. */
  readonly enable?: 0 | 1;
  /** Any other `POST /access/users` field. */
  readonly [field: string]: unknown;
}

/** The API token of an access artifact. */
export interface AccessToken {
  /** Owner, `name@realm`. */
  readonly userid: string;
  /** Token ID. */
  readonly tokenid: string;
  /** `1` (default): the token gets only its own ACLs intersected with the user's. */
  readonly privsep?: 0 | 1;
  /** Comment. */
  readonly comment?: string;
  /** The env variable the secret is known by, e.g. `PROXMOX_TOKEN_SECRET`. */
  readonly secretEnv: string;
}

/** The storage the provider's guests need. */
export interface StorageRequirement {
  /** Storage ID, e.g. `vm_ssd`. */
  readonly storage: string;
  /** Plugin type, e.g. `rbd`. */
  readonly type: string;
  /** `1` when it must be shared between nodes. */
  readonly shared: 0 | 1;
  /** Content types it must offer, e.g. `images`. */
  readonly content: readonly string[];
  /** Nodes it must be available on. */
  readonly nodes: readonly string[];
}

/** The JSON of a `proxmox-access` artifact. */
export interface AccessArtifact {
  /** The Proxmox cluster it belongs to. */
  readonly proxmoxCluster: string;
  /** The infra provider's id in the topology. */
  readonly provider?: string;
  /** The provider role. */
  readonly role: AccessRole;
  /** The provider user. */
  readonly user: AccessUser;
  /** The provider's API token. */
  readonly token: AccessToken;
  /** ACL grants. */
  readonly acl: readonly AclBody[];
  /** The storages the provider's VMs use, each checked before anything is applied. */
  readonly storages: readonly StorageRequirement[];
}

/** A `proxmox-lxc` or `proxmox-qemu` artifact, read. */
export interface GuestSpec {
  /** `lxc` or `qemu`. */
  readonly type: 'lxc' | 'qemu';
  /** The artifact's path, for messages. */
  readonly path: string;
  /** The cluster it belongs to. */
  readonly cluster: string;
  /** The node to create it on. */
  readonly node: string;
  /** The VMID. */
  readonly vmid: number;
  /** The create body, exactly as generated. */
  readonly params: Readonly<Record<string, string | number>>;
  /** Keys only root@pam may set. */
  readonly rootOnly: readonly string[];
  /** Parameters filled from the environment at apply, never written in the artifact. */
  readonly secretParams: Readonly<Record<string, SecretParam>>;
  /** Grows the imported boot disk after the create. */
  readonly resize?: DiskResize;
  /** Start the guest when it is stopped (after its create, resize and root@pam settings); never stop it. */
  readonly start: boolean;
}

/** A `proxmox-access` artifact, read. */
export interface AccessSpec extends AccessArtifact {
  /** The artifact's path, for messages. */
  readonly path: string;
  /** The cluster it belongs to. */
  readonly cluster: string;
}

/** The Proxmox artifacts of one cluster. */
export interface ProxmoxArtifacts {
  /** The cluster. */
  readonly cluster: string;
  /** Containers and VMs, in artifact path order. */
  readonly guests: readonly GuestSpec[];
  /** Provider access (role, user, token, ACLs, storage); usually one. */
  readonly access: readonly AccessSpec[];
}

/** Every guest and access artifact of a set, of every cluster. */
function readAllProxmoxArtifacts(set: ArtifactSet): { guests: GuestSpec[]; access: AccessSpec[] } {
  const guests: GuestSpec[] = [];
  for (const type of ['lxc', 'qemu'] as const) {
    for (const artifact of artifactsOfKind(set, `proxmox-${type}`)) {
      const data = parseJsonArtifact<GuestArtifact>(artifact, GuestArtifactSchema);
      guests.push({
        type,
        path: artifact.path,
        cluster: data.proxmoxCluster,
        node: data.node,
        vmid: data.params['vmid'] as number,
        params: data.params,
        rootOnly: data.rootOnly,
        secretParams: data.secretParams ?? {},
        ...(data.resize ? { resize: data.resize } : {}),
        start: data.start ?? false,
      });
    }
  }
  const access = artifactsOfKind(set, 'proxmox-access').map((artifact) => {
    const data = parseJsonArtifact<AccessArtifact>(artifact, AccessArtifactSchema);
    return { ...data, path: artifact.path, cluster: data.proxmoxCluster };
  });
  return { guests, access };
}

function clustersOf(artifacts: { guests: readonly GuestSpec[]; access: readonly AccessSpec[] }): string[] {
  return [...new Set([...artifacts.guests, ...artifacts.access].map((item) => item.cluster))].sort();
}

/**
 * The Proxmox clusters an artifact set has guests or access for: each is planned and applied on its own.
 *
 * @param set - The artifact set.
 * @returns The clusters' names, sorted; empty when the set has no Proxmox artifacts.
 * @throws `ArtifactSetError` for malformed artifacts.
 */
export function proxmoxArtifactClusters(set: ArtifactSet): string[] {
  return clustersOf(readAllProxmoxArtifacts(set));
}

/**
 * Picks and reads the Proxmox artifacts of one cluster from an artifact set.
 *
 * @param set - The artifact set (from `readArtifactSet` or the generators).
 * @param cluster - The cluster to pick; may be left out when the set holds only one.
 * @returns The cluster's guests and access artifacts.
 * @throws `ArtifactSetError` for malformed artifacts; Error when the cluster is ambiguous or unknown.
 */
export function readProxmoxArtifacts(set: ArtifactSet, cluster?: string): ProxmoxArtifacts {
  const { guests, access } = readAllProxmoxArtifacts(set);
  const clusters = clustersOf({ guests, access });
  const chosen = cluster ?? (clusters.length === 1 ? clusters[0] : undefined);
  if (chosen === undefined && clusters.length === 0) {
    throw new Error('the artifact set has no Proxmox artifacts (proxmox/<cluster>/*.json)');
  }
  if (chosen === undefined) {
    throw new MissingClientOptionError(
      'cluster',
      `the artifact set covers several Proxmox clusters (${clusters.join(', ')}); choose one with ${clientOptionText('cluster')}`,
    );
  }
  if (!clusters.includes(chosen))
    throw new Error(`no Proxmox artifacts for cluster '${chosen}' (found: ${clusters.join(', ') || 'none'})`);
  return {
    cluster: chosen,
    guests: guests.filter((guest) => guest.cluster === chosen).sort((a, b) => (a.path < b.path ? -1 : 1)),
    access: access.filter((item) => item.cluster === chosen),
  };
}
