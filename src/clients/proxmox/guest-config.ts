import type { FieldDiff } from '../../plan/change.js';

/** Keys only the create call takes; they are never compared with the live config. */
const CREATE_ONLY: Readonly<Record<'lxc' | 'qemu', ReadonlySet<string>>> = {
  lxc: new Set([
    'vmid',
    'node',
    'ostemplate',
    'password',
    'pool',
    'ssh-public-keys',
    'start',
    'storage',
    'unprivileged',
    'restore',
    'force',
    'unique',
    'bwlimit',
    'ignore-unpack-errors',
    'ha-managed',
  ]),
  qemu: new Set([
    'vmid',
    'node',
    'pool',
    'start',
    'storage',
    'archive',
    'unique',
    'live-restore',
    'force',
    'bwlimit',
    'ha-managed',
  ]),
};

/** The sub-key a bare first item of a property string names, by key (without its index). */
const DEFAULT_SUBKEY: Readonly<Record<string, string>> = {
  agent: 'enabled',
  memory: 'current',
  dev: 'path',
  rootfs: 'volume',
  mp: 'volume',
  scsi: 'file',
  ide: 'file',
  sata: 'file',
  virtio: 'file',
  efidisk: 'file',
  cpu: 'cputype',
};

const NIC_MODELS = new Set([
  'e1000',
  'e1000e',
  'rtl8139',
  'virtio',
  'vmxnet3',
  'ne2k_pci',
  'ne2k_isa',
  'pcnet',
  'i82551',
  'i82557b',
  'i82559er',
]);
const TRUE = /^(1|true|yes|on)$/i;
const FALSE = /^(0|false|no|off)$/i;

/**
 * Tells whether a key holds a disk whose volume the create call allocates (`rootfs`, `mp0`, `scsi0`, `ide2`…).
 *
 * @param type - Guest type.
 * @param key - Config key.
 * @returns `true` for disk keys.
 */
export function isDiskKey(type: 'lxc' | 'qemu', key: string): boolean {
  return type === 'lxc' ? /^(rootfs|mp\d+)$/.test(key) : /^((scsi|ide|sata|virtio)\d+|efidisk0|tpmstate0)$/.test(key);
}

/**
 * Tells whether a key is only taken by the create call.
 *
 * @param type - Guest type.
 * @param key - Config key.
 * @returns `true` for keys such as `ostemplate`, `unprivileged` or `vmid`.
 */
export function isCreateOnlyKey(type: 'lxc' | 'qemu', key: string): boolean {
  return CREATE_ONLY[type].has(key);
}

/**
 * Splits a config value into sub-keys: `virtio=BC:24:…,bridge=vmbr0` gives `{model: virtio, macaddr: …, bridge}`,
 * booleans become `1`/`0`, a bare first item is named after the key's default sub-key.
 *
 * @param key - The config key, e.g. `net0`.
 * @param value - Its value.
 * @returns The sub-keys.
 */
export function splitConfigValue(key: string, value: string): Record<string, string> {
  const base = key.replace(/\d+$/, '');
  const out: Record<string, string> = {};
  for (const [index, item] of value.split(',').entries()) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const name = eq < 0 ? undefined : item.slice(0, eq);
    const text = eq < 0 ? item : item.slice(eq + 1);
    if (base === 'net' && (name === undefined ? NIC_MODELS.has(text) : NIC_MODELS.has(name))) {
      out['model'] = name ?? text;
      if (name !== undefined) out['macaddr'] = text;
    } else if (name === undefined) {
      out[index === 0 ? (DEFAULT_SUBKEY[base] ?? '_') : `_${index}`] = text;
    } else {
      out[name] = TRUE.test(text) ? '1' : FALSE.test(text) ? '0' : text;
    }
  }
  return out;
}

/**
 * The keys of an `sshkeys` value, decoded and one per line: Proxmox keeps the percent-encoded text as it was sent
 * (the web UI encodes with `encodeURIComponent` too), so two encodings of the same keys are the same keys.
 */
function sshKeyLines(value: string): string {
  let text = value;
  try {
    text = decodeURIComponent(value);
  } catch {
    // Not valid percent-encoding: compare the raw text.
  }
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');
}

function sameScalar(key: string, desired: string, live: string): boolean {
  // A description is stored as `#` comment lines: pve-container `parse_pct_config` (src/PVE/LXC/Config.pm) returns
  // every line with its newline, so a container's description ends in `\n`; qemu-server trims trailing whitespace.
  if (key === 'description') return desired.replace(/\s+$/, '') === live.replace(/\s+$/, '');
  if (key === 'tags') return proxmoxTags(desired).sort().join(';') === proxmoxTags(live).sort().join(';');
  if (TRUE.test(desired) || FALSE.test(desired))
    return TRUE.test(desired) === TRUE.test(live) && FALSE.test(desired) === FALSE.test(live);
  return desired === live;
}

/**
 * Compares one desired config value with the live one. Property strings match when every desired sub-key has the
 * same live value: the server adds defaults (a MAC address, `type=veth`) that the artifact rightly leaves out.
 *
 * @param key - The config key.
 * @param desired - The artifact's value.
 * @param live - The live value.
 * @returns `true` when the live value already is what the artifact asks.
 */
