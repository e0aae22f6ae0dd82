import * as z from './zod.js';
import { lazy } from './lazy.js';
import { ipv4Schema, isReservedName, nameSchema, RESERVED_NAME_ISSUE, secretRefSchema } from './primitives.js';
import { storageIdSchema } from './proxmox.js';
import { sshAccessSchema } from './ssh-access.js';
import { sshPublicKeySchema } from './ssh-public-key.js';

/** A guest's LAN interface: which network of its cluster, at which static address. */
const lanSchema = lazy(() =>
  z.strictObject({
    /** Name of a network of the guest's Proxmox cluster. */
    network: nameSchema(),
    /** Static IPv4 address inside that network's subnet. */
    address: ipv4Schema(),
  }),
);

/** A disk on a Proxmox storage: `STORAGE:SIZE` in the API. */
const diskSchema = lazy(() =>
  z.strictObject({
    /** Storage id on the guest's cluster. */
    storage: storageIdSchema(),
    /** Size in GiB. */
    size: z.int().min(1),
  }),
);

/** Public keys allowed to log in over SSH. */
const sshKeysSchema = lazy(() => z.array(sshPublicKeySchema()).default([]));

/**
 * How people log in to a VM once cloud-init has run (qemu-server `Cloudinit.pm`: `ciuser`, `cipassword`,
 * `sshkeys`). A cloud image such as Debian's genericcloud has no password and no key for its default user, so
 * without this nobody can log in to install Docker and start a stack.
 */
const cloudInitSchema = lazy(() =>
  z.strictObject({
    /** User to create and give the keys and password to; the image's default user (`debian`) when absent. */
    user: z
      .string()
      .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a Linux user name such as admin')
      .optional(),
    /** Public keys for that user (`sshkeys`). */
    sshKeys: sshKeysSchema(),
    /**
     * The user's password, as a reference only (`cipassword`): the artifact names the variable and the Proxmox
     * client reads it at apply. Proxmox stores it hashed and never returns it.
     */
    password: secretRefSchema().optional(),
  }),
);

const commonGuestShape = () => ({
  /** The Proxmox cluster the guest runs on. */
  cluster: nameSchema(),
  /** The node of that cluster. */
  node: nameSchema(),
  /** Proxmox VMID, unique per cluster. */
  vmid: z.int().min(100).max(999_999_999),
  /** Host name inside the guest; the guest's key when absent. */
  hostname: nameSchema().optional(),
  /** CPU cores. */
  cores: z.int().min(1).max(8192),
  /** Memory in MiB. */
  memory: z.int().min(16),
  /** LAN interface. */
  lan: lanSchema(),
  /** Start the guest when its node boots. */
  onboot: z.boolean().default(true),
  /** How the SDK reaches the guest over SSH to deliver its stacks (`apply --target hosts`). */
  ssh: sshAccessSchema(),
});

/** A QEMU virtual machine, such as Holly (VMID 101) that runs Omni. */
export const qemuGuestSchema = lazy(() =>
  z.strictObject({
    /** Discriminator: a QEMU VM. */
    type: z.literal('qemu'),
    ...commonGuestShape(),
    /** CPU sockets. */
    sockets: z.int().min(1).default(1),
    /** QEMU CPU type. */
    cpu: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .default('x86-64-v2-AES'),
    /** Boot disk (`scsi0`). */
    disk: diskSchema(),
    /** Storage for the cloud-init drive; the boot disk's storage when absent. */
    cloudInitStorage: storageIdSchema().optional(),
    /**
     * Where the operating system comes from: a cloud image imported into the boot disk (Proxmox makes the disk the
     * image's size; apply then grows it to `disk.size`), or an installer ISO attached as a CD-ROM. An empty boot disk
     * when absent.
     */
    install: z
      .union([
        z.strictObject({
          /** Disk image volume with content `import`, e.g. `local:import/debian-12-genericcloud-amd64.qcow2`. */
          importFrom: z
            .string()
            .regex(/^[a-z][a-z0-9_.-]*:import\/[^\s,]+$/, 'must be an import volume such as local:import/<image>.qcow2')
            .refine((volume) => !isReservedName(volume.split(':')[0] ?? ''), RESERVED_NAME_ISSUE),
        }),
        z.strictObject({
          /** ISO volume, e.g. `local:iso/debian-12.8.0-amd64-netinst.iso`. */
          iso: z
            .string()
            .regex(/^[a-z][a-z0-9_.-]*:iso\/[^\s,]+$/, 'must be an ISO volume such as local:iso/<file>.iso')
            .refine((volume) => !isReservedName(volume.split(':')[0] ?? ''), RESERVED_NAME_ISSUE),
        }),
      ])
      .optional(),
    /** Cloud-init login: user, SSH public keys, password reference. */
    cloudInit: cloudInitSchema().optional(),
  }),
);

/** An LXC container, such as CT 200 on Foxtrot that runs the Omni Proxmox provider. */
export const lxcGuestSchema = lazy(() =>
  z.strictObject({
    /** Discriminator: an LXC container. */
    type: z.literal('lxc'),
    ...commonGuestShape(),
    /** OS template volume, e.g. `local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst`. */
    template: z
      .string()
      .regex(/^[a-z][a-z0-9_.-]*:vztmpl\/[^\s,]+$/, 'must be a template volume such as local:vztmpl/<file>'),
    /** Root filesystem. */
    rootfs: diskSchema(),
    /** Swap in MiB. */
    swap: z.int().min(0).default(512),
    /** LXC features; `keyctl` (needed by Docker in unprivileged containers) can only be set as root@pam. */
    features: z
      .strictObject({
        /** Nested containers (Docker); a token with `VM.Allocate` may set it. */
        nesting: z.boolean().default(true),
        /** keyctl system call, needed by Docker in unprivileged containers; root@pam only. */
        keyctl: z.boolean().default(false),
      })
      .default({ nesting: true, keyctl: false }),
    /** Pass `/dev/net/tun` into the container (`dev0`, root@pam only), for kernel-mode Tailscale. */
    tun: z.boolean().default(false),
    /** Public keys for root's `authorized_keys` (`ssh-public-keys`, only when the container is created). */
    sshKeys: sshKeysSchema(),
  }),
);

/** A Proxmox guest, VM or container. */
export const guestSchema = lazy(() => z.discriminatedUnion('type', [qemuGuestSchema(), lxcGuestSchema()]));

/** A QEMU VM, validated. */
export type QemuGuest = z.output<ReturnType<typeof qemuGuestSchema>>;
/** An LXC container, validated. */
export type LxcGuest = z.output<ReturnType<typeof lxcGuestSchema>>;
/** A Proxmox guest, validated. */
export type Guest = z.output<ReturnType<typeof guestSchema>>;
