import type { DeepReadonly, Topology } from '../models/define.js';
import type { Guest, LxcGuest, QemuGuest } from '../models/guest.js';
import { parseCidr } from '../models/ipv4.js';
import type { Artifact } from './artifact.js';
import { createArtifact } from './artifact.js';
import { GENERATOR } from './serialize.js';
import { PROXMOX_TAG } from './ownership.js';
import { sortedEntries, toCanonicalJson } from './serialize.js';

const bit = (value: boolean): 0 | 1 => (value ? 1 : 0);

function cidrOf(
  topology: Topology,
  guest: DeepReadonly<Guest>,
): { address: string; gateway: string; bridge: string; vlan?: number } | undefined {
  const network = topology.proxmox[guest.cluster]?.networks[guest.lan.network];
  if (!network) return undefined;
  const { prefix } = parseCidr(network.subnet);
  return {
    address: `${guest.lan.address}/${prefix}`,
    gateway: network.gateway,
    bridge: network.bridge,
    ...(network.vlan === undefined ? {} : { vlan: network.vlan }),
  };
}

/** A guest's create body, the keys only root@pam may set, and the keys whose values come from the environment. */
interface GuestParams {
  readonly params: Record<string, unknown>;
  readonly rootOnly: string[];
  readonly secretParams?: Record<string, { env: string }>;
  readonly resize?: { disk: string; size: string };
}

function description(topology: Topology, name: string): string {
  return `${name}: managed by ${GENERATOR} (topology ${topology.name})`;
}

/**
 * The `sshkeys` value: the keys one per line, percent-encoded as a whole. qemu-server declares the parameter
 * `format => 'urlencoded'` (pve-common `JSONSchema.pm` accepts only `[-%a-zA-Z0-9_.!~*'()]`, the alphabet
 * `encodeURIComponent` leaves unescaped), keeps the encoded text in the VM config, and decodes it with
 * `URI::Escape::uri_unescape` to validate the keys (`API2/Qemu.pm`) and to write the user-data (`Cloudinit.pm`).
 */
function encodeSshKeys(keys: readonly string[]): string {
  return encodeURIComponent(keys.map((key) => key.trim()).join('\n'));
}

function lxcParams(topology: Topology, name: string, guest: DeepReadonly<LxcGuest>): GuestParams {
  const lan = cidrOf(topology, guest);
  const features = [...(guest.features.keyctl ? ['keyctl=1'] : []), ...(guest.features.nesting ? ['nesting=1'] : [])];
  const params: Record<string, unknown> = {
    vmid: guest.vmid,
    ostemplate: guest.template,
    hostname: guest.hostname ?? name,
    description: description(topology, name),
    cores: guest.cores,
    memory: guest.memory,
    swap: guest.swap,
    rootfs: `${guest.rootfs.storage}:${guest.rootfs.size}`,
    net0: lan
      ? `name=eth0,bridge=${lan.bridge},gw=${lan.gateway},ip=${lan.address}${lan.vlan === undefined ? '' : `,tag=${lan.vlan}`}`
      : undefined,
    onboot: bit(guest.onboot),
    unprivileged: 1,
    tags: PROXMOX_TAG,
    ...(features.length > 0 ? { features: features.join(',') } : {}),
    ...(guest.tun ? { dev0: '/dev/net/tun' } : {}),
    // pve-container writes these into root's authorized_keys when it creates the container (one key per line).
    ...(guest.sshKeys.length > 0 ? { 'ssh-public-keys': guest.sshKeys.map((key) => key.trim()).join('\n') } : {}),
  };
  const rootOnly = [...(guest.tun ? ['dev0'] : []), ...(guest.features.keyctl ? ['features'] : [])];
  return { params, rootOnly };
}

function qemuParams(topology: Topology, name: string, guest: DeepReadonly<QemuGuest>): GuestParams {
  const lan = cidrOf(topology, guest);
  const install = guest.install;
  const cloudInit = guest.cloudInit;
  const params: Record<string, unknown> = {
    vmid: guest.vmid,
    name: guest.hostname ?? name,
    description: description(topology, name),
    cores: guest.cores,
    sockets: guest.sockets,
    cpu: guest.cpu,
    memory: String(guest.memory),
    scsihw: 'virtio-scsi-single',
    scsi0: `${guest.disk.storage}:${install && 'importFrom' in install ? `0,import-from=${install.importFrom}` : guest.disk.size},discard=on,iothread=1,ssd=1`,
    ...(install && 'iso' in install
      ? { ide2: `${install.iso},media=cdrom`, boot: 'order=scsi0;ide2' }
      : { boot: 'order=scsi0' }),
    net0: lan ? `virtio,bridge=${lan.bridge},firewall=1${lan.vlan === undefined ? '' : `,tag=${lan.vlan}`}` : undefined,
    [install && 'iso' in install ? 'ide0' : 'ide2']: `${guest.cloudInitStorage ?? guest.disk.storage}:cloudinit`,
    ipconfig0: lan ? `gw=${lan.gateway},ip=${lan.address}` : undefined,
    ciuser: cloudInit?.user,
    sshkeys: cloudInit?.sshKeys.length ? encodeSshKeys(cloudInit.sshKeys) : undefined,
    agent: 'enabled=1',
    ostype: 'l26',
    onboot: bit(guest.onboot),
    tags: PROXMOX_TAG,
  };
  return {
    params,
    rootOnly: [],
    ...(cloudInit?.password ? { secretParams: { cipassword: { env: cloudInit.password.env } } } : {}),
    // `import-from` makes the disk the image's size; the client grows it to the declared size after the create.
    ...(install && 'importFrom' in install ? { resize: { disk: 'scsi0', size: `${guest.disk.size}G` } } : {}),
  };
}

/**
 * `proxmox/<cluster>/lxc-<vmid>.json` and `qemu-<vmid>.json`: each guest's create parameters exactly as the Proxmox
 * VE API takes them, with the keys that only root@pam may set listed beside them in `rootOnly`, and the parameters
 * whose value is a secret (`cipassword`) named only by their environment variable in `secretParams`. A VM imported
 * from a cloud image carries `resize`, the `PUT …/resize` body that grows its boot disk to the declared size. `start`
 * says whether apply starts the guest when it finds it stopped.
 *
 * @param topology - A validated topology.
 * @returns One artifact per guest.
 */
export function proxmoxGuestArtifacts(topology: Topology): Artifact[] {
  return sortedEntries(topology.guests).map(([name, guest]) => {
    const { params, rootOnly, secretParams, resize } =
      guest.type === 'lxc' ? lxcParams(topology, name, guest) : qemuParams(topology, name, guest);
    return createArtifact(
      `proxmox/${guest.cluster}/${guest.type}-${guest.vmid}.json`,
      guest.type === 'lxc' ? 'proxmox-lxc' : 'proxmox-qemu',
      toCanonicalJson({
        proxmoxCluster: guest.cluster,
        guest: name,
        node: guest.node,
        params,
        rootOnly: rootOnly.sort(),
        ...(secretParams ? { secretParams } : {}),
        ...(resize ? { resize } : {}),
        start: guest.start,
      }),
    );
  });
}
