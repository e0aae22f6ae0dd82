import * as z from '../../models/zod.js';
import type { ArtifactSet } from '../../generators/artifact.js';
import { artifactsOfKind } from '../../generators/artifact.js';
import { ArtifactSetError } from '../../generators/read.js';
import { parseJsonArtifact } from '../json-artifact.js';

const DeclaredDeviceSchema = z.object({
  hostname: z.string().min(1),
  stack: z.string().min(1),
  tags: z.array(z.string().regex(/^tag:[A-Za-z0-9-]+$/)).min(1),
  keyExpiryDisabled: z.boolean(),
  ipv4: z.string().optional(),
  authKey: z.object({ env: z.string().min(1), envFile: z.string().min(1) }),
});

const DevicesArtifactSchema = z.object({
  topology: z.string().min(1),
  tailnet: z.string().min(1),
  devices: z.array(DeclaredDeviceSchema),
});

/** One sidecar's node, as `tailscale/devices.json` declares it. */
export interface DeclaredDevice {
  /** The host name the sidecar reports (`TS_HOSTNAME`). */
  readonly hostname: string;
  /** The stack folder in the output folder, e.g. `hosts/holly/omni`. */
  readonly stack: string;
  /** The node's complete tag set. */
  readonly tags: readonly string[];
  /** `true`: the node key must never expire. */
  readonly keyExpiryDisabled: boolean;
  /** The node's tailnet IPv4, when declared (Omni's). */
  readonly ipv4?: string;
  /** Where the sidecar's auth key is read from: the variable and the stack's `.env` (relative to the output folder). */
  readonly authKey: {
    /** The variable the sidecar reads it from, e.g. `TS_AUTHKEY`. */
    readonly env: string;
    /** The stack's `.env`, relative to the output folder. */
    readonly envFile: string;
  };
}

/** The `tailscale-devices` artifact. */
export interface TailscaleDevicesSpec {
  /** Topology name; auth keys the SDK creates carry it in their description. */
  readonly topology: string;
  /** MagicDNS suffix of the tailnet. */
  readonly tailnet: string;
  /** The nodes. */
  readonly devices: readonly DeclaredDevice[];
}

/** The Tailscale artifacts of a set. */
export interface TailscaleArtifacts {
  /** The sidecars' nodes, when present. */
  readonly devices?: TailscaleDevicesSpec;
  /** The policy snippet's text (`tailscale/policy.hujson`), when present. */
  readonly policySnippet?: string;
}

/**
 * Reads the Tailscale artifacts of a set, checking what the plan relies on: one node per host name (a second node
 * with one name would be found as the first).
 *
 * @param set - The artifact set.
 * @returns The devices artifact and the policy snippet, when present.
 * @throws `ArtifactSetError` for a malformed artifact or a host name declared twice.
 */
export function readTailscaleArtifacts(set: ArtifactSet): TailscaleArtifacts {
  const devicesArtifact = artifactsOfKind(set, 'tailscale-devices')[0];
  const policyArtifact = artifactsOfKind(set, 'tailscale-policy')[0];
  const devices = devicesArtifact
    ? parseJsonArtifact<TailscaleDevicesSpec>(devicesArtifact, DevicesArtifactSchema)
    : undefined;
  if (devicesArtifact && devices) {
    const seen = new Set<string>();
    for (const device of devices.devices) {
      const name = device.hostname.toLowerCase();
      if (seen.has(name))
        throw new ArtifactSetError(
          devicesArtifact.path,
          `declares hostname ${device.hostname} twice; give each sidecar its own hostname`,
        );
      seen.add(name);
    }
  }
  return { ...(devices ? { devices } : {}), ...(policyArtifact ? { policySnippet: policyArtifact.content } : {}) };
}
