/**
 * Each host folder is self-contained: a person copies `hosts/<guest>/<stack>/` to the machine and runs
 * `docker compose up -d` there, so no relative path in a compose file may point outside that folder (Compose would
 * create a missing bind-mount source as an empty directory, and containerboot's serve loader then fails fatally).
 */
import { posix } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { TopologyInput } from '../src/models/define.js';
import { defineTopology } from '../src/models/define.js';
import { generate } from '../src/generators/generate.js';
import { singleSiteInput, spaceshipsInput } from './fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the walker reads any compose document
type Loose = any;

/** A path Compose resolves against the compose file's folder (absolute host paths are the model's, on purpose). */
function isLocalPath(source: string): boolean {
  return source.startsWith('.') || source.startsWith('~') || (source.includes('/') && !source.startsWith('/'));
}

/** Every file-system path a compose document names, with where it is named. */
function composePaths(compose: Loose): { where: string; path: string }[] {
  const found: { where: string; path: string }[] = [];
  const add = (where: string, path: unknown): void => {
    if (typeof path === 'string') found.push({ where, path });
  };
  for (const [name, service] of Object.entries<Loose>(compose.services ?? {})) {
    for (const [index, volume] of (service.volumes ?? []).entries()) {
      if (typeof volume === 'string') add(`services.${name}.volumes.${index}`, volume.split(':')[0]);
      else if (volume?.type === 'bind') add(`services.${name}.volumes.${index}.source`, volume.source);
    }
    for (const [index, envFile] of [service.env_file ?? []].flat().entries()) {
      add(`services.${name}.env_file.${index}`, typeof envFile === 'string' ? envFile : envFile?.path);
    }
    for (const [index, labelFile] of [service.label_file ?? []].flat().entries()) {
      add(`services.${name}.label_file.${index}`, labelFile);
    }
    if (typeof service.build === 'string') add(`services.${name}.build`, service.build);
    add(`services.${name}.build.context`, service.build?.context);
    add(`services.${name}.extends.file`, service.extends?.file);
  }
  for (const section of ['configs', 'secrets'] as const) {
    for (const [name, entry] of Object.entries<Loose>(compose[section] ?? {}))
      add(`${section}.${name}.file`, entry?.file);
  }
  for (const [index, include] of [compose.include ?? []].flat().entries()) {
    add(`include.${index}`, typeof include === 'string' ? include : include?.path);
  }
  return found;
}

/** The relative paths of every compose file of a topology that leave the compose file's folder. */
function escapingPaths(input: TopologyInput): string[] {
  const escaping: string[] = [];
  for (const artifact of generate(defineTopology(input)).artifacts.filter((a) => a.kind === 'compose')) {
    const dir = posix.dirname(artifact.path);
    for (const { where, path } of composePaths(load(artifact.content))) {
      if (!isLocalPath(path)) continue;
      const resolved = posix.normalize(posix.join(dir, path));
      if (path.startsWith('~') || !resolved.startsWith(`${dir}/`)) escaping.push(`${artifact.path}: ${where}: ${path}`);
    }
  }
  return escaping;
}

/** The examples and variants of them: every network form, both sidecar modes, serving or not, stacks side by side. */
function variants(): [string, TopologyInput][] {
  const result: [string, TopologyInput][] = [
    ['spaceships', spaceshipsInput()],
    ['single-site', singleSiteInput()],
  ];
  for (const network of ['host', 'shared-namespace'] as const) {
    for (const mode of ['kernel', 'userspace'] as const) {
      const spaceships = spaceshipsInput() as Loose;
      for (const sidecar of [spaceships.omni.sidecar, spaceships.providers.proxmox.sidecar]) {
        Object.assign(sidecar, { network, mode, serve: mode === 'userspace' });
      }
      result.push([`spaceships ${network} ${mode}`, spaceships]);
      const lab = singleSiteInput() as Loose;
      lab.providers['pve-lab'].host = 'mgmt';
      Object.assign(lab.omni.sidecar, { network, mode, serve: mode === 'userspace' });
      // One kernel-mode tailscaled per host namespace (stacks-side-by-side): the provider's then keeps its own.
      const providerNetwork = mode === 'kernel' ? 'shared-namespace' : network;
      Object.assign(lab.providers['pve-lab'].sidecar, { network: providerNetwork, mode, serve: mode === 'userspace' });
      result.push([`single-site side by side ${network} ${mode}`, lab]);
    }
  }
  return result;
}

describe('host folders', () => {
  it.each(variants())('%s: every relative path in every compose file stays inside its folder', (_name, input) => {
    expect(escapingPaths(input)).toEqual([]);
  });

  it('the walker sees the paths Compose resolves, and flags one that leaves the folder', () => {
    const compose = {
      services: {
        a: {
          volumes: ['./data:/data', '../../shared/x.json:/x.json:ro', 'named:/n', { type: 'bind', source: '../y' }],
          env_file: ['.env', { path: '../z.env' }],
          build: { context: '..' },
        },
      },
      configs: { c: { file: '../../c.yaml' }, d: { content: 'inline' } },
    };
    expect(composePaths(compose).filter(({ path }) => isLocalPath(path))).toEqual([
      { where: 'services.a.volumes.0', path: './data' },
      { where: 'services.a.volumes.1', path: '../../shared/x.json' },
      { where: 'services.a.volumes.3.source', path: '../y' },
      { where: 'services.a.env_file.0', path: '.env' },
      { where: 'services.a.env_file.1', path: '../z.env' },
      { where: 'services.a.build.context', path: '..' },
      { where: 'configs.c.file', path: '../../c.yaml' },
    ]);
  });
});
