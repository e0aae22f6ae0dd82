import * as z from './zod.js';
import { sidecarSchema } from './tailnet.js';
import { lazy } from './lazy.js';
import {
  domainSchema,
  hostPathSchema,
  imageDigestSchema,
  imageSchema,
  ipv4Schema,
  nameSchema,
  portSchema,
  refineWith,
  versionSchema,
  WHEN_VALID,
} from './primitives.js';
import { checkTailnetReachable, isTailnetAddress, TAILNET_IPV4_RANGE } from './refinements.js';

/** The ports Omni listens on; defaults are those of Omni's own compose deployment. */
const omniPortsSchema = lazy(() =>
  z
    .strictObject({
      /** UI, HTTP and gRPC API (`--bind-addr`). */
      api: portSchema().default(443).meta({ description: 'UI, HTTP and gRPC API (`--bind-addr`).' }),
      /** SideroLink machine API that Talos nodes dial (`--machine-api-bind-addr`). */
      machineApi: portSchema()
        .default(8090)
        .meta({ description: 'SideroLink machine API that Talos nodes dial (`--machine-api-bind-addr`).' }),
      /** Kubernetes API proxy (`--k8s-proxy-bind-addr`). */
      kubernetesProxy: portSchema()
        .default(8100)
        .meta({ description: 'Kubernetes API proxy (`--k8s-proxy-bind-addr`).' }),
      /** SideroLink WireGuard, UDP (`--siderolink-wireguard-bind-addr`). */
      wireguard: portSchema()
        .default(50180)
        .meta({ description: 'SideroLink WireGuard, UDP (`--siderolink-wireguard-bind-addr`).' }),
      /** Event sink reached by nodes over SideroLink (`--event-sink-port`). */
      eventSink: portSchema()
        .default(8091)
        .meta({ description: 'Event sink reached by nodes over SideroLink (`--event-sink-port`).' }),
    })
    .default({
      api: 443,
      machineApi: 8090,
      kubernetesProxy: 8100,
      wireguard: 50180,
      eventSink: 8091,
    }),
);

