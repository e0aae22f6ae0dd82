import type { DeepReadonly } from '../models/define.js';
import type { Sidecar } from '../models/tailnet.js';
import { imageReference } from './host-stack.js';

/** Where a sidecar keeps its Tailscale state inside the container. */
const TAILSCALE_STATE_DIR = '/var/lib/tailscale';

/** Where a sidecar finds its serve config inside the container. */
const TAILSCALE_SERVE_PATH = '/config/serve.json';

/**
 * Where containerboot serves `/healthz` in the shared namespace (`TS_LOCAL_ADDR_PORT`; loopback, so nothing outside
 * the namespace reaches it, and no port Omni or the provider listens on).
 */
const HEALTH_ADDR_PORT = '127.0.0.1:9002';

/** Options of {@link sidecarService}. */
export interface SidecarServiceOptions {
  /** LAN ports to publish (`HOST_IP:PORT:PORT/PROTO`); used only in the shared namespace (host networking has none). */
  readonly ports: readonly string[];
  /** The compose config (top-level `configs` key) holding the serve config, when the sidecar serves. */
  readonly serveConfig?: string;
}

/**
 * The compose service of a Tailscale sidecar.
 *
 * With host networking it runs in the host's namespace (`network_mode: host`, no ports; the node's tailnet name
 * comes from `TS_HOSTNAME`, so no container `hostname`). In the shared namespace it owns the namespace: it publishes the app's LAN
 * ports and has a healthcheck on containerboot's `/healthz`, which answers 200 once the node has a tailnet address
 * and 503 before (`TS_ENABLE_HEALTH_CHECK`, tailscale `cmd/containerboot`, 1.78+). The probe is busybox `wget`: the
 * image is built on `tailscale/alpine-base` (tailscale `build_docker.sh`). Kernel mode needs the TUN device and
 * `NET_ADMIN` either way.
 *
 * @param sidecar - The sidecar model.
 * @param options - LAN ports and the serve config.
 * @returns The service definition, keys in reading order.
 */
export function sidecarService(
  sidecar: DeepReadonly<Sidecar>,
  options: SidecarServiceOptions,
): Record<string, unknown> {
  const shared = sidecar.network === 'shared-namespace';
  const environment: Record<string, string> = {
    TS_AUTHKEY: `\${${sidecar.authKey.env}:?${sidecar.authKey.env} must be set (see .env.example)}`,
    TS_AUTH_ONCE: 'true',
    TS_EXTRA_ARGS: `--advertise-tags=${sidecar.tags.join(',')}`,
    TS_HOSTNAME: sidecar.hostname,
    TS_STATE_DIR: TAILSCALE_STATE_DIR,
    TS_USERSPACE: sidecar.mode === 'userspace' ? 'true' : 'false',
  };
  if (options.serveConfig) environment.TS_SERVE_CONFIG = TAILSCALE_SERVE_PATH;
  // In the host's namespace the host's resolver must stay the LAN's (UniFi answers the Omni domain with the LAN
  // address: split horizon); containerboot leaves it alone unless TS_ACCEPT_DNS is true, and this says so.
  if (!shared) environment.TS_ACCEPT_DNS = 'false';
  if (shared) {
    environment.TS_ENABLE_HEALTH_CHECK = 'true';
    environment.TS_LOCAL_ADDR_PORT = HEALTH_ADDR_PORT;
  }
  return {
    image: imageReference(sidecar),
    container_name: sidecar.name,
    ...(shared ? { hostname: sidecar.hostname } : { network_mode: 'host' }),
    restart: 'unless-stopped',
    environment: sortObject(environment),
    volumes: [`${sidecar.name}-state:${TAILSCALE_STATE_DIR}`],
    ...(options.serveConfig ? { configs: [{ source: options.serveConfig, target: TAILSCALE_SERVE_PATH }] } : {}),
    ...(sidecar.mode === 'kernel' ? { devices: ['/dev/net/tun:/dev/net/tun'], cap_add: ['NET_ADMIN'] } : {}),
    ...(shared && options.ports.length > 0 ? { ports: [...options.ports] } : {}),
    ...(shared
      ? {
          healthcheck: {
            test: ['CMD', 'wget', '-q', '-O', '/dev/null', `http://${HEALTH_ADDR_PORT}/healthz`],
            interval: '10s',
            timeout: '5s',
            retries: 3,
            start_period: '30s',
          },
        }
      : {}),
  };
}

/**
 * The service fields that give an app container its network: the host's (`network_mode: host`), or its sidecar's
 * namespace, started once the sidecar is healthy and restarted by Compose whenever Compose restarts the sidecar
 * (`depends_on.restart`), so it never keeps a dead namespace after `docker compose restart` or `up`.
 *
 * @param sidecar - The sidecar model.
 * @returns `network_mode`, and `depends_on` in the shared namespace.
 */
export function appNetwork(sidecar: DeepReadonly<Sidecar>): Record<string, unknown> {
  if (sidecar.network === 'host') return { network_mode: 'host' };
  return {
    network_mode: `service:${sidecar.name}`,
    depends_on: { [sidecar.name]: { condition: 'service_healthy', restart: true } },
  };
}

function sortObject(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
