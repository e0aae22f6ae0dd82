import * as openpgp from 'openpgp';
import type { ArtifactSet } from '../src/generators/artifact.js';
import { generate } from '../src/generators/generate.js';
import { manifestArtifact } from '../src/generators/manifest.js';
import { defineTopology } from '../src/models/define.js';
import { spaceshipsInput } from './fixtures.js';

/** Variations of the spaceships topology for the Omni tests and benchmark. */
export interface SpaceshipsOptions {
  /** Topology name. Defaults to `spaceships`. */
  readonly topology?: string;
  /** Cores of the worker class. Defaults to the example's 8. */
  readonly workerCores?: number;
  /** Worker machine count. Defaults to the example's 3. */
  readonly workers?: number;
  /** Extra machine classes `extra-<n>` (for scale tests). Defaults to 0. */
  readonly extraMachineClasses?: number;
  /** Extra cluster patches `extra-<n>` (for scale tests). Defaults to 0. */
  readonly extraClusterPatches?: number;
  /** Leave out the worker set's `node-labels` patch (to test pruning). Defaults to `false`. */
  readonly withoutWorkerPatch?: boolean;
}

/**
 * The Omni artifacts `talos-topology generate` writes for the spaceships example, with a control-plane and a worker
 * patch added so every patch scope is covered: the Omni tests push exactly what the generator produces.
 *
 * @param options - Size and variations.
 * @returns The Omni artifacts (resources, cluster template, patches), the compose files (which say where each
 * infra provider runs) and their manifest.
 */
export function spaceshipsArtifactSet(options: SpaceshipsOptions = {}): ArtifactSet {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the fixture edits the example freely
  const input = spaceshipsInput() as any;
  if (options.topology) input.name = options.topology;
  const cluster = input.clusters['talos-matrix'];
  if (options.workerCores) input.machineClasses['matrix-worker'].cores = options.workerCores;
  if (options.workers !== undefined) cluster.workers.workers.size = options.workers;
  cluster.features = { enableWorkloadProxy: true, useEmbeddedDiscoveryService: true, backupInterval: '6h' };
  cluster.controlPlane.patches = [
    {
      name: 'etcd-metrics',
      documents: [{ cluster: { etcd: { extraArgs: { 'listen-metrics-urls': 'http://0.0.0.0:2381' } } } }],
    },
  ];
  if (!options.withoutWorkerPatch) {
    cluster.workers.workers.patches = [
      { name: 'node-labels', documents: [{ machine: { nodeLabels: { 'topology.kubernetes.io/zone': 'rack-1' } } }] },
    ];
  }
  for (let index = 0; index < (options.extraMachineClasses ?? 0); index++) {
    input.machineClasses[`extra-${String(index).padStart(4, '0')}`] = {
      provider: 'proxmox',
      cores: 1 + (index % 8),
      memory: 2048,
      diskSize: 20,
      storage: 'vm_ssd',
      network: 'lan',
    };
  }
  for (let index = 0; index < (options.extraClusterPatches ?? 0); index++) {
    cluster.patches.push({
      name: `extra-${index}`,
      documents: [{ machine: { sysctls: { 'net.core.somaxconn': String(1024 + index) } } }],
    });
  }
  const omniArtifacts = generate(defineTopology(input)).artifacts.filter(
    (artifact) => artifact.kind.startsWith('omni-') || artifact.kind === 'talos-patch' || artifact.kind === 'compose',
  );
  return {
    artifacts: [...omniArtifacts, manifestArtifact(input.name, omniArtifacts)].sort((a, b) =>
      a.path < b.path ? -1 : 1,
    ),
  };
}

/**
 * The fingerprint Omni lists for the key inside a base64 service-account key (`{"name", "pgp_key"}`), computed
 * here with openpgp directly rather than by the client under test.
 *
 * @param serviceAccountKey - The base64 key, e.g. as apply wrote it.
 * @returns The lower-case hex fingerprint.
 */
export async function keyIdOf(serviceAccountKey: string): Promise<string> {
  const { pgp_key: armoredKey } = JSON.parse(Buffer.from(serviceAccountKey, 'base64').toString('utf8')) as {
    pgp_key: string;
  };
  return (await openpgp.readKey({ armoredKey })).getFingerprint().toLowerCase();
}
