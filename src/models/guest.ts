import * as z from './zod.js';
import { lazy } from './lazy.js';
import { ipv4Schema, nameSchema, RESERVED_NAME_ISSUE, secretRefSchema } from './primitives.js';
import { hasUnreservedStorage } from './refinements.js';
import { storageIdSchema } from './proxmox.js';
import { sshAccessSchema } from './ssh-access.js';
import { sshPublicKeySchema } from './ssh-public-key.js';

/** A guest's LAN interface: which network of its cluster, at which static address. */
const lanSchema = lazy(() =>
  z.strictObject({
    /** Name of a network of the guest's Proxmox cluster. */
    network: nameSchema().meta({ description: "Name of a network of the guest's Proxmox cluster." }),
    /** Static IPv4 address inside that network's subnet. */
    address: ipv4Schema().meta({ description: "Static IPv4 address inside that network's subnet." }),
  }),
);

/** A disk on a Proxmox storage: `STORAGE:SIZE` in the API. */
const diskSchema = lazy(() =>
  z.strictObject({
    /** Storage id on the guest's cluster. */
    storage: storageIdSchema().meta({ description: "Storage id on the guest's cluster." }),
    /** Size in GiB. */
    size: z
      .int()
      .min(1)
      .meta({ description: 'Size in GiB.', examples: [32] }),
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
      .optional()
      .meta({
        description:
          "User to create and give the keys and password to; the image's default user (`debian`) when absent.",
      }),
    /** Public keys for that user (`sshkeys`). */
    sshKeys: sshKeysSchema().meta({ description: 'Public keys for that user (`sshkeys`).' }),
    /**
     * The user's password, as a reference only (`cipassword`): the artifact names the variable and the Proxmox client
     * reads it at apply. Proxmox stores it hashed and never returns it.
     */
    password: secretRefSchema().optional().meta({
      description:
        "The user's password, as a reference only (`cipassword`): the artifact names the variable and the Proxmox client reads it at apply. Proxmox stores it hashed and never returns it.",
    }),
  }),
);

const commonGuestShape = () => ({
  /** The Proxmox cluster the guest runs on. */
  cluster: nameSchema().meta({ description: 'The Proxmox cluster the guest runs on.' }),
  /** The node of that cluster. */
  node: nameSchema().meta({ description: 'The node of that cluster.' }),
  /** Proxmox VMID (100 to 999999999), unique per cluster. */
  vmid: z
    .int()
    .min(100)
    .max(999_999_999)
    .meta({ description: 'Proxmox VMID (100 to 999999999), unique per cluster.', examples: [101, 200] }),
  /** Host name inside the guest; the guest's key when absent. */
  hostname: nameSchema().optional().meta({ description: "Host name inside the guest; the guest's key when absent." }),
  /** CPU cores (a count). */
  cores: z
    .int()
    .min(1)
    .max(8192)
    .meta({ description: 'CPU cores (a count).', examples: [2] }),
  /** Memory in MiB (2048 = 2 GiB). */
  memory: z
    .int()
    .min(16)
    .meta({ description: 'Memory in MiB (2048 = 2 GiB).', examples: [2048] }),
  /** LAN interface. */
  lan: lanSchema().meta({ description: 'LAN interface.' }),
  /** Start the guest when its node boots. */
  onboot: z.boolean().default(true).meta({ description: 'Start the guest when its node boots.' }),
  /**
   * Start the guest at the end of `apply --target proxmox` when it is stopped: after its create, its disk resize and
   * its root@pam settings. Apply never stops a guest: with `false` its power state is left alone.
   */
  start: z.boolean().default(true).meta({
    description:
      'Start the guest at the end of `apply --target proxmox` when it is stopped: after its create, its disk resize and its root@pam settings. Apply never stops a guest: with `false` its power state is left alone.',
  }),
  /** How the SDK reaches the guest over SSH to deliver its stacks (`apply --target hosts`). */
  ssh: sshAccessSchema().meta({
    description: 'How the SDK reaches the guest over SSH to deliver its stacks (`apply --target hosts`).',
  }),
});

