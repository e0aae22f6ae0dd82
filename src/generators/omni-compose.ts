import type { Topology } from '../models/define.js';
import type { Artifact } from './artifact.js';
import { envExampleArtifact } from './env-example.js';
import { COMPOSE_VERSION_NOTE, composeArtifact, imageReference, omniStackDir } from './host-stack.js';
import { omniEndpoints } from './omni-endpoints.js';
import { OMNI_CONTAINER } from '../rules/stack-containers.js';
import { appNetwork, sidecarService } from './sidecar.js';
import { omniServeConfig } from './tailscale-serve.js';

/**
 * The Omni stack: `hosts/<host>/omni/compose.yaml` (omni + its Tailscale sidecar) and `.env.example`. With host
 * networking (the default, as upstream's `deploy/compose/compose.yaml`) Omni binds `0.0.0.0`, so it listens on the
 * host's LAN address and, with a kernel-mode sidecar, on its tailnet address; no ports are published.
 *
 * @param topology - A validated topology.
 * @returns The two artifacts.
 */
export function omniComposeArtifacts(topology: Topology): Artifact[] {
  const { omni } = topology;
  const host = topology.guests[omni.host];
  if (!host) return [];
  const lan = host.lan.address;
  const endpoints = omniEndpoints(topology);
  const ports = [
    `${lan}:${omni.ports.api}:${omni.ports.api}/tcp`,
    `${lan}:${omni.ports.machineApi}:${omni.ports.machineApi}/tcp`,
    `${lan}:${omni.ports.kubernetesProxy}:${omni.ports.kubernetesProxy}/tcp`,
    `${lan}:${omni.ports.wireguard}:${omni.ports.wireguard}/udp`,
  ];
  const serve = omniServeConfig(topology);
  const serveConfig = `${omni.sidecar.name}-serve`;
  const compose = {
    name: 'omni',
    services: {
      [omni.sidecar.name]: sidecarService(omni.sidecar, serve ? { ports, serveConfig } : { ports }),
      omni: {
        image: imageReference(omni),
        container_name: OMNI_CONTAINER,
        restart: 'unless-stopped',
        ...appNetwork(omni.sidecar),
        devices: ['/dev/net/tun:/dev/net/tun'],
        cap_add: ['NET_ADMIN'],
        volumes: [
          `${omni.dataDir}/etcd:/_out/etcd`,
          `${omni.dataDir}/sqlite:/_out/secondary-storage`,
          `${omni.etcdEncryptionKeyFile}:/omni.asc:ro`,
          `${omni.tls.certFile}:/tls.crt:ro`,
          `${omni.tls.keyFile}:/tls.key:ro`,
        ],
        command: [
          `--account-id=${omni.accountId}`,
          `--name=${omni.name}`,
          '--sqlite-storage-path=/_out/secondary-storage/sqlite.db',
          '--private-key-source=file:///omni.asc',
          '--cert=/tls.crt',
          '--key=/tls.key',
          '--machine-api-cert=/tls.crt',
          '--machine-api-key=/tls.key',
          `--bind-addr=0.0.0.0:${omni.ports.api}`,
          `--machine-api-bind-addr=0.0.0.0:${omni.ports.machineApi}`,
          `--k8s-proxy-bind-addr=0.0.0.0:${omni.ports.kubernetesProxy}`,
          `--siderolink-wireguard-bind-addr=0.0.0.0:${omni.ports.wireguard}`,
          `--event-sink-port=${omni.ports.eventSink}`,
          `--advertised-api-url=${endpoints.api}`,
          `--machine-api-advertised-url=${endpoints.machineApi}`,
          `--advertised-kubernetes-proxy-url=${endpoints.kubernetesProxy}`,
          `--siderolink-wireguard-advertised-addr=${endpoints.wireguard}`,
          '--auth-auth0-enabled=true',
          `--auth-auth0-domain=${omni.auth0.domain}`,
          `--auth-auth0-client-id=${omni.auth0.clientId}`,
          ...omni.initialUsers.map((user) => `--initial-users=${user}`),
          `--eula-accept-name=${omni.eula.name}`,
          `--eula-accept-email=${omni.eula.email}`,
        ],
      },
    },
    ...(serve ? { configs: { [serveConfig]: { content: serve } } } : {}),
    volumes: { [`${omni.sidecar.name}-state`]: {} },
  };
  const dir = omniStackDir(omni.host);
  const address = omni.tailnetAddress
    ? `keeps its tailnet address ${omni.tailnetAddress} (omni.tailnetAddress, the public DNS record)`
    : 'keeps its tailnet address';
  return [
    composeArtifact(topology.name, dir, compose),
    envExampleArtifact(
      topology.name,
      `${dir}/.env.example`,
      [
        {
          name: omni.sidecar.authKey.env,
          description: `Tailscale auth key or OAuth client secret for ${omni.sidecar.name}, non-ephemeral (for an OAuth secret append ?ephemeral=false&preauthorized=true; its client must own ${omni.sidecar.tags.join(', ')}): with the ${omni.sidecar.name}-state volume kept, the node ${address}`,
        },
      ],
      serve ? [COMPOSE_VERSION_NOTE] : [],
    ),
  ];
}
