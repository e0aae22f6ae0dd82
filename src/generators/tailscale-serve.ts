import type { Topology } from '../models/define.js';
import type { Artifact } from './artifact.js';
import { createArtifact } from './artifact.js';
import { toCanonicalJson } from './serialize.js';

/**
 * Where a host's serve config is written.
 *
 * @param host - The guest's key.
 * @returns The artifact path.
 */
export function serveConfigPath(host: string): string {
  return `tailscale/serve-${host}.json`;
}

/**
 * `tailscale/serve-<host>.json` for the Omni sidecar when it serves: every TCP port of Omni passed through as TCP,
 * so Omni keeps terminating TLS with its own certificate.
 *
 * @param topology - A validated topology.
 * @returns The serve config artifact, or nothing when the sidecar does not serve.
 */
export function tailscaleServeArtifacts(topology: Topology): Artifact[] {
  const { omni } = topology;
  if (!omni.sidecar.serve) return [];
  const tcpPorts = [omni.ports.api, omni.ports.machineApi, omni.ports.kubernetesProxy];
  const serve = {
    TCP: Object.fromEntries(tcpPorts.map((port) => [String(port), { TCPForward: `127.0.0.1:${port}` }])),
  };
  return [createArtifact(serveConfigPath(omni.host), 'tailscale-serve', toCanonicalJson(serve))];
}
