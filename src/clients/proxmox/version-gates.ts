import type { ProxmoxArtifacts } from './artifacts.js';
import type { ClusterInventory } from './inventory.js';

/** A feature the artifacts may use, the Proxmox VE release that brought it, and where the artifacts use it. */
interface FeatureGate {
  /** The feature, as the message names it. */
  readonly feature: string;
  /** The first `pve-manager` version that has it. */
  readonly minimum: string;
  /** Where the artifacts use it (artifact path and key), for objects apply would send it for. */
  readonly usedIn: (artifacts: ProxmoxArtifacts, inventory: ClusterInventory) => string[];
}

const GATES: readonly FeatureGate[] = [
  {
    // The privilege came with libpve-access-control in Proxmox VE 8.1.2; an older cluster refuses the role.
    feature: 'the privilege Sys.AccessNetwork',
    minimum: '8.1.2',
    usedIn: (artifacts) =>
      artifacts.access
        .filter((access) => access.role.privs.split(/[,;\s]+/).includes('Sys.AccessNetwork'))
        .map((access) => `${access.path} role.privs`),
  },
  {
    // LXC device passthrough (`dev[n]`), pve-container ce1976b (2023-11), Proxmox VE 8.1.
    feature: 'container device passthrough (dev[n])',
    minimum: '8.1',
    usedIn: (artifacts) =>
      artifacts.guests.flatMap((guest) =>
        Object.keys(guest.params)
          .filter((key) => guest.type === 'lxc' && /^dev\d+$/.test(key))
          .map((key) => `${guest.path} ${key}`),
      ),
  },
  {
    // The `import` content type (disk images in `<storage>:import/`) and qcow2 `import-from` came with 8.3. Only a
    // new VM imports, so an existing one does not need it.
    feature: 'importing a disk image from an import volume (import-from=<storage>:import/…)',
    minimum: '8.3',
    usedIn: (artifacts, inventory) =>
      artifacts.guests
        .filter((guest) => !inventory.resources.some((live) => live.vmid === guest.vmid))
        .flatMap((guest) =>
          Object.entries(guest.params)
            .filter(([, value]) => /(^|,)import-from=[^,:]+:import\//.test(String(value)))
            .map(([key]) => `${guest.path} ${key}`),
        ),
  },
];

function versionParts(version: string): number[] {
  return (version.match(/\d+/g) ?? []).slice(0, 3).map(Number);
}

function olderThan(version: string, minimum: string): boolean {
  const [have, need] = [versionParts(version), versionParts(minimum)];
  for (let index = 0; index < 3; index++) {
    const difference = (have[index] ?? 0) - (need[index] ?? 0);
    if (difference !== 0) return difference < 0;
  }
  return false;
}

/**
 * Checks that the cluster's Proxmox VE release (`GET /version`, read once per plan) has every feature the artifacts
 * use, so the plan stops with the feature and both versions instead of apply failing halfway.
 *
 * @param artifacts - The cluster's artifacts.
 * @param inventory - The live cluster, with its version.
 * @param problems - Receives one line per feature the release lacks.
 */
export function checkVersionGates(artifacts: ProxmoxArtifacts, inventory: ClusterInventory, problems: string[]): void {
  const found = inventory.version.version;
  for (const gate of GATES) {
    if (!olderThan(found, gate.minimum)) continue;
    const uses = gate.usedIn(artifacts, inventory);
    if (uses.length === 0) continue;
    problems.push(
      `Proxmox VE ${found} is older than ${gate.minimum}, which ${gate.feature} needs (${uses.join(', ')}); upgrade the cluster to ${gate.minimum} or later`,
    );
  }
}
