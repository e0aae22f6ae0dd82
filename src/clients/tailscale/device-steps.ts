import type { FieldDiff, UnmanagedObject } from '../../plan/change.js';
import { createChange } from '../../plan/change.js';
import { clientOptionText } from '../../plan/client-option.js';
import type { DeclaredDevice, TailscaleDevicesSpec } from './artifacts.js';
import type { TailnetDevice } from './client.js';
import { TailscaleAddressConflictError } from './errors.js';
import type { TailscaleStep } from './step.js';
import { TAILSCALE_PHASES } from './step.js';

/** The node a sidecar runs as, and the other nodes that reported the same host name. */
export interface SidecarNode {
  /** The node the SDK manages: connected first, then the newest. */
  readonly node: TailnetDevice;
  /** Older or offline nodes with the same host name, left alone. */
  readonly others: readonly TailnetDevice[];
}

/**
 * Finds a sidecar's node by the host name it reports (`hostname` in the device list, which is `TS_HOSTNAME`), not by
 * `name`: that is the MagicDNS FQDN, which a person may rename and which gets a `-1` suffix when a second node joins
 * with a taken name (tailscale-client-go-v2 `devices.go` has both fields). When several nodes report the host name (a
 * sidecar that lost its state volume joins again as a new node), the one connected to the control plane wins, then
 * the newest by `created`.
 *
 * @param hostname - The declared host name.
 * @param live - The tailnet's nodes.
 * @returns The node and the others, or `undefined` when no node reports the name yet.
 */
export function findSidecarNode(hostname: string, live: readonly TailnetDevice[]): SidecarNode | undefined {
  const matches = live
    .filter((device) => device.hostname.toLowerCase() === hostname.toLowerCase())
    .sort(
      (a, b) =>
        Number(b.connectedToControl ?? false) - Number(a.connectedToControl ?? false) ||
        (b.created ?? '').localeCompare(a.created ?? '') ||
        a.id.localeCompare(b.id),
    );
  const [node, ...others] = matches;
  return node ? { node, others } : undefined;
}

/** A node's tailnet IPv4 (the address without a colon). */
function ipv4Of(device: TailnetDevice): string | undefined {
  return device.addresses.find((address) => !address.includes(':'));
}

function describeNode(device: TailnetDevice): string {
  const state = device.connectedToControl ? 'online' : `offline, last seen ${device.lastSeen ?? 'never'}`;
  return `${device.name} (id ${device.id}, hostname ${device.hostname}, ${state})`;
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().every((tag, index) => tag === [...b].sort()[index]);
}

/**
 * Works out the steps for the declared nodes against the device list (no request of its own): each found node's tags
 * (the declared set exactly), key expiry and, for Omni's, IPv4. A sidecar with no node yet is a note, not an error
 * (it has not joined). Other nodes with a declared host name, and nodes with a declared tag but an undeclared host
 * name, are listed as unmanaged and never touched.
 *
 * @param spec - The devices artifact.
 * @param live - The tailnet's nodes.
 * @param mintAuthKeys - Whether `--mint-auth-keys` is on (only changes a note).
 * @returns The steps, the unmanaged nodes, and the declared nodes not in the tailnet yet.
 */
