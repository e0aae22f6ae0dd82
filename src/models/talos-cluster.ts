import * as z from './zod.js';
import { lazy } from './lazy.js';
import { nameSchema, refineWith, versionSchema, WHEN_VALID } from './primitives.js';
import { checkStrategicMergeDocument, checkTalosCluster } from './refinements.js';

/** A system extension by its full catalog name, e.g. `siderolabs/qemu-guest-agent`. */
const systemExtensionSchema = lazy(() =>
  z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'must be a full extension name such as siderolabs/qemu-guest-agent'),
);

/** One Talos config document of a patch: the legacy v1alpha1 document or a kind document. */
const talosDocumentSchema = lazy(() =>
  refineWith(z.record(z.string(), z.unknown()), checkStrategicMergeDocument, WHEN_VALID),
);

/** A strategic-merge Talos patch with a name, one or more documents. */
export const talosPatchSchema = lazy(() =>
  z.strictObject({
    /** Patch name; becomes part of the ConfigPatch id. */
    name: nameSchema().meta({ description: 'Patch name; becomes part of the ConfigPatch id.' }),
    /** What the patch is for, shown in Omni. */
    description: z.string().optional().meta({ description: 'What the patch is for, shown in Omni.' }),
    /** The documents of the patch (multi-document YAML when more than one). */
    documents: z
      .array(talosDocumentSchema())
      .min(1)
      .meta({ description: 'The documents of the patch (multi-document YAML when more than one).' }),
  }),
);

/**
 * Most patches a cluster may have. Omni numbers a template's patches `<weight>-<prefix>-<name>` with the weight as
 * three digits (`%03d`, `client/pkg/template/internal/models/patch.go`), cluster patches from 200 and machine-set
 * patches from 400 (`client/pkg/constants`): 200 keeps the cluster's weights in 200–399, below the sets'.
 */
const MAX_CLUSTER_PATCHES = 200;

/** Most patches a machine set may have: weights 400–999 stay three digits, so Omni's lexical order is numeric. */
const MAX_MACHINE_SET_PATCHES = 600;

/** A machine set allocated from a machine class. */
export const machineSetSchema = lazy(() =>
  z.strictObject({
    /** The machine class (a key of `machineClasses`). */
    machineClass: nameSchema().meta({ description: 'The machine class (a key of `machineClasses`).' }),
    /** Number of machines. */
    size: z.int().min(0).meta({ description: 'Number of machines.' }),
    /** Patches for this set only (at most 600). */
    patches: z
      .array(talosPatchSchema())
      .max(MAX_MACHINE_SET_PATCHES, `at most ${MAX_MACHINE_SET_PATCHES} patches per machine set (Omni weights 400–999)`)
      .default([])
      .meta({ description: 'Patches for this set only (at most 600).' }),
    /** Extensions for this set only; replaces the cluster's list and the provider's defaults. */
    systemExtensions: z
      .array(systemExtensionSchema())
      .optional()
      .meta({ description: "Extensions for this set only; replaces the cluster's list and the provider's defaults." }),
  }),
);

/** A Talos Kubernetes cluster managed by Omni. */
export const talosClusterSchema = lazy(() =>
  refineWith(
    z.strictObject({
      /** Talos version. */
      talosVersion: versionSchema().meta({ description: 'Talos version.' }),
      /**
       * Talos version the cluster was created with; Omni generates configs in its style. Defaults to `talosVersion`.
       */
      initialTalosVersion: versionSchema().optional().meta({
        description:
          'Talos version the cluster was created with; Omni generates configs in its style. Defaults to `talosVersion`.',
      }),
      /** Kubernetes version. */
      kubernetesVersion: versionSchema().meta({ description: 'Kubernetes version.' }),
      /** The control plane set. */
      controlPlane: machineSetSchema().meta({ description: 'The control plane set.' }),
      /** Worker sets by name. */
      workers: z.record(nameSchema(), machineSetSchema()).default({}).meta({ description: 'Worker sets by name.' }),
      /** Patches for the whole cluster (at most 200). */
      patches: z
        .array(talosPatchSchema())
        .max(
          MAX_CLUSTER_PATCHES,
          `at most ${MAX_CLUSTER_PATCHES} cluster patches (Omni weights 200–399; sets start at 400)`,
        )
        .default([])
        .meta({ description: 'Patches for the whole cluster (at most 200).' }),
      /** Extensions for the whole cluster; replaces the provider's defaults. */
      systemExtensions: z
        .array(systemExtensionSchema())
        .optional()
        .meta({ description: "Extensions for the whole cluster; replaces the provider's defaults." }),
      /** Omni cluster features. */
      features: z
        .strictObject({
          /** Encrypt node disks with keys held by Omni (immutable after creation). */
          diskEncryption: z
            .boolean()
            .default(false)
            .meta({ description: 'Encrypt node disks with keys held by Omni (immutable after creation).' }),
          /** Expose cluster services through Omni's workload proxy. */
          enableWorkloadProxy: z
            .boolean()
            .default(false)
            .meta({ description: "Expose cluster services through Omni's workload proxy." }),
          /** Use Omni's embedded discovery service. */
          useEmbeddedDiscoveryService: z
            .boolean()
            .default(false)
            .meta({ description: "Use Omni's embedded discovery service." }),
          /**
           * Take etcd backups at this interval: a Go duration (hours `h`, minutes `m`, seconds `s`, milliseconds `ms`);
           * no backups when absent.
           */
          backupInterval: z
            .string()
            .regex(/^([0-9]+(\.[0-9]+)?(h|m|s|ms))+$/, 'must be a Go duration such as 6h or 30m')
            .optional()
            .meta({
              description:
                'Take etcd backups at this interval: a Go duration (hours `h`, minutes `m`, seconds `s`, milliseconds `ms`); no backups when absent.',
              examples: ['6h', '30m'],
            }),
        })
        .default({
          diskEncryption: false,
          enableWorkloadProxy: false,
          useEmbeddedDiscoveryService: false,
        })
        .meta({ description: 'Omni cluster features.' }),
    }),
    checkTalosCluster,
    WHEN_VALID,
  ),
);

/** A Talos patch, validated. */
export type TalosPatch = z.output<ReturnType<typeof talosPatchSchema>>;
/** A machine set, validated. */
export type MachineSet = z.output<ReturnType<typeof machineSetSchema>>;
/** A Talos cluster, validated. */
export type TalosCluster = z.output<ReturnType<typeof talosClusterSchema>>;
