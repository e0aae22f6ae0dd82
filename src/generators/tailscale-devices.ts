import type { DeepReadonly, Topology } from '../models/define.js';
import type { Sidecar } from '../models/tailnet.js';
import type { Artifact } from './artifact.js';
import { createArtifact } from './artifact.js';
import { omniStackDir, providerStackDir } from './host-stack.js';
import { toCanonicalJson, sortedEntries } from './serialize.js';

/** One sidecar's node as `devices.json` declares it. */
interface DeclaredDevice {
  readonly hostname: string;
  readonly stack: string;
  readonly tags: readonly string[];
  readonly keyExpiryDisabled: true;
  readonly ipv4?: string;
  readonly authKey: { readonly env: string; readonly envFile: string };
}

function declaredDevice(sidecar: DeepReadonly<Sidecar>, stackDir: string, ipv4: string | undefined): DeclaredDevice {
  return {
    hostname: sidecar.hostname,
    stack: stackDir,
    tags: [...sidecar.tags].sort(),
    // Every sidecar is an infrastructure node: an expiring node key would silently drop Omni or a provider off the
    // tailnet (tagged nodes joined by auth key get key expiry disabled by default, but a person may re-enable it).
    keyExpiryDisabled: true,
    ...(ipv4 === undefined ? {} : { ipv4 }),
    authKey: { env: sidecar.authKey.env, envFile: `${stackDir}/.env` },
  };
}

/**
 * `tailscale/devices.json`: the tailnet node each sidecar (Omni's and every provider's) runs as: its hostname, its
 * tags, key expiry disabled (they are infrastructure nodes), for Omni's node the declared `omni.tailnetAddress` (the
 * public DNS record points there), and where its auth key is read from: the variable (by reference, never a value)
 * and the stack's `.env` in the output folder that `apply --target tailscale --mint-auth-keys` writes a new key into.
 *
 * @param topology - A validated topology.
 * @returns The devices artifact.
 */
export function tailscaleDevicesArtifact(topology: Topology): Artifact {
  const { omni } = topology;
  const devices = [
    declaredDevice(omni.sidecar, omniStackDir(omni.host), omni.tailnetAddress),
    ...sortedEntries(topology.providers).map(([id, provider]) =>
      declaredDevice(provider.sidecar, providerStackDir(provider.host, id), undefined),
    ),
  ].sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0));
  return createArtifact(
    'tailscale/devices.json',
    'tailscale-devices',
    toCanonicalJson({ topology: topology.name, tailnet: topology.tailnet.magicDnsSuffix, devices }),
  );
}
