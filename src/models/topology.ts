import * as z from './zod.js';
import { guestSchema } from './guest.js';
import { lazy } from './lazy.js';
import { machineClassSchema } from './machine-class.js';
import { dnsSchema, staticRouteSchema, unifiSchema } from './network-services.js';
import { omniSchema } from './omni.js';
import { nameSchema, refineWith, WHEN_VALID } from './primitives.js';
import { proxmoxProviderSchema } from './provider.js';
import { proxmoxClusterSchema } from './proxmox.js';
import { checkUniqueRoutes } from './refinements.js';
import { checkReferences } from './references.js';
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
    routes: refineWith(z.array(staticRouteSchema()).default([]), checkUniqueRoutes, WHEN_VALID).meta({
      description: 'Static routes on the UniFi gateway, to subnets behind other routers (see `unifi.networks`).',
    }),
    /** UniFi settings. */
    unifi: unifiSchema().meta({ description: 'UniFi settings.' }),
  }),
);

/** A topology that passed the shape, before the reference checks. */
export type TopologyShape = z.output<ReturnType<typeof topologyShapeSchema>>;

/**
 * The topology schema: the shape above plus reference checks (every name used points at something declared) and a
 * scan that refuses secret-shaped literals anywhere.
 */
export const topologySchema = lazy(() => refineWith(topologyShapeSchema(), checkReferences, WHEN_VALID));
