import type { DeepReadonly } from '../models/define.js';
import type { Sidecar } from '../models/tailnet.js';

/** Where a sidecar keeps its Tailscale state inside the container. */
const TAILSCALE_STATE_DIR = '/var/lib/tailscale';

/** Where a sidecar finds its serve config inside the container. */
const TAILSCALE_SERVE_PATH = '/config/serve.json';

/**
 * The compose service of a Tailscale sidecar. The app container joins its network namespace, so LAN ports are
 * published here, and kernel mode needs the TUN device and `NET_ADMIN` here.
 *
 * @param sidecar - The sidecar model.
 * @param options - LAN ports to publish (`HOST:CONTAINER/PROTO` with the host's LAN IP) and the serve file, if any.
 * @returns The service definition, keys in reading order.
 */
export function sidecarService(
  sidecar: DeepReadonly<Sidecar>,
  options: { readonly ports: readonly string[]; readonly serveFile?: string },
): Record<string, unknown> {
  const environment: Record<string, string> = {
    TS_AUTHKEY: `\${${sidecar.authKey.env}:?${sidecar.authKey.env} must be set (see .env.example)}`,
    TS_AUTH_ONCE: 'true',
    TS_EXTRA_ARGS: `--advertise-tags=${sidecar.tags.join(',')}`,
    TS_HOSTNAME: sidecar.hostname,
    TS_STATE_DIR: TAILSCALE_STATE_DIR,
    TS_USERSPACE: sidecar.mode === 'userspace' ? 'true' : 'false',
  };
  if (options.serveFile) environment.TS_SERVE_CONFIG = TAILSCALE_SERVE_PATH;
  const volumes = [`${sidecar.name}-state:${TAILSCALE_STATE_DIR}`];
  if (options.serveFile) volumes.push(`${options.serveFile}:${TAILSCALE_SERVE_PATH}:ro`);
  return {
    image: `${sidecar.image}:${sidecar.version}`,
    container_name: sidecar.name,
    hostname: sidecar.hostname,
    restart: 'unless-stopped',
    environment: sortObject(environment),
    volumes,
    ...(sidecar.mode === 'kernel' ? { devices: ['/dev/net/tun:/dev/net/tun'], cap_add: ['NET_ADMIN'] } : {}),
    ...(options.ports.length > 0 ? { ports: [...options.ports] } : {}),
  };
}

/**
 * The service fields that put an app container into its sidecar's network namespace.
 *
 * @param sidecar - The sidecar model.
 * @returns `network_mode` and `depends_on`.
 */
export function joinSidecar(sidecar: DeepReadonly<Sidecar>): Record<string, unknown> {
  return { network_mode: `service:${sidecar.name}`, depends_on: [sidecar.name] };
}

function sortObject(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
