import * as z from './zod.js';
import { guestSchema } from './guest.js';
import { lazy } from './lazy.js';
import { repeats } from './repeats.js';
import { machineClassSchema } from './machine-class.js';
import { dnsSchema, staticRouteSchema, unifiSchema } from './network-services.js';
import { omniSchema } from './omni.js';
import { addRuleIssue, nameSchema, WHEN_VALID } from './primitives.js';
import { proxmoxProviderSchema } from './provider.js';
import { proxmoxClusterSchema } from './proxmox.js';
import { findSecretLiterals } from './secret-patterns.js';
import { talosClusterSchema } from './talos-cluster.js';
import { tailnetSchema } from './tailnet.js';

/**
 * The whole topology: the tailnet, the Proxmox clusters and their guests, Omni and its infra providers, machine
 * classes, Talos clusters, local DNS and static routes.
 */
const topologyShapeSchema = lazy(() =>
  z.strictObject({
    /** The topology's name; it marks every object the SDK owns in Omni and UniFi. */
    name: nameSchema().meta({
      description: "The topology's name; it marks every object the SDK owns in Omni and UniFi.",
    }),
    /** A sentence about the topology. */
    description: z.string().optional().meta({ description: 'A sentence about the topology.' }),
    /** The tailnet. */
    tailnet: tailnetSchema().meta({ description: 'The tailnet.' }),
    /** Proxmox VE clusters by name, e.g. `quantum`, `matrix`. */
    proxmox: z
      .record(nameSchema(), proxmoxClusterSchema())
      .meta({ description: 'Proxmox VE clusters by name, e.g. `quantum`, `matrix`.' }),
    /** Proxmox guests (VMs and containers) by name, e.g. `holly`, `ct-200`. */
    guests: z
      .record(nameSchema(), guestSchema())
      .meta({ description: 'Proxmox guests (VMs and containers) by name, e.g. `holly`, `ct-200`.' }),
    /** The Omni instance. */
    omni: omniSchema().meta({ description: 'The Omni instance.' }),
    /** Omni Proxmox infra providers by id, e.g. `proxmox`. */
    providers: z
      .record(nameSchema(), proxmoxProviderSchema())
      .meta({ description: 'Omni Proxmox infra providers by id, e.g. `proxmox`.' }),
    /** Omni machine classes by id. */
    machineClasses: z
      .record(nameSchema(), machineClassSchema())
      .default({})
      .meta({ description: 'Omni machine classes by id.' }),
    /** Talos clusters by name. */
    clusters: z.record(nameSchema(), talosClusterSchema()).default({}).meta({ description: 'Talos clusters by name.' }),
    /** Local DNS on the UniFi gateway. */
    dns: dnsSchema().meta({ description: 'Local DNS on the UniFi gateway.' }),
    /** Static routes on the UniFi gateway, to subnets behind other routers (see `unifi.networks`). */
    routes: z
      .array(staticRouteSchema())
      .default([])
      .superRefine((routes, ctx) => {
        for (const { item, index, first } of repeats(routes, (route) => route.name)) {
          addRuleIssue(ctx, {
            rule: 'unique-name',
            path: [index, 'name'],
            message: `route ${item.name} is already declared at routes.${first}`,
          });
        }
      }, WHEN_VALID)
      .meta({
        description: 'Static routes on the UniFi gateway, to subnets behind other routers (see `unifi.networks`).',
      }),
    /** UniFi settings. */
    unifi: unifiSchema().meta({ description: 'UniFi settings.' }),
  }),
);

type TopologyOutput = z.output<ReturnType<typeof topologyShapeSchema>>;

/**
 * The topology schema: the shape above plus reference checks (every name used points at something declared) and a
 * scan that refuses secret-shaped literals anywhere.
 */
export const topologySchema = lazy(() => topologyShapeSchema().superRefine(checkReferences, WHEN_VALID));

