import type { DeepReadonly, Topology } from '../models/define.js';
import type { ProxmoxProvider } from '../models/provider.js';
import type { Artifact } from './artifact.js';
import { createArtifact } from './artifact.js';
import { envExampleArtifact } from './env-example.js';
import { COMPOSE_VERSION_NOTE, composeArtifact, imageReference, providerStackDir } from './host-stack.js';
import { omniEndpoints } from './omni-endpoints.js';
import { generatedHeader, sortedEntries, toYaml } from './serialize.js';
import { providerContainer } from '../rules/stack-containers.js';
import { appNetwork, sidecarService } from './sidecar.js';

const CONFIG_TARGET = '/etc/omni-infra-provider/config.yaml';

/**
 * The only variable the provider binary reads its Omni key from (besides `--omni-service-account-key`):
 * omni-infra-provider-proxmox `cmd/omni-infra-provider-proxmox/main.go`. The compose file sets it from whatever
 * variable the topology names, and apply reads that name back from the compose file.
 */
export const PROVIDER_KEY_VARIABLE = 'OMNI_SERVICE_ACCOUNT_KEY';

/**
 * The provider's `--config-file` content. `tokenSecret` is left out unless a value expression is given: the artifact
 * on disk never has it, and the compose file adds it by interpolation.
 *
 * @param topology - A validated topology.
 * @param provider - The provider.
 * @param tokenSecret - The value to put in `tokenSecret`, e.g. `${PROXMOX_TOKEN_SECRET}`.
 * @returns The config object.
 */
function providerConfig(
  topology: Topology,
  provider: DeepReadonly<ProxmoxProvider>,
  tokenSecret?: string,
): Record<string, unknown> {
  const access = provider.proxmoxAccess;
  return {
    proxmox: {
      url: topology.proxmox[provider.cluster]?.api.url,
      tokenID: `${access.user}!${access.tokenName}`,
      ...(tokenSecret === undefined ? {} : { tokenSecret }),
      insecureSkipVerify: access.insecureSkipVerify,
    },
  };
}

/** `${NAME:?NAME must be set (see .env.example)}`: Compose refuses to start while the variable is unset. */
function required(name: string): string {
  return `\${${name}:?${name} must be set (see .env.example)}`;
}

/**
 * Each provider's stack in `hosts/<host>/provider-<id>/`: `compose.yaml` (provider + its Tailscale sidecar),
 * `provider-config.yaml` (without the token secret) and `.env.example`. With host networking the provider reaches
 * Omni and Proxmox over the LAN (Omni's domain resolves to its LAN address there: split horizon).
 *
 * @param topology - A validated topology.
 * @returns The artifacts of every provider.
 */
export function providerStackArtifacts(topology: Topology): Artifact[] {
  const artifacts: Artifact[] = [];
  for (const [id, provider] of sortedEntries(topology.providers)) {
    const dir = providerStackDir(provider.host, id);
    const secret = provider.proxmoxAccess.tokenSecret.env;
    const key = provider.serviceAccountKey.env;
    const service = providerContainer(id);
    const compose = {
      name: `omni-infra-provider-${id}`,
      services: {
        [provider.sidecar.name]: sidecarService(provider.sidecar, { ports: [] }),
        [service]: {
          image: imageReference(provider),
          container_name: service,
          restart: 'unless-stopped',
          ...appNetwork(provider.sidecar),
          environment: { [PROVIDER_KEY_VARIABLE]: required(key) },
          configs: [{ source: `${service}-config`, target: CONFIG_TARGET }],
          command: [
            `--id=${id}`,
            `--omni-api-endpoint=${omniEndpoints(topology).api}/`,
            `--config-file=${CONFIG_TARGET}`,
            `--provider-name=${provider.displayName}`,
          ],
        },
      },
      configs: {
        [`${service}-config`]: { content: toYaml(providerConfig(topology, provider, required(secret))) },
      },
      volumes: { [`${provider.sidecar.name}-state`]: {} },
    };
    artifacts.push(
      composeArtifact(topology.name, dir, compose),
      createArtifact(
        `${dir}/provider-config.yaml`,
        'provider-config',
        [
          generatedHeader(topology.name),
          `# The ${id} provider's --config-file, without tokenSecret: compose.yaml builds the mounted file from these keys`,
          `# plus tokenSecret: \${${secret}}, so the secret only ever lives in the environment (.env).`,
          toYaml(providerConfig(topology, provider)),
        ].join('\n'),
      ),
      envExampleArtifact(
        topology.name,
        `${dir}/.env.example`,
        [
          {
            name: provider.sidecar.authKey.env,
            description: `Tailscale auth key or OAuth client secret for ${provider.sidecar.name} (its client must own ${provider.sidecar.tags.join(', ')})`,
          },
          {
            name: key,
            description: `Omni infra-provider service-account key for ${id} (compose.yaml hands it to the provider as ${PROVIDER_KEY_VARIABLE}): written here by talos-topology apply --target omni --provider-key-env-file <this .env> when it registers the provider (once registered, omnictl infraprovider renewkey ${id} makes a new one)`,
          },
          {
            name: secret,
            description: `Secret of the Proxmox API token ${provider.proxmoxAccess.user}!${provider.proxmoxAccess.tokenName} (Proxmox returns it once: talos-topology apply --target proxmox --token-secret-env-file <this .env> writes it here)`,
          },
        ],
        [COMPOSE_VERSION_NOTE],
      ),
    );
  }
  return artifacts;
}
