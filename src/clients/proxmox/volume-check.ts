import type { GuestSpec, ProxmoxArtifacts } from './artifacts.js';
import type { ProxmoxClient } from './client.js';
import { sizeInGiB } from './guest-config.js';
import type { ClusterInventory } from './inventory.js';

/** A volume a new guest is made from: a container template, a disk image to import, an installer ISO. */
interface SourceVolume {
  /** The guest artifact naming it. */
  readonly guest: GuestSpec;
  /** The parameter naming it, e.g. `ostemplate`, `scsi0`, `ide2`. */
  readonly key: string;
  /** Volume ID, e.g. `local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst`. */
  readonly volid: string;
  /** Storage content type it is listed under: `vztmpl`, `import` or `iso`. */
  readonly content: string;
}

/** An item of `GET /nodes/{node}/storage/{storage}/content`. */
interface ContentItem {
  /** Volume ID. */
  readonly volid: string;
  /** Content type. */
  readonly content: string;
  /** Size in bytes (a qcow2's virtual size, which a disk imported from it gets). */
  readonly size?: number;
}

/** What a person does to put a missing volume of each content type on its storage. */
const HOW_TO_GET: Readonly<Record<string, string>> = {
  vztmpl:
    'templates leave the pveam index when a newer release appears: run pveam update and pveam available --section system for the current name, then pveam download <storage> <template>, and update the topology',
  import:
    "download the image into the storage's import folder (Storage > Import > Download from URL, or POST /nodes/{node}/storage/{storage}/download-url with content=import)",
  iso: 'upload or download it to the storage (Storage > ISO Images)',
};

/**
 * A disk imported from an image starts at the image's size and can only grow, so an image larger than the declared
 * disk would end in a refused shrink after the VM was created.
 */
function checkImportedSize(volume: SourceVolume, item: ContentItem, problems: string[]): void {
  const declared = volume.guest.resize;
  if (volume.content !== 'import' || !declared || item.size === undefined) return;
  const imageGiB = item.size / 1024 ** 3;
  if (imageGiB > sizeInGiB(declared.size)) {
    problems.push(
      `${volume.guest.path}: ${volume.volid} is ${Math.ceil(imageGiB)} GiB, larger than the declared disk (${declared.size}); a disk imported from it cannot shrink: declare at least ${Math.ceil(imageGiB)} GiB`,
    );
  }
}

function sourceVolumes(guest: GuestSpec): SourceVolume[] {
  const found: SourceVolume[] = [];
  for (const [key, value] of Object.entries(guest.params)) {
    const text = String(value);
    if (guest.type === 'lxc' && key === 'ostemplate') {
      found.push({ guest, key, volid: text, content: 'vztmpl' });
      continue;
    }
    if (guest.type !== 'qemu' || !/^(ide|sata|scsi|virtio)\d+$/.test(key)) continue;
    const items = text.split(',');
    const imported = items.find((item) => item.startsWith('import-from='))?.slice('import-from='.length);
    if (imported && /^[^:/]+:import\//.test(imported)) found.push({ guest, key, volid: imported, content: 'import' });
    if (items.includes('media=cdrom') && /^[^:/]+:iso\//.test(items[0] ?? ''))
      found.push({ guest, key, volid: items[0]!, content: 'iso' });
  }
  return found;
}

/**
 * Checks that the template, import image or ISO of every guest the plan creates is on its storage, as the node it
 * is created on sees it: `GET /nodes/{node}/storage/{storage}/content`, once per node and storage (filtered by
 * content type when one type is wanted there). A template can vanish from the `pveam` index and an image may never
 * have been downloaded; the create task would fail only after the plan was approved.
 *
 * @param artifacts - The cluster's artifacts.
 * @param inventory - The live guests and each node's storages.
 * @param client - A connected client.
 * @param signal - Cancels the requests.
 * @param problems - Receives one line per missing volume, naming it.
 */
export async function checkSourceVolumes(
  artifacts: ProxmoxArtifacts,
  inventory: ClusterInventory,
  client: ProxmoxClient,
  signal: AbortSignal | undefined,
  problems: string[],
): Promise<void> {
  const wanted = artifacts.guests
    .filter((guest) => !inventory.resources.some((live) => live.vmid === guest.vmid))
    .flatMap(sourceVolumes);
  const byLocation = new Map<string, SourceVolume[]>();
  for (const volume of wanted) {
    const location = `${volume.guest.node}\u0000${volume.volid.split(':')[0]}`;
    byLocation.set(location, [...(byLocation.get(location) ?? []), volume]);
  }
  for (const [location, volumes] of byLocation) {
    const [node = '', storageId = ''] = location.split('\u0000');
    const storage = inventory.storageByNode.get(node)?.find((entry) => entry.storage === storageId);
    if (!storage) {
      for (const volume of volumes)
        problems.push(
          `${volume.guest.path}: ${volume.key} names ${volume.volid}, but node ${node} has no storage ${storageId}`,
        );
      continue;
    }
    const offered = storage.content.split(',');
    const listable = volumes.filter((volume) => {
      if (offered.includes(volume.content)) return true;
      problems.push(
        `${volume.guest.path}: ${volume.key} names ${volume.volid}, but storage ${storageId} on ${node} does not offer content ${volume.content} (offers ${storage.content}); add it in Datacenter > Storage`,
      );
      return false;
    });
    if (listable.length === 0) continue;
    const types = [...new Set(listable.map((volume) => volume.content))];
    const path = `/nodes/${encodeURIComponent(node)}/storage/${encodeURIComponent(storageId)}/content`;
    const items = await client.get<ContentItem[]>(path, types.length === 1 ? { content: types[0] } : undefined, signal);
    const present = new Map(items.map((item) => [item.volid, item]));
    for (const volume of listable) {
      const item = present.get(volume.volid);
      if (item) {
        checkImportedSize(volume, item, problems);
        continue;
      }
      problems.push(
        `${volume.guest.path}: ${volume.key} names ${volume.volid}, which is not on storage ${storageId} of node ${node}; ${HOW_TO_GET[volume.content] ?? 'put it there first'}`,
      );
    }
  }
}
