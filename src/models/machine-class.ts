import * as z from './zod.js';
import { lazy } from './lazy.js';
import { nameSchema } from './primitives.js';
import { storageIdSchema } from './proxmox.js';

/** Boot or extra disk tuning options of the Proxmox provider. */
const diskTuningShape = () => ({
  ssd: z.boolean().optional().meta({ description: 'Present the disk as an SSD.' }),
  discard: z.boolean().optional().meta({ description: 'Pass discards (TRIM) through.' }),
  iothread: z.boolean().optional().meta({ description: 'Use an IO thread.' }),
  cache: z
    .enum(['none', 'writethrough', 'writeback', 'directsync', 'unsafe'])
    .optional()
    .meta({ description: 'Cache mode.' }),
  aio: z.enum(['native', 'threads', 'io_uring']).optional().meta({ description: 'Asynchronous IO mode.' }),
});

/**
 * An Omni MachineClass that auto-provisions Talos VMs through an infra provider. The fields become the provider's
 * snake_case provider data.
 */
export const machineClassSchema = lazy(() =>
  z.strictObject({
    provider: nameSchema().meta({ description: 'The infra provider (a key of `providers`).' }),
    cores: z
      .int()
      .min(1)
      .meta({ description: 'CPU cores per VM (a count).', examples: [4] }),
    sockets: z.int().min(1).default(1).meta({
      description:
        'CPU sockets (default 1). Always written into the provider data: the provider reads `sockets` with no default (omni-infra-provider-proxmox `internal/pkg/provider/data.go`) and sends it to `POST /nodes/{node}/qemu`, where qemu-server refuses 0 (`sockets` minimum 1).',
    }),
    memory: z.int().min(2048).meta({ description: 'Memory in MiB (the provider requires at least 2048).' }),
    diskSize: z.int().min(5).meta({ description: 'Boot disk size in GiB (at least 5).' }),
    storage: storageIdSchema().meta({ description: "Storage for the boot disk, on the provider's cluster." }),
    network: nameSchema().meta({
      description: "Network of the provider's cluster the VMs attach to (bridge and VLAN come from it).",
    }),
    node: nameSchema().optional().meta({ description: 'Pin VMs to one node; any node when absent.' }),
    cpuType: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .optional()
      .meta({ description: 'QEMU CPU type (`host` for pass-through).' }),
    machineType: z.enum(['q35', 'i440fx']).optional().meta({ description: 'QEMU machine type.' }),
    numa: z.boolean().optional().meta({ description: 'Enable NUMA.' }),
    hugepages: z
      .enum(['2MB', '1GB'])
      .optional()
      .meta({ description: 'Huge page size, `2MB` or `1GB` (root@pam only on Proxmox).' }),
    balloon: z.boolean().optional().meta({ description: 'Enable memory ballooning.' }),
    disk: z.strictObject(diskTuningShape()).optional().meta({ description: 'Boot disk tuning.' }),
    additionalDisks: z
      .array(
        z.strictObject({
          size: z
            .int()
            .min(1)
            .meta({ description: 'Size in GiB.', examples: [100] }),
          storage: storageIdSchema().meta({ description: "Storage on the provider's cluster." }),
          ...diskTuningShape(),
        }),
      )
      .optional()
      .meta({ description: 'Extra disks; keep them larger than the boot disk so Omni does not install onto them.' }),
    additionalNics: z
      .array(
        z.strictObject({
          network: nameSchema().meta({ description: "Network of the provider's cluster." }),
          firewall: z.boolean().optional().meta({ description: 'Enable the Proxmox firewall on the interface.' }),
        }),
      )
      .optional()
      .meta({ description: "Extra network interfaces, by network name of the provider's cluster." }),
  }),
);

/** A machine class, validated. */
export type MachineClass = z.output<ReturnType<typeof machineClassSchema>>;