export function buildDeviceSteps(
  spec: TailscaleDevicesSpec,
  live: readonly TailnetDevice[],
  mintAuthKeys: boolean,
): { steps: TailscaleStep[]; unmanaged: UnmanagedObject[]; notJoined: DeclaredDevice[] } {
  const steps: TailscaleStep[] = [];
  const unmanaged: UnmanagedObject[] = [];
  const notJoined: DeclaredDevice[] = [];
  const managed = new Set<TailnetDevice>();
  for (const declared of spec.devices) {
    const found = findSidecarNode(declared.hostname, live);
    if (!found) {
      notJoined.push(declared);
      const change = createChange(
        'tailscale',
        'device',
        declared.hostname,
        'no-op',
        [],
        [
          `not in the tailnet yet: the sidecar has not joined; start its stack with an auth key in ${declared.authKey.env}` +
            (mintAuthKeys ? '' : ` (${clientOptionText('mintAuthKeys')} creates one)`),
        ],
      );
      // Only the sidecar can join: apply does not create the node, so the change says the node is absent.
      steps.push({ phase: TAILSCALE_PHASES.devices, change: { ...change, absent: true } });
      continue;
    }
    const { node, others } = found;
    managed.add(node);
    for (const other of others) {
      managed.add(other);
      unmanaged.push({
        kind: 'device',
        id: other.name,
        reason: `another node with hostname ${declared.hostname}, older or offline (${describeNode(other)}); the SDK manages ${node.name}; remove a stale node in the admin console`,
        inSdkNamespace: true,
      });
    }
    steps.push(deviceStep(declared, node, live));
  }
  const declaredTags = new Set(spec.devices.flatMap((device) => device.tags));
  for (const device of live) {
    if (managed.has(device)) continue;
    const tag = (device.tags ?? []).find((candidate) => declaredTags.has(candidate));
    if (tag)
      unmanaged.push({
        kind: 'device',
        id: device.name,
        reason: `carries ${tag} but its hostname ${device.hostname} is not declared in tailscale/devices.json; left alone`,
        inSdkNamespace: true,
      });
  }
  return { steps, unmanaged, notJoined };
}

function deviceStep(declared: DeclaredDevice, node: TailnetDevice, live: readonly TailnetDevice[]): TailscaleStep {
  const fields: FieldDiff[] = [];
  const tags = [...(node.tags ?? [])].sort();
  const wantTags = [...declared.tags].sort();
  if (!sameTags(tags, wantTags)) fields.push({ path: 'tags', before: tags, after: wantTags });
  if (node.keyExpiryDisabled !== declared.keyExpiryDisabled)
    fields.push({ path: 'keyExpiryDisabled', before: node.keyExpiryDisabled, after: declared.keyExpiryDisabled });
  const ipv4 = ipv4Of(node);
  const wantIpv4 = declared.ipv4;
  const ipChange = wantIpv4 !== undefined && ipv4 !== wantIpv4;
  if (ipChange) fields.push({ path: 'ipv4', ...(ipv4 ? { before: ipv4 } : {}), after: wantIpv4 });
  const holder = ipChange ? live.find((other) => other !== node && other.addresses.includes(wantIpv4)) : undefined;
  const conflict = holder
    ? new TailscaleAddressConflictError(
        `cannot give ${declared.hostname} (${node.name}, id ${node.id}) its declared tailnet address ${wantIpv4}: ` +
          `another node holds it: ${describeNode(holder)}. Remove that node in the admin console (Machines) or ` +
          `change its address, then apply again.`,
        wantIpv4!,
        { name: holder.name, id: holder.id },
      )
    : undefined;
  const notes = [
    `node ${node.name} (id ${node.id})`,
    conflict ? `blocked: ${wantIpv4} is held by ${holder!.name}` : '',
  ];
  const change = createChange(
    'tailscale',
    'device',
    declared.hostname,
    fields.length ? 'update' : 'no-op',
    fields,
    notes,
  );
  if (!fields.length) return { phase: TAILSCALE_PHASES.devices, change };
  return {
    phase: TAILSCALE_PHASES.devices,
    change,
    run: async (client, signal) => {
      if (!sameTags(tags, wantTags)) await client.setDeviceTags(node.id, wantTags, signal);
      if (node.keyExpiryDisabled !== declared.keyExpiryDisabled)
        await client.setDeviceKeyExpiry(node.id, declared.keyExpiryDisabled, signal);
      if (conflict) throw conflict;
      if (ipChange) await client.setDeviceIpv4(node.id, wantIpv4, signal);
    },
  };
}
