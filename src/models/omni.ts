import * as z from './zod.js';
import { sidecarSchema } from './tailnet.js';
import { lazy } from './lazy.js';
import {
  domainSchema,
  hostPathSchema,
  imageSchema,
  ipv4Schema,
  nameSchema,
  portSchema,
  versionSchema,
} from './primitives.js';

/** The ports Omni listens on; defaults are those of Omni's own compose deployment. */
const omniPortsSchema = lazy(() =>
  z
    .strictObject({
      /** UI, HTTP and gRPC API (`--bind-addr`). */
      api: portSchema().default(443),
      /** SideroLink machine API that Talos nodes dial (`--machine-api-bind-addr`). */
      machineApi: portSchema().default(8090),
      /** Kubernetes API proxy (`--k8s-proxy-bind-addr`). */
      kubernetesProxy: portSchema().default(8100),
      /** SideroLink WireGuard, UDP (`--siderolink-wireguard-bind-addr`). */
      wireguard: portSchema().default(50180),
      /** Event sink reached by nodes over SideroLink (`--event-sink-port`). */
      eventSink: portSchema().default(8091),
    })
    .default({
      api: 443,
      machineApi: 8090,
      kubernetesProxy: 8100,
      wireguard: 50180,
      eventSink: 8091,
    }),
);

/** A self-hosted Sidero Omni instance, run in Docker behind a Tailscale sidecar. */
export const omniSchema = lazy(() =>
  z.strictObject({
    /** The guest that runs the Omni stack. */
    host: nameSchema(),
    /** Omni's domain; it needs a valid (not self-signed) certificate. */
    domain: domainSchema(),
    /** Omni image tag. */
    version: versionSchema(),
    /** Omni image without a tag. */
    image: imageSchema().default('ghcr.io/siderolabs/omni'),
    /** Account id (a UUID); never change it after set-up. */
    accountId: z.uuid(),
    /** Account name (`--name`). */
    name: nameSchema().default('omni'),
    /** Listening ports. */
    ports: omniPortsSchema(),
    /** Auth0 single-page application used for login. */
    auth0: z.strictObject({
      /** Auth0 tenant domain, e.g. `spaceships.us.auth0.com`. */
      domain: domainSchema(),
      /** The SPA's client id (public, not a secret). */
      clientId: z.string().regex(/^[A-Za-z0-9]{16,64}$/, 'must be an Auth0 client id'),
    }),
    /** E-mail addresses of the first administrators. */
    initialUsers: z.array(z.email()).min(1),
    /** Certificate and key files on the host for Omni's domain. */
    tls: z.strictObject({
      /** Certificate chain file. */
      certFile: hostPathSchema(),
      /** Private key file. */
      keyFile: hostPathSchema(),
    }),
    /** The etcd encryption key (armored PGP) file on the host. */
    etcdEncryptionKeyFile: hostPathSchema(),
    /** Host folder that keeps Omni's etcd data and SQLite database. */
    dataDir: hostPathSchema().default('/var/lib/omni'),
    /** SideroLink: the WireGuard address advertised to Talos nodes (an IP, never a name). */
    siderolink: z.strictObject({
      /** IP address (never a name) the Talos VMs reach WireGuard on. */
      wireguardAddress: ipv4Schema(),
    }),
    /** Accepting Omni's EULA up front for unattended start-up. */
    eula: z.strictObject({
      /** Name of the person accepting. */
      name: z.string().min(1),
      /** E-mail of the person accepting. */
      email: z.email(),
    }),
    /** The Tailscale sidecar (`omni-tailscale`). */
    sidecar: sidecarSchema(),
  }),
);

/** The Omni instance, validated. */
export type Omni = z.output<ReturnType<typeof omniSchema>>;
