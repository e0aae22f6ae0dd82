import type { Topology } from '../models/define.js';

/** The URLs Omni advertises, derived from its domain and ports. */
export interface OmniEndpoints {
  /** UI and gRPC API, e.g. `https://omni.spaceships.work`. */
  readonly api: string;
  /** SideroLink machine API, e.g. `https://omni.spaceships.work:8090/`. */
  readonly machineApi: string;
  /** Kubernetes API proxy, e.g. `https://omni.spaceships.work:8100/`. */
  readonly kubernetesProxy: string;
  /** WireGuard endpoint advertised to nodes, `IP:port`. */
  readonly wireguard: string;
}

/**
 * Derives Omni's advertised URLs.
 *
 * @param topology - A validated topology.
 * @returns The URLs, with the default HTTPS port left out.
 */
export function omniEndpoints(topology: Topology): OmniEndpoints {
  const { domain, ports, siderolink } = topology.omni;
  const origin = (port: number): string => `https://${domain}${port === 443 ? '' : `:${port}`}`;
  return {
    api: origin(ports.api),
    machineApi: `${origin(ports.machineApi)}/`,
    kubernetesProxy: `${origin(ports.kubernetesProxy)}/`,
    wireguard: `${siderolink.wireguardAddress}:${ports.wireguard}`,
  };
}
