/**
 * Volumes and sizes as Proxmox VE handles them: what the emulator seeds on its storages, how pve-storage prints a
 * size (`format_size`), and how qemu-server reads the `size` of a resize request.
 *
 * @module
 */
import type { EmulatedVolume } from './state.js';

const GiB = 1024 ** 3;

/**
 * What the emulator's storages hold unless a test says otherwise: the Debian 12 container template, the Debian 12
 * genericcloud image in an `import` folder, and the Debian netinst ISO, all on the node-local `local` storage of
 * every node. The qcow2's virtual size is 2 GiB (that of Debian's genericcloud images), and pve-storage lists a
 * qcow2 with its virtual size, so a disk imported from it starts at 2 GiB.
 */
export const DEFAULT_VOLUMES: readonly EmulatedVolume[] = [
  {
    volid: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
    content: 'vztmpl',
    format: 'tzst',
    size: 126_127_471,
  },
  { volid: 'local:import/debian-12-genericcloud-amd64.qcow2', content: 'import', format: 'qcow2', size: 2 * GiB },
  { volid: 'local:iso/debian-12.8.0-amd64-netinst.iso', content: 'iso', format: 'iso', size: 663_748_608 },
];

const UNITS: readonly [suffix: string, bytes: number][] = [
  ['T', 1024 ** 4],
  ['G', GiB],
  ['M', 1024 ** 2],
  ['K', 1024],
];

/**
 * Prints a size the way a drive's `size=` option shows it: the largest unit that divides it exactly (pve-common
 * `JSONSchema.pm` `format_size`), else bytes.
 *
 * @param bytes - The size.
 * @returns E.g. `2G`, `64G`, `1536M`.
 */
export function formatSize(bytes: number): string {
  const unit = UNITS.find(([, factor]) => bytes % factor === 0);
  return unit ? `${bytes / unit[1]}${unit[0]}` : String(bytes);
}

/**
 * Reads a size as a drive option or a resize request gives it (`2G`, `512M`, `1.5T`, bare bytes).
 *
 * @param text - The size.
 * @returns Bytes, or `undefined` when the text is not a size.
 */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([KMGT])?$/.exec(text);
  if (!match) return undefined;
  const factor = UNITS.find(([suffix]) => suffix === match[2])?.[1] ?? 1;
  return Math.floor(Number(match[1]) * factor);
}

/**
 * Checks public keys the way Proxmox does (pve-common `Tools.pm` `validate_ssh_public_keys` runs `ssh-keygen -l` on
 * each non-empty line): every line is `<type> <base64> [comment]` and the base64 data starts with that type's name.
 *
 * @param text - The keys, one per line, already decoded.
 * @returns `true` when every line is a public key.
 */
export function validSshPublicKeys(text: string): boolean {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .every((line) => {
      const match = /^\s*(\S+)\s+([A-Za-z0-9+/]+={0,2})(\s.*)?$/.exec(line);
      if (!match) return false;
      const blob = Buffer.from(match[2]!, 'base64');
      if (blob.length < 4) return false;
      const length = blob.readUInt32BE(0);
      return blob.subarray(4, 4 + length).toString('latin1') === match[1];
    });
}