/** A record's own entry: names are user input and must never reach `Object.prototype` (`valueOf`, ...). */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function checkReferences(topology: TopologyOutput, ctx: z.RefinementCtx): void {
  const missing = (path: (string | number)[], what: string, name: string, known: readonly string[]): void =>
    addRuleIssue(ctx, {
      rule: 'reference',
      path,
      message: `${what} "${name}" does not exist${known.length ? ` (known: ${known.join(', ')})` : ''}`,
    });
  const keys = (record: Record<string, unknown>): string[] => Object.keys(record).sort();

  for (const [name, guest] of Object.entries(topology.guests)) {
    const cluster = own(topology.proxmox, guest.cluster);
    if (!cluster) {
      missing(['guests', name, 'cluster'], 'Proxmox cluster', guest.cluster, keys(topology.proxmox));
      continue;
    }
    if (!own(cluster.nodes, guest.node)) missing(['guests', name, 'node'], 'node', guest.node, keys(cluster.nodes));
    if (!own(cluster.networks, guest.lan.network)) {
      missing(['guests', name, 'lan', 'network'], 'network', guest.lan.network, keys(cluster.networks));
    }
    const disk = guest.type === 'qemu' ? guest.disk : guest.rootfs;
    const diskField = guest.type === 'qemu' ? 'disk' : 'rootfs';
    if (!own(cluster.storages, disk.storage)) {
      missing(['guests', name, diskField, 'storage'], 'storage', disk.storage, keys(cluster.storages));
    }
    if (guest.type === 'qemu' && guest.cloudInitStorage && !own(cluster.storages, guest.cloudInitStorage)) {
      missing(['guests', name, 'cloudInitStorage'], 'storage', guest.cloudInitStorage, keys(cluster.storages));
    }
  }

  if (!own(topology.guests, topology.omni.host)) {
    missing(['omni', 'host'], 'guest', topology.omni.host, keys(topology.guests));
  }

  for (const [id, provider] of Object.entries(topology.providers)) {
    if (!own(topology.guests, provider.host))
      missing(['providers', id, 'host'], 'guest', provider.host, keys(topology.guests));
    if (!own(topology.proxmox, provider.cluster)) {
      missing(['providers', id, 'cluster'], 'Proxmox cluster', provider.cluster, keys(topology.proxmox));
    }
  }

  for (const [id, machineClass] of Object.entries(topology.machineClasses)) {
    const provider = own(topology.providers, machineClass.provider);
    if (!provider) {
      missing(['machineClasses', id, 'provider'], 'provider', machineClass.provider, keys(topology.providers));
      continue;
    }
    const cluster = own(topology.proxmox, provider.cluster);
    if (!cluster) continue;
    if (!own(cluster.networks, machineClass.network)) {
      missing(['machineClasses', id, 'network'], 'network', machineClass.network, keys(cluster.networks));
    }
    if (machineClass.node && !own(cluster.nodes, machineClass.node)) {
      missing(['machineClasses', id, 'node'], 'node', machineClass.node, keys(cluster.nodes));
    }
    machineClass.additionalNics?.forEach((nic, index) => {
      if (!own(cluster.networks, nic.network)) {
        missing(
          ['machineClasses', id, 'additionalNics', index, 'network'],
          'network',
          nic.network,
          keys(cluster.networks),
        );
      }
    });
  }

  for (const [name, cluster] of Object.entries(topology.clusters)) {
    const sets: [(string | number)[], string][] = [
      [['clusters', name, 'controlPlane', 'machineClass'], cluster.controlPlane.machineClass],
      ...Object.entries(cluster.workers).map(([set, workers]): [(string | number)[], string] => [
        ['clusters', name, 'workers', set, 'machineClass'],
        workers.machineClass,
      ]),
    ];
    for (const [path, machineClass] of sets) {
      if (!own(topology.machineClasses, machineClass)) {
        missing(path, 'machine class', machineClass, keys(topology.machineClasses));
      }
    }
  }

  for (const literal of findSecretLiterals(topology)) {
    addRuleIssue(ctx, {
      rule: 'secret-literal',
      path: literal.path,
      message: `contains what looks like ${literal.what}; secrets are referenced by environment variable, never written in the topology`,
    });
  }
}