export function configValueMatches(key: string, desired: string, live: string): boolean {
  if (key === 'sshkeys') return sshKeyLines(desired) === sshKeyLines(live);
  if (!desired.includes('=') && !live.includes('=')) return sameScalar(key, desired, live);
  const want = splitConfigValue(key, desired);
  const have = splitConfigValue(key, live);
  return Object.entries(want).every(
    ([name, value]) => have[name] !== undefined && sameScalar(name, value, have[name]!),
  );
}

/**
 * Compares a disk the artifact would allocate (`vm_ssd:16`, `local-lvm:64,ssd=1`, `local-lvm:cloudinit`) with the
 * live disk (`vm_ssd:vm-200-disk-0,size=16G`).
 *
 * @param key - The disk key.
 * @param desired - The artifact's value.
 * @param live - The live value.
 * @returns `undefined` when they match, else why not.
 */
export function diskMismatch(key: string, desired: string, live: string): string | undefined {
  const want = splitConfigValue(key, desired);
  const have = splitConfigValue(key, live);
  const volumeKey = want['volume'] !== undefined ? 'volume' : 'file';
  const wantVolume = want[volumeKey] ?? '';
  const haveVolume = have[volumeKey] ?? '';
  const fresh = /^([\w.-]+):(\d+(?:\.\d+)?)$/.exec(wantVolume);
  const cloudinit = /^([\w.-]+):cloudinit$/.exec(wantVolume);
  // `STORAGE:0,import-from=IMAGE` makes a disk of the image's size, and Proxmox does not keep the option.
  const imported = want['import-from'] !== undefined;
  if (fresh) {
    if (!haveVolume.startsWith(`${fresh[1]}:`))
      return `is on ${haveVolume.split(':')[0]}, artifact wants storage ${fresh[1]}`;
    if (!imported && have['size'] !== undefined && sizeInGiB(have['size']) !== Number(fresh[2])) {
      return `has size ${have['size']}, artifact wants ${fresh[2]}G`;
    }
  } else if (cloudinit) {
    if (!haveVolume.startsWith(`${cloudinit[1]}:`) || !haveVolume.endsWith('cloudinit'))
      return `is ${haveVolume}, artifact wants a cloud-init drive on ${cloudinit[1]}`;
  } else if (wantVolume !== haveVolume) {
    return `is ${haveVolume}, artifact wants ${wantVolume}`;
  }
  const options = Object.entries(want).filter(
    ([name]) => name !== volumeKey && name !== 'size' && name !== 'import-from',
  );
  const differing = options.filter(
    ([name, value]) => have[name] === undefined || !sameScalar(name, value, have[name]!),
  );
  return differing.length
    ? `options ${differing.map(([name, value]) => `${name}=${value}`).join(',')} differ (live: ${live})`
    : undefined;
}

/**
 * Reads a Proxmox size (`16G`, `512M`, `1T`, bare bytes) in GiB.
 *
 * @param size - The size as a drive's `size=` option or a resize request writes it.
 * @returns GiB, or `NaN` when the text is not a size.
 */
export function sizeInGiB(size: string): number {
  const match = /^(\d+(?:\.\d+)?)([KMGT]?)$/.exec(size);
  if (!match) return Number.NaN;
  const factor: Record<string, number> = { K: 1 / 1024 ** 2, M: 1 / 1024, G: 1, T: 1024, '': 1 / 1024 ** 3 };
  return Number(match[1]) * factor[match[2]!]!;
}

/** Desired config compared with live: what to send, and what apply leaves to a person. */
export interface GuestConfigDiff {
  /** Keys whose live value differs and that a config update can set (before = live, after = desired). */
  readonly fields: readonly FieldDiff[];
  /** Differences apply does not change (existing disks, create-only keys), for the change's note. */
  readonly notes: readonly string[];
}

/**
 * Compares a guest's desired create body with its live config, leaving out create-only keys and comparing disks by
 * storage and size.
 *
 * @param type - Guest type.
 * @param desired - The artifact's `params`.
 * @param live - `GET …/config` data (`digest` and other server keys are ignored).
 * @returns Field differences and notes.
 */
export function diffGuestConfig(
  type: 'lxc' | 'qemu',
  desired: Readonly<Record<string, string | number>>,
  live: Readonly<Record<string, unknown>>,
): GuestConfigDiff {
  const fields: FieldDiff[] = [];
  const notes: string[] = [];
  for (const [key, value] of Object.entries(desired)) {
    const want = String(value);
    const have = live[key] === undefined ? undefined : String(live[key]);
    if (key === 'unprivileged') {
      if ((have ?? '0') !== want)
        notes.push(`unprivileged is ${have ?? '0'} live, artifact wants ${want}: only a new container can change it`);
      continue;
    }
    if (isCreateOnlyKey(type, key)) continue;
    if (have === undefined) {
      fields.push({ path: key, after: value });
    } else if (isDiskKey(type, key)) {
      const mismatch = diskMismatch(key, want, have);
      if (mismatch) notes.push(`${key} ${mismatch}; apply does not resize or move disks`);
    } else if (!configValueMatches(key, want, have)) {
      fields.push({ path: key, before: live[key], after: value });
    }
  }
  return { fields: fields.sort((a, b) => (a.path < b.path ? -1 : 1)), notes };
}

/**
 * A guest's tags as Proxmox stores them: one string, the tags separated by `;`, `,` or spaces.
 *
 * @param text - The `tags` value.
 * @returns The tags, in the order written.
 */
export function proxmoxTags(text: string): string[] {
  return text.split(/[;, ]+/).filter(Boolean);
}
