/**
 * Where each Docker Compose stack lives in the output folder, and the parts every stack shares: image references
 * and the compose file's header.
 *
 * One folder per stack, `hosts/<guest>/<stack>/`: Omni's stack is `omni`, a provider's is `provider-<id>`. The two
 * names can never be equal (no provider id makes `provider-<id>` read `omni`), and provider ids are unique, so Omni
 * and any number of providers on one guest each get their own `compose.yaml` and `.env.example` by construction.
 * Separate stacks rather than one file per guest, because each stack is started, restarted and upgraded on its own
 * (`docker compose up -d` in its folder) and keeps its own `.env`, into which apply writes that stack's secrets.
 *
 * @module
 */
import type { DeepReadonly } from '../models/define.js';
import type { Artifact } from './artifact.js';
import { createArtifact } from './artifact.js';
import { generatedHeader, toYaml } from './serialize.js';

/** The Docker Compose release that added `configs: content:` (inline config files), which the stacks use. */
export const COMPOSE_CONFIG_CONTENT_VERSION = '2.23.1';

/** The note compose files and `.env.example` files carry when the stack uses `configs: content:`. */
export const COMPOSE_VERSION_NOTE = `Needs Docker Compose ${COMPOSE_CONFIG_CONTENT_VERSION} or later (configs: content:); check with docker compose version.`;

/**
 * The folder of Omni's stack.
 *
 * @param host - The guest that runs Omni.
 * @returns `hosts/<host>/omni`.
 */
export function omniStackDir(host: string): string {
  return `hosts/${host}/omni`;
}

/**
 * The folder of a provider's stack.
 *
 * @param host - The guest that runs the provider.
 * @param id - The provider id.
 * @returns `hosts/<host>/provider-<id>`.
 */
export function providerStackDir(host: string, id: string): string {
  return `hosts/${host}/provider-${id}`;
}

/** A container image as the models describe it. */
export interface ImageSpec {
  /** Image without a tag. */
  readonly image: string;
  /** Tag. */
  readonly version: string;
  /** Digest, `sha256:…`, when pinned. */
  readonly digest?: string | undefined;
}

/**
 * The image reference for compose: `image:tag`, or `image:tag@sha256:…` when pinned (Docker then pulls by digest and
 * the tag only documents what it was).
 *
 * @param spec - Image, tag and optional digest.
 * @returns The reference.
 */
export function imageReference(spec: DeepReadonly<ImageSpec>): string {
  return `${spec.image}:${spec.version}${spec.digest ? `@${spec.digest}` : ''}`;
}

/**
 * A stack's `compose.yaml`: the generated-by header, the Compose version note when the file has `configs` (inline
 * content needs Compose 2.23.1+), then the YAML.
 *
 * @param topologyName - The topology's name.
 * @param dir - The stack's folder.
 * @param compose - The compose document.
 * @returns The artifact.
 */
export function composeArtifact(
  topologyName: string,
  dir: string,
  compose: Readonly<Record<string, unknown>>,
): Artifact {
  const header = [generatedHeader(topologyName)];
  if (compose.configs !== undefined) header.push(`# ${COMPOSE_VERSION_NOTE}`);
  return createArtifact(`${dir}/compose.yaml`, 'compose', `${header.join('\n')}\n${toYaml(compose)}`);
}