/** A QEMU virtual machine, such as Holly (VMID 101) that runs Omni. */
export const qemuGuestSchema = lazy(() =>
  z.strictObject({
    /** Discriminator: a QEMU VM. */
    type: z.literal('qemu').meta({ description: 'Discriminator: a QEMU VM.' }),
    ...commonGuestShape(),
    /** CPU sockets. */
    sockets: z.int().min(1).default(1).meta({ description: 'CPU sockets.' }),
    /** QEMU CPU type. */
    cpu: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .default('x86-64-v2-AES')
      .meta({ description: 'QEMU CPU type.' }),
    /** Boot disk (`scsi0`). */
    disk: diskSchema().meta({ description: 'Boot disk (`scsi0`).' }),
    /** Storage for the cloud-init drive; the boot disk's storage when absent. */
    cloudInitStorage: storageIdSchema()
      .optional()
      .meta({ description: "Storage for the cloud-init drive; the boot disk's storage when absent." }),
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
            .refine(hasUnreservedStorage, RESERVED_NAME_ISSUE)
            .meta({
              description:
                'Disk image volume with content `import`, e.g. `local:import/debian-12-genericcloud-amd64.qcow2`.',
            }),
        }),
        z.strictObject({
          /** ISO volume, e.g. `local:iso/debian-12.8.0-amd64-netinst.iso`. */
          iso: z
            .string()
            .regex(/^[a-z][a-z0-9_.-]*:iso\/[^\s,]+$/, 'must be an ISO volume such as local:iso/<file>.iso')
            .refine(hasUnreservedStorage, RESERVED_NAME_ISSUE)
            .meta({ description: 'ISO volume, e.g. `local:iso/debian-12.8.0-amd64-netinst.iso`.' }),
        }),
      ])
      .optional()
      .meta({
        description:
          "Where the operating system comes from: a cloud image imported into the boot disk (Proxmox makes the disk the image's size; apply then grows it to `disk.size`), or an installer ISO attached as a CD-ROM. An empty boot disk when absent.",
      }),
    /** Cloud-init login: user, SSH public keys, password reference. */
    cloudInit: cloudInitSchema()
      .optional()
      .meta({ description: 'Cloud-init login: user, SSH public keys, password reference.' }),
  }),
);

/** An LXC container, such as CT 200 on Foxtrot that runs the Omni Proxmox provider. */
export const lxcGuestSchema = lazy(() =>
  z.strictObject({
    /** Discriminator: an LXC container. */
    type: z.literal('lxc').meta({ description: 'Discriminator: an LXC container.' }),
    ...commonGuestShape(),
    /** OS template volume, e.g. `local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst`. */
    template: z
      .string()
      .regex(/^[a-z][a-z0-9_.-]*:vztmpl\/[^\s,]+$/, 'must be a template volume such as local:vztmpl/<file>')
      .meta({ description: 'OS template volume, e.g. `local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst`.' }),
    /** Root filesystem. */
    rootfs: diskSchema().meta({ description: 'Root filesystem.' }),
    /** Swap in MiB. */
    swap: z
      .int()
      .min(0)
      .default(512)
      .meta({ description: 'Swap in MiB.', examples: [512] }),
    /** LXC features; `keyctl` (needed by Docker in unprivileged containers) can only be set as root@pam. */
    features: z
      .strictObject({
        /** Nested containers (Docker); a token with `VM.Allocate` may set it. */
        nesting: z
          .boolean()
          .default(true)
          .meta({ description: 'Nested containers (Docker); a token with `VM.Allocate` may set it.' }),
        /** keyctl system call, needed by Docker in unprivileged containers; root@pam only. */
        keyctl: z
          .boolean()
          .default(false)
          .meta({ description: 'keyctl system call, needed by Docker in unprivileged containers; root@pam only.' }),
      })
      .default({ nesting: true, keyctl: false })
      .meta({
        description:
          'LXC features; `keyctl` (needed by Docker in unprivileged containers) can only be set as root@pam.',
      }),
    /** Pass `/dev/net/tun` into the container (`dev0`, root@pam only), for kernel-mode Tailscale. */
    tun: z.boolean().default(false).meta({
      description: 'Pass `/dev/net/tun` into the container (`dev0`, root@pam only), for kernel-mode Tailscale.',
    }),
    /** Public keys for root's `authorized_keys` (`ssh-public-keys`, only when the container is created). */
    sshKeys: sshKeysSchema().meta({
      description: "Public keys for root's `authorized_keys` (`ssh-public-keys`, only when the container is created).",
    }),
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
