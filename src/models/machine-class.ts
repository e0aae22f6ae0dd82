import * as z from './zod.js';
import { lazy } from './lazy.js';
import { nameSchema } from './primitives.js';
import { storageIdSchema } from './proxmox.js';

/** Boot or extra disk tuning options of the Proxmox provider. */
const diskTuningShape = () => ({
  /** Present the disk as an SSD. */
  ssd: z.boolean().optional().meta({ description: 'Present the disk as an SSD.' }),
  /** Pass discards (TRIM) through. */
  discard: z.boolean().optional().meta({ description: 'Pass discards (TRIM) through.' }),
  /** Use an IO thread. */
  iothread: z.boolean().optional().meta({ description: 'Use an IO thread.' }),
  /** Cache mode. */
  cache: z
    .enum(['none', 'writethrough', 'writeback', 'directsync', 'unsafe'])
    .optional()
    .meta({ description: 'Cache mode.' }),
  /** Asynchronous IO mode. */
  aio: z.enum(['native', 'threads', 'io_uring']).optional().meta({ description: 'Asynchronous IO mode.' }),
});

/**
 * An Omni MachineClass that auto-provisions Talos VMs through an infra provider. The fields become the provider's
 * snake_case provider data.
 */
export const machineClassSchema = lazy(() =>
  z.strictObject({
    /** The infra provider (a key of `providers`). */
    provider: nameSchema().meta({ description: 'The infra provider (a key of `providers`).' }),
    /** CPU cores per VM (a count). */
    cores: z
      .int()
      .min(1)
      .meta({ description: 'CPU cores per VM (a count).', examples: [4] }),
    /**
     * CPU sockets (default 1). Always written into the provider data: the provider reads `sockets` with no default
     * (omni-infra-provider-proxmox `internal/pkg/provider/data.go`) and sends it to `POST /nodes/{node}/qemu`, where
     * qemu-server refuses 0 (`sockets` minimum 1).
     */
    sockets: z.int().min(1).default(1).meta({
      description:
        'CPU sockets (default 1). Always written into the provider data: the provider reads `sockets` with no default (omni-infra-provider-proxmox `internal/pkg/provider/data.go`) and sends it to `POST /nodes/{node}/qemu`, where qemu-server refuses 0 (`sockets` minimum 1).',
    }),
    /** Memory in MiB (the provider requires at least 2048). */
    memory: z.int().min(2048).meta({ description: 'Memory in MiB (the provider requires at least 2048).' }),
    /** Boot disk size in GiB (at least 5). */
    diskSize: z.int().min(5).meta({ description: 'Boot disk size in GiB (at least 5).' }),
    /** Storage for the boot disk, on the provider's cluster. */
    storage: storageIdSchema().meta({ description: "Storage for the boot disk, on the provider's cluster." }),
    /** Network of the provider's cluster the VMs attach to (bridge and VLAN come from it). */
    network: nameSchema().meta({
      description: "Network of the provider's cluster the VMs attach to (bridge and VLAN come from it).",
    }),
    /** Pin VMs to one node; any node when absent. */
    node: nameSchema().optional().meta({ description: 'Pin VMs to one node; any node when absent.' }),
    /** QEMU CPU type (`host` for pass-through). */
    cpuType: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .optional()
      .meta({ description: 'QEMU CPU type (`host` for pass-through).' }),
    /** QEMU machine type. */
    machineType: z.enum(['q35', 'i440fx']).optional().meta({ description: 'QEMU machine type.' }),
    /** Enable NUMA. */
    numa: z.boolean().optional().meta({ description: 'Enable NUMA.' }),
    /** Huge page size, `2MB` or `1GB` (root@pam only on Proxmox). */
    hugepages: z
      .enum(['2MB', '1GB'])
      .optional()
      .meta({ description: 'Huge page size, `2MB` or `1GB` (root@pam only on Proxmox).' }),
    /** Enable memory ballooning. */
    balloon: z.boolean().optional().meta({ description: 'Enable memory ballooning.' }),
    /** Boot disk tuning. */
    disk: z.strictObject(diskTuningShape()).optional().meta({ description: 'Boot disk tuning.' }),
    /** Extra disks; keep them larger than the boot disk so Omni does not install onto them. */
    additionalDisks: z
      .array(
        z.strictObject({
          /** Size in GiB. */
          size: z
            .int()
            .min(1)
            .meta({ description: 'Size in GiB.', examples: [100] }),
          /** Storage on the provider's cluster. */
          storage: storageIdSchema().meta({ description: "Storage on the provider's cluster." }),
          ...diskTuningShape(),
        }),
      )
      .optional()
      .meta({ description: 'Extra disks; keep them larger than the boot disk so Omni does not install onto them.' }),
    /** Extra network interfaces, by network name of the provider's cluster. */
    additionalNics: z
      .array(
        z.strictObject({
          /** Network of the provider's cluster. */
          network: nameSchema().meta({ description: "Network of the provider's cluster." }),
          /** Enable the Proxmox firewall on the interface. */
          firewall: z.boolean().optional().meta({ description: 'Enable the Proxmox firewall on the interface.' }),
        }),
      )
      .optional()
      .meta({ description: "Extra network interfaces, by network name of the provider's cluster." }),
  }),
);

/** A machine class, validated. */
export type MachineClass = z.output<ReturnType<typeof machineClassSchema>>;
