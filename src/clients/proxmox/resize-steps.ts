import { createChange } from '../../plan/change.js';
import type { GuestSpec } from './artifacts.js';
import { ProxmoxPreconditionError } from './errors.js';
import { sizeInGiB } from './guest-config.js';
import type { ProxmoxStep } from './step.js';
import { signalOf } from './step.js';

/**
 * The step that grows a VM's imported boot disk to its declared size. With `import-from`, qemu-server makes the disk
 * the size of the image (a 2 GiB genericcloud qcow2 stays 2 GiB, whatever size the topology declares), so the disk
 * is grown afterwards with `PUT /nodes/{node}/qemu/{vmid}/resize` and an absolute size, which repeats safely.
 * qemu-server runs the resize as a task (`fork_worker('resize', …)`, since qemu-server 8.0.2) and returns its UPID;
 * older releases answered `null` once done, so a UPID is waited for only when one comes back. A shrink is refused by
 * Proxmox ("shrinking disks is not supported"), so a declared size below the live size stops the plan instead.
 *
 * @param guest - The VM artifact, with its `resize` request.
 * @param node - The node the VM is (or will be) on.
 * @param liveConfig - The live config of an existing VM; absent for a VM the plan creates.
 * @param signal - Cancels the requests.
 * @returns The resize step, or nothing when the disk already has the declared size.
 * @throws {@link ProxmoxPreconditionError} when the live disk is larger than declared.
 */
export function resizeStep(
  guest: GuestSpec,
  node: string,
  liveConfig: Readonly<Record<string, unknown>> | undefined,
  signal: AbortSignal | undefined,
): ProxmoxStep | undefined {
  const resize = guest.resize;
  if (!resize) return undefined;
  const wanted = sizeInGiB(resize.size);
  const liveDisk = liveConfig === undefined ? undefined : String(liveConfig[resize.disk] ?? '');
  const liveSize = liveDisk === undefined ? undefined : /(?:^|,)size=([^,]+)/.exec(liveDisk)?.[1];
  if (liveSize !== undefined && sizeInGiB(liveSize) > wanted) {
    throw new ProxmoxPreconditionError([
      `${guest.path}: ${resize.disk} of VM ${guest.vmid} is ${liveSize} live, larger than the declared ${resize.size}; ` +
        'Proxmox cannot shrink a disk: declare at least the live size',
    ]);
  }
  if (liveSize !== undefined && sizeInGiB(liveSize) === wanted) return undefined;
  const note =
    liveConfig === undefined
      ? `after the create: the disk imported from the image starts at the image's size`
      : `grow ${resize.disk} from ${liveSize ?? 'unknown size'}`;
  return {
    rootOnly: false,
    createsToken: false,
    phase: 5,
    change: createChange(
      'proxmox',
      'qemu-disk',
      `${guest.vmid}/${resize.disk}`,
      'update',
      [{ path: 'size', ...(liveSize === undefined ? {} : { before: liveSize }), after: resize.size }],
      [note],
    ),
    run: async ({ client }) => {
      const path = `/nodes/${encodeURIComponent(node)}/qemu/${guest.vmid}/resize`;
      const upid = await client.request<string | null>('PUT', path, { form: { ...resize }, ...signalOf(signal) });
      if (typeof upid === 'string') await client.waitForTask(upid, signal);
    },
  };
}