/** A self-hosted Sidero Omni instance, run in Docker beside a Tailscale sidecar. */
export const omniSchema = lazy(() =>
  refineWith(
    z.strictObject({
      /** The guest that runs the Omni stack. */
      host: nameSchema().meta({ description: 'The guest that runs the Omni stack.' }),
      /** Omni's domain; it needs a valid (not self-signed) certificate. */
      domain: domainSchema().meta({ description: "Omni's domain; it needs a valid (not self-signed) certificate." }),
      /** Omni image tag. */
      version: versionSchema().meta({ description: 'Omni image tag.' }),
      /** Omni image without a tag. */
      image: imageSchema().default('ghcr.io/siderolabs/omni').meta({ description: 'Omni image without a tag.' }),
      /** Image digest (`sha256:…`): pins the exact image whatever the tag points at later. */
      digest: imageDigestSchema()
        .optional()
        .meta({ description: 'Image digest (`sha256:…`): pins the exact image whatever the tag points at later.' }),
      /** Account id (a UUID); never change it after set-up. */
      accountId: z.uuid().meta({ description: 'Account id (a UUID); never change it after set-up.' }),
      /** Account name (`--name`). */
      name: nameSchema().default('omni').meta({ description: 'Account name (`--name`).' }),
      /** Listening ports. */
      ports: omniPortsSchema().meta({ description: 'Listening ports.' }),
      /** Auth0 single-page application used for login. */
      auth0: z
        .strictObject({
          /** Auth0 tenant domain, e.g. `spaceships.us.auth0.com`. */
          domain: domainSchema().meta({ description: 'Auth0 tenant domain, e.g. `spaceships.us.auth0.com`.' }),
          /** The SPA's client id (public, not a secret). */
          clientId: z
            .string()
            .regex(/^[A-Za-z0-9]{16,64}$/, 'must be an Auth0 client id')
            .meta({ description: "The SPA's client id (public, not a secret)." }),
        })
        .meta({ description: 'Auth0 single-page application used for login.' }),
      /** E-mail addresses of the first administrators. */
      initialUsers: z.array(z.email()).min(1).meta({ description: 'E-mail addresses of the first administrators.' }),
      /** Certificate and key files on the host for Omni's domain. */
      tls: z
        .strictObject({
          /**
           * Certificate file: the full chain (leaf, then every intermediate) of a publicly trusted certificate for
           * `domain`, e.g. Let's Encrypt's `fullchain.pem`. Omni serves it on the UI/API and on the SideroLink machine
           * API (8090), and Talos verifies the machine API's chain against its public roots: a leaf alone or a
           * self-signed certificate makes every Talos VM fail to join (siderolabs/omni#657, siderolabs/docs#658).
           */
          certFile: hostPathSchema().meta({
            description:
              "Certificate file: the full chain (leaf, then every intermediate) of a publicly trusted certificate for `domain`, e.g. Let's Encrypt's `fullchain.pem`. Omni serves it on the UI/API and on the SideroLink machine API (8090), and Talos verifies the machine API's chain against its public roots: a leaf alone or a self-signed certificate makes every Talos VM fail to join (siderolabs/omni#657, siderolabs/docs#658).",
          }),
          /** Private key file. */
          keyFile: hostPathSchema().meta({ description: 'Private key file.' }),
        })
        .meta({ description: "Certificate and key files on the host for Omni's domain." }),
      /** The etcd encryption key (armored PGP) file on the host. */
      etcdEncryptionKeyFile: hostPathSchema().meta({
        description: 'The etcd encryption key (armored PGP) file on the host.',
      }),
      /** Host folder that keeps Omni's etcd data and SQLite database. */
      dataDir: hostPathSchema()
        .default('/var/lib/omni')
        .meta({ description: "Host folder that keeps Omni's etcd data and SQLite database." }),
      /** SideroLink: the WireGuard address advertised to Talos nodes (an IP, never a name). */
      siderolink: z
        .strictObject({
          /** IP address (never a name) the Talos VMs reach WireGuard on. */
          wireguardAddress: ipv4Schema().meta({
            description: 'IP address (never a name) the Talos VMs reach WireGuard on.',
          }),
        })
        .meta({ description: 'SideroLink: the WireGuard address advertised to Talos nodes (an IP, never a name).' }),
      /** Accepting Omni's EULA up front for unattended start-up. */
      eula: z
        .strictObject({
          /** Name of the person accepting. */
          name: z.string().min(1).meta({ description: 'Name of the person accepting.' }),
          /** E-mail of the person accepting. */
          email: z.email().meta({ description: 'E-mail of the person accepting.' }),
        })
        .meta({ description: "Accepting Omni's EULA up front for unattended start-up." }),
      /**
       * The Omni node's tailnet IPv4 (in 100.64.0.0/10), as the Tailscale admin console shows it once the sidecar has
       * joined. From the tailnet, `domain` resolves to it through a public DNS record (`dns/public-records.json`), so
       * one URL works on the LAN (the UniFi local record) and over Tailscale. The address is stable only while the node
       * keeps its identity: a persistent `TS_STATE_DIR` (the stack's state volume) and a non-ephemeral auth key (for an
       * OAuth client secret, `?ephemeral=false`). Omit it until the node has joined.
       */
      tailnetAddress: ipv4Schema()
        .refine(isTailnetAddress, {
          message: `must be a Tailscale address in ${TAILNET_IPV4_RANGE}, as the admin console shows it`,
          params: { rule: 'format' },
        })
        .optional()
        .meta({
          description:
            "The Omni node's tailnet IPv4 (in 100.64.0.0/10), as the Tailscale admin console shows it once the sidecar has joined. From the tailnet, `domain` resolves to it through a public DNS record (`dns/public-records.json`), so one URL works on the LAN (the UniFi local record) and over Tailscale. The address is stable only while the node keeps its identity: a persistent `TS_STATE_DIR` (the stack's state volume) and a non-ephemeral auth key (for an OAuth client secret, `?ephemeral=false`). Omit it until the node has joined.",
        }),
      /** The Tailscale sidecar (`omni-tailscale`). */
      sidecar: sidecarSchema().meta({ description: 'The Tailscale sidecar (`omni-tailscale`).' }),
    }),
    checkTailnetReachable,
    WHEN_VALID,
  ),
);

/** The Omni instance, validated. */
export type Omni = z.output<ReturnType<typeof omniSchema>>;
