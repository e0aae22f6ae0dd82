import type { Topology } from '../models/define.js';
import { toCanonicalJson } from './serialize.js';

/**
 * The `ipn.ServeConfig` JSON of Omni's sidecar when it serves (userspace mode only): the ports people use over the
 * tailnet, the UI/API and the Kubernetes proxy (as the policy grants them), passed through as TCP to the loopback, so
 * Omni keeps terminating TLS with its own certificate for its domain. The machine API and WireGuard stay LAN-only:
 * Talos VMs reach them there.
 * It goes inline into Omni's compose file (`configs: content:`), so the host folder needs nothing outside it; it has
 * no `$`, so Compose's interpolation leaves it as it is.
 *
 * @param topology - A validated topology.
 * @returns The serve config text, or `undefined` when the sidecar does not serve.
 */
export function omniServeConfig(topology: Topology): string | undefined {
  const { omni } = topology;
  if (!omni.sidecar.serve) return undefined;
  const tcpPorts = [omni.ports.api, omni.ports.kubernetesProxy];
  return toCanonicalJson({
    TCP: Object.fromEntries(tcpPorts.map((port) => [String(port), { TCPForward: `127.0.0.1:${port}` }])),
  });
}
