import type { DeepReadonly, Topology } from '../models/define.js';
import type { MachineSet, TalosCluster, TalosPatch } from '../models/talos-cluster.js';
import type { Artifact } from './artifact.js';
import { createArtifact } from './artifact.js';
import { MANAGED_BY_ANNOTATION } from './ownership.js';
import { generatedHeader, sortedEntries, toYamlDocuments } from './serialize.js';

/**
 * Omni's patch weights: cluster patches start at 200, machine-set patches at 400 (`PatchBaseWeightCluster`,
 * `PatchBaseWeightMachineSet` in Omni's `client/pkg/constants`). The model caps the number of patches per layer so
 * that the weights of the two layers never meet (`MAX_CLUSTER_PATCHES` in `models/talos-cluster.ts`).
 */
const CLUSTER_PATCH_WEIGHT = 200;
const MACHINE_SET_PATCH_WEIGHT = 400;

interface PatchFile {
  readonly entry: Record<string, unknown>;
  readonly artifact: Artifact;
}

/**
 * The patch files of one layer. Each machine set's patches get a folder of their own (`patches/<set>/`, the control
 * plane's is `control-planes`, a name no worker set may take) and the cluster's sit in `patches/` itself: a patch
 * file's path is then unique by construction, where `<set>-<patch>` in one folder was not (sets `a` with patch
 * `b-c` and `a-b` with patch `c` both gave `400-a-b-c.yaml`). Names hold no `.`, so no set folder is a file name.
 */
function patchFiles(
  topologyName: string,
  cluster: string,
  set: string | undefined,
  baseWeight: number,
  patches: readonly DeepReadonly<TalosPatch>[],
): PatchFile[] {
  return patches.map((patch, index) => {
    const file = `${cluster}/patches/${set ? `${set}/` : ''}${baseWeight + index}-${patch.name}.yaml`;
    const header = [generatedHeader(topologyName), ...(patch.description ? [`# ${patch.description}`] : [])].join('\n');
    return {
      entry: {
        name: patch.name,
        file,
        ...(patch.description ? { annotations: { description: patch.description } } : {}),
      },
      artifact: createArtifact(
        `omni/clusters/${file}`,
        'talos-patch',
        `${header}\n${toYamlDocuments(patch.documents)}`,
      ),
    };
  });
}

function machineSetDocument(
  kind: 'ControlPlane' | 'Workers',
  name: string | undefined,
  set: DeepReadonly<MachineSet>,
  patches: readonly PatchFile[],
): Record<string, unknown> {
  return {
    kind,
    ...(name ? { name } : {}),
    machineClass: { name: set.machineClass, size: set.size },
    ...(patches.length > 0 ? { patches: patches.map((patch) => patch.entry) } : {}),
    ...(set.systemExtensions ? { systemExtensions: [...set.systemExtensions] } : {}),
  };
}

function clusterArtifacts(topology: Topology, name: string, cluster: DeepReadonly<TalosCluster>): Artifact[] {
  const clusterPatches = patchFiles(topology.name, name, undefined, CLUSTER_PATCH_WEIGHT, cluster.patches);
  const controlPlanePatches = patchFiles(
    topology.name,
    name,
    'control-planes',
    MACHINE_SET_PATCH_WEIGHT,
    cluster.controlPlane.patches,
  );
  const workers = sortedEntries(cluster.workers).map(([set, spec]) => {
    const patches = patchFiles(topology.name, name, set, MACHINE_SET_PATCH_WEIGHT, spec.patches);
    return { document: machineSetDocument('Workers', set, spec, patches), patches };
  });
  const documents = [
    {
      kind: 'Cluster',
      name,
      annotations: { [MANAGED_BY_ANNOTATION]: topology.name },
      kubernetes: { version: cluster.kubernetesVersion },
      talos: { version: cluster.talosVersion },
      features: {
        diskEncryption: cluster.features.diskEncryption,
        enableWorkloadProxy: cluster.features.enableWorkloadProxy,
        useEmbeddedDiscoveryService: cluster.features.useEmbeddedDiscoveryService,
        ...(cluster.features.backupInterval
          ? { backupConfiguration: { interval: cluster.features.backupInterval } }
          : {}),
      },
      ...(clusterPatches.length > 0 ? { patches: clusterPatches.map((patch) => patch.entry) } : {}),
      ...(cluster.systemExtensions ? { systemExtensions: [...cluster.systemExtensions] } : {}),
    },
    machineSetDocument('ControlPlane', undefined, cluster.controlPlane, controlPlanePatches),
    ...workers.map((set) => set.document),
  ];
  return [
    createArtifact(
      `omni/clusters/${name}.yaml`,
      'omni-cluster-template',
      `${generatedHeader(topology.name)}\n${toYamlDocuments(documents)}`,
    ),
    ...[...clusterPatches, ...controlPlanePatches, ...workers.flatMap((set) => set.patches)].map(
      (patch) => patch.artifact,
    ),
  ];
}

/**
 * `omni/clusters/<cluster>.yaml` (an Omni cluster template) and its Talos patch files under
 * `omni/clusters/<cluster>/patches/`, named by Omni's weights: `<200+i>-<name>.yaml` for the cluster's,
 * `<set>/<400+i>-<name>.yaml` for a machine set's (`control-planes` for the control plane).
 *
 * @param topology - A validated topology.
 * @returns The template and patch artifacts of every cluster.
 */
export function clusterTemplateArtifacts(topology: Topology): Artifact[] {
  return sortedEntries(topology.clusters).flatMap(([name, cluster]) => clusterArtifacts(topology, name, cluster));
}
