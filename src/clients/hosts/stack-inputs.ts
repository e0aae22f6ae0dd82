import { load } from 'js-yaml';
import type { Artifact } from '../../generators/artifact.js';
import { ArtifactSetError } from '../../generators/read.js';

/** A file the SDK delivers into a stack's folder. */
export interface StackFile {
  /** Name inside the stack folder, e.g. `compose.yaml`. */
  readonly name: string;
  /** Exact text. */
  readonly content: string;
  /** Lower-case hex SHA-256 of the text. */
  readonly sha256: string;
}

/** What a service reads that Compose does not compare when deciding whether to recreate its container. */
export interface ServiceInputs {
  /** Service name. */
  readonly name: string;
  /** `configs` content it mounts, as written (with `${VAR}` references). */
  readonly configContents: readonly string[];
  /** Variables referenced inside that content. */
  readonly configVariables: readonly string[];
  /** Stack files it bind-mounts (`./provider-config.yaml:/etc/...`). */
  readonly boundFiles: readonly string[];
}

/** What a stack's compose file needs and mounts. */
export interface StackInputs {
  /** The files of the stack folder, by name order. */
  readonly files: readonly StackFile[];
  /** Every variable the stack reads: `.env.example` lines and `${NAME}` references in `compose.yaml`. */
  readonly variables: readonly string[];
  /** Whether `configs` use inline `content` (Compose 2.23.1 or later). */
  readonly usesConfigContent: boolean;
  /** Services, by name order. */
  readonly services: readonly ServiceInputs[];
}

type Yaml = Record<string, unknown>;

const VARIABLE_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)/g;

const referencedVariables = (text: string): string[] => [...text.matchAll(VARIABLE_REFERENCE)].map((m) => m[1] ?? '');

const isRecord = (value: unknown): value is Yaml =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The `configs` a service mounts: short syntax (`- name`) or long (`- source: name`). */
function configSources(service: Yaml): string[] {
  const configs = Array.isArray(service.configs) ? (service.configs as unknown[]) : [];
  return configs.flatMap((entry) =>
    typeof entry === 'string' ? [entry] : isRecord(entry) && typeof entry.source === 'string' ? [entry.source] : [],
  );
}

/** Relative bind-mount sources: short `./file:/target[:mode]` or long `{ type: bind, source: ./file }`. */
function bindSources(service: Yaml): string[] {
  const volumes = Array.isArray(service.volumes) ? (service.volumes as unknown[]) : [];
  return volumes.flatMap((entry) => {
    const source =
      typeof entry === 'string'
        ? entry.split(':')[0]
        : isRecord(entry) && entry.type === 'bind' && typeof entry.source === 'string'
          ? entry.source
          : undefined;
    return source?.startsWith('./') ? [source.slice(2)] : [];
  });
}

/**
 * Reads what a stack's files say about it: the variables it needs, whether it uses `configs: content:`, and per
 * service the config content and bind-mounted files that Compose itself does not watch.
 *
 * @param dir - The stack folder in the output, e.g. `hosts/holly/omni`.
 * @param artifacts - The artifacts inside that folder.
 * @returns The stack's inputs.
 * @throws `ArtifactSetError` when the compose file does not parse or a file sits in a subfolder.
 */
export function readStackInputs(dir: string, artifacts: readonly Artifact[]): StackInputs {
  const files = artifacts
    .map((artifact): StackFile => {
      const name = artifact.path.slice(dir.length + 1);
      if (name.includes('/')) throw new ArtifactSetError(artifact.path, 'sits in a subfolder of its stack');
      return { name, content: artifact.content, sha256: artifact.sha256 };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const composeText = files.find((file) => file.name === 'compose.yaml')?.content ?? '';
  let compose: unknown;
  try {
    compose = load(composeText);
  } catch (cause) {
    throw new ArtifactSetError(`${dir}/compose.yaml`, 'is not YAML; run talos-topology generate again', { cause });
  }
  const doc = isRecord(compose) ? compose : {};
  const configs = isRecord(doc.configs) ? doc.configs : {};
  const contentOf = (name: string): string | undefined => {
    const config = configs[name];
    return isRecord(config) && typeof config.content === 'string' ? config.content : undefined;
  };
  const services = Object.entries(isRecord(doc.services) ? doc.services : {})
    .filter((entry): entry is [string, Yaml] => isRecord(entry[1]))
    .map(([name, service]): ServiceInputs => {
      const configContents = configSources(service).flatMap((source) => contentOf(source) ?? []);
      return {
        name,
        configContents,
        configVariables: [...new Set(configContents.flatMap(referencedVariables))].sort(),
        boundFiles: bindSources(service).filter((file) => files.some((candidate) => candidate.name === file)),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const example = files.find((file) => file.name === '.env.example')?.content ?? '';
  const declared = [...example.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1] ?? '');
  return {
    files,
    variables: [...new Set([...declared, ...referencedVariables(composeText)])].sort(),
    usesConfigContent: Object.keys(configs).some((name) => contentOf(name) !== undefined),
    services,
  };
}
