import type { Topology } from '../models/define.js';
import type { Artifact } from './artifact.js';
import { createArtifact } from './artifact.js';
import { envExampleArtifact } from './env-example.js';
import { omniEndpoints } from './omni-endpoints.js';
import { generatedHeader, toYaml } from './serialize.js';
import { joinSidecar, sidecarService } from './sidecar.js';
import { serveConfigPath } from './tailscale-serve.js';

/**
 * The Omni host's stack: `hosts/<host>/compose.yaml` (omni + its Tailscale sidecar) and `.env.example`.
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
  const serveFile = omni.sidecar.serve ? `../../${serveConfigPath(omni.host)}` : undefined;
  const compose = {
    name: 'omni',
    services: {
      [omni.sidecar.name]: sidecarService(omni.sidecar, serveFile ? { ports, serveFile } : { ports }),
      omni: {
        image: `${omni.image}:${omni.version}`,
        container_name: 'omni',
        restart: 'unless-stopped',
        ...joinSidecar(omni.sidecar),
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
    volumes: { [`${omni.sidecar.name}-state`]: {} },
  };
  const dir = `hosts/${omni.host}`;
  return [
    createArtifact(`${dir}/compose.yaml`, 'compose', `${generatedHeader(topology.name)}\n${toYaml(compose)}`),
    envExampleArtifact(topology.name, `${dir}/.env.example`, [
      {
        name: omni.sidecar.authKey.env,
        description: `Tailscale auth key or OAuth client secret for ${omni.sidecar.name} (for an OAuth secret append ?ephemeral=false&preauthorized=true; its client must own ${omni.sidecar.tags.join(', ')})`,
      },
    ]),
  ];
}
