import type { UnmanagedObject } from '../../plan/change.js';
import type { GuestSpec } from './artifacts.js';
import { proxmoxTags } from './guest-config.js';
import type { VmResource } from './inventory.js';

/**
 * The guests of the cluster that carry the tag the artifacts give their guests (the SDK's marker, `talos-sdk`) at a
 * VMID the artifacts do not declare: a guest the SDK made for an earlier topology and no longer declares, one cloned
 * from an SDK guest, or another topology's guest on the same cluster. They sit in the SDK's namespace, so drift reports
 * them; plan and apply leave them alone. `GET /cluster/resources?type=vm` lists each guest's `tags` (the API schema,
 * pve-docs `api-viewer/apidata.js`, among the properties of a `qemu`/`lxc` item), so this costs no request.
 *
 * @param guests - The cluster's guest artifacts.
 * @param resources - Every guest as the cluster lists it.
 * @returns One unmanaged object per such guest, by VMID.
 */
export function undeclaredTaggedGuests(
  guests: readonly GuestSpec[],
  resources: readonly VmResource[],
): UnmanagedObject[] {
  const declared = new Set(guests.map((guest) => guest.vmid));
  const markers = new Set(
    guests.flatMap((guest) => (typeof guest.params['tags'] === 'string' ? proxmoxTags(guest.params['tags']) : [])),
  );
  return resources.flatMap((resource) => {
    if (declared.has(resource.vmid)) return [];
    const marker = proxmoxTags(resource.tags ?? '').find((tag) => markers.has(tag));
    if (marker === undefined) return [];
    return [
      {
        kind: resource.type,
        id: String(resource.vmid),
        reason: `carries the ${marker} tag, but no artifact declares VMID ${resource.vmid} on this cluster; left alone`,
        inSdkNamespace: true as const,
      },
    ];
  });
}
