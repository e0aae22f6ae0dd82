import * as z from './zod.js';
import { lazy } from './lazy.js';
import {
  domainSchema,
  imageDigestSchema,
  imageSchema,
  imageTagSchema,
  nameSchema,
  secretRefSchema,
  refineWith,
  tailscaleTagSchema,
  WHEN_VALID,
} from './primitives.js';
import { checkSidecarServe, isTailnetDnsSuffix } from './refinements.js';

/** The tailnet every sidecar joins: its MagicDNS suffix and who administers it. */
export const tailnetSchema = lazy(() =>
  z.strictObject({
    /** MagicDNS suffix of the tailnet, e.g. `tail1234.ts.net`. */
    magicDnsSuffix: domainSchema()
      .refine(isTailnetDnsSuffix, {
        message: 'must be the tailnet DNS name ending in .ts.net',
        params: { rule: 'format' },
      })
      .meta({ description: 'MagicDNS suffix of the tailnet, e.g. `tail1234.ts.net`.' }),
    /** Policy principals that own the tags and reach the admin UI, e.g. `autogroup:admin`, `group:ops`. */
    admins: z
      .array(z.string().regex(/^(autogroup:[a-z-]+|group:[a-z0-9-]+|[^@\s]+@[^@\s]+)$/, 'must be a policy principal'))
      .min(1)
      .default(['autogroup:admin'])
      .meta({
        description: 'Policy principals that own the tags and reach the admin UI, e.g. `autogroup:admin`, `group:ops`.',
      }),
    /**
     * Users or groups the generated policy `tests` check the admins' access to Omni from, besides the admins that are
     * groups or users themselves. Tailscale's policy tests cannot take an autogroup as `src` (tailscale/tailscale#12370),
     * so with `autogroup:admin` name an admin here, e.g. `lister@spaceships.work`. Each must be one of the admins: a
     * test from anyone else fails, and the tailnet then refuses the policy file.
     */
    policyTestSources: z
      .array(z.string().regex(/^(group:[a-z0-9-]+|[^@\s:]+@[^@\s]+)$/, 'must be a user (name@domain) or group:name'))
      .default([])
      .meta({
        description:
          "Users or groups the generated policy `tests` check the admins' access to Omni from, besides the admins that are groups or users themselves. Tailscale's policy tests cannot take an autogroup as `src` (tailscale/tailscale#12370), so with `autogroup:admin` name an admin here, e.g. `lister@spaceships.work`. Each must be one of the admins: a test from anyone else fails, and the tailnet then refuses the policy file.",
      }),
  }),
);

/** How a stack's app container and its Tailscale sidecar share the network: `host` or `shared-namespace`. */
export const stackNetworkSchema = lazy(() => z.enum(['host', 'shared-namespace']));

/**
 * A Tailscale sidecar container. `kernel` mode uses `/dev/net/tun` and `NET_ADMIN` so every process in the network
 * namespace (the host's, by default) reaches the tailnet and is reachable on the node's tailnet address; `userspace`
 * needs neither but only proxies (`tailscale serve` for inbound connections).
 */
export const sidecarSchema = lazy(() =>
  refineWith(
    z.strictObject({
      /** Compose service and container name, e.g. `omni-tailscale`. */
      name: nameSchema().meta({ description: 'Compose service and container name, e.g. `omni-tailscale`.' }),
      /** Node name on the tailnet (the MagicDNS host name). */
      hostname: nameSchema().meta({ description: 'Node name on the tailnet (the MagicDNS host name).' }),
      /** Tags the node advertises; the auth key's OAuth client must own them. */
      tags: z
        .array(tailscaleTagSchema())
        .min(1)
        .meta({ description: "Tags the node advertises; the auth key's OAuth client must own them." }),
      /** The auth key or OAuth client secret, by reference. */
      authKey: secretRefSchema().meta({ description: 'The auth key or OAuth client secret, by reference.' }),
      /** Kernel networking (TUN) or userspace networking. */
      mode: z
        .enum(['kernel', 'userspace'])
        .default('kernel')
        .meta({ description: 'Kernel networking (TUN) or userspace networking.' }),
      /**
       * How the app and this sidecar share the network. - `host` (the default, as upstream's
       * `deploy/compose/compose.yaml` in siderolabs/omni runs Omni): the app and the sidecar both run with
       * `network_mode: host`. The app listens on the host's LAN address and, in `kernel` mode, on its tailnet address
       * directly; restarting either container never affects the other. - `shared-namespace`: the app joins the
       * sidecar's network namespace (`network_mode: service:<sidecar>`) and its LAN ports are published on the sidecar.
       * Caveat: when the sidecar restarts, the app keeps a dead namespace (docker/compose#6626, #8918, #10263) until
       * the app is recreated. The stack gives the sidecar a healthcheck and the app `depends_on: {condition:
       * service_healthy, restart: true}`, so Compose restarts the app with the sidecar; a sidecar restarted by Docker's
       * restart policy alone (a crash) is not covered.
       */
      network: stackNetworkSchema().default('host').meta({
        description:
          "How the app and this sidecar share the network. - `host` (the default, as upstream's `deploy/compose/compose.yaml` in siderolabs/omni runs Omni): the app and the sidecar both run with `network_mode: host`. The app listens on the host's LAN address and, in `kernel` mode, on its tailnet address directly; restarting either container never affects the other. - `shared-namespace`: the app joins the sidecar's network namespace (`network_mode: service:<sidecar>`) and its LAN ports are published on the sidecar. Caveat: when the sidecar restarts, the app keeps a dead namespace (docker/compose#6626, #8918, #10263) until the app is recreated. The stack gives the sidecar a healthcheck and the app `depends_on: {condition: service_healthy, restart: true}`, so Compose restarts the app with the sidecar; a sidecar restarted by Docker's restart policy alone (a crash) is not covered.",
      }),
      /** Image without a tag. */
      image: imageSchema().default('tailscale/tailscale').meta({ description: 'Image without a tag.' }),
      /**
       * Image tag. `stable` moves with every release: pin a version (and a `digest`), the `image-pinned` rule warns
       * otherwise. The shared-namespace healthcheck needs containerboot's `TS_ENABLE_HEALTH_CHECK` (Tailscale 1.78+).
       */
      version: imageTagSchema().default('stable').meta({
        description:
          "Image tag. `stable` moves with every release: pin a version (and a `digest`), the `image-pinned` rule warns otherwise. The shared-namespace healthcheck needs containerboot's `TS_ENABLE_HEALTH_CHECK` (Tailscale 1.78+).",
      }),
      /** Image digest (`sha256:…`): pins the exact image whatever the tag points at later. */
      digest: imageDigestSchema()
        .optional()
        .meta({ description: 'Image digest (`sha256:…`): pins the exact image whatever the tag points at later.' }),
      /**
       * Serve the app's TCP ports on the tailnet through `tailscale serve` (TCP pass-through, the app keeps its own
       * TLS). Only for `userspace` mode, where nothing else accepts tailnet connections: in `kernel` mode the app
       * already listens on the node's tailnet address.
       */
      serve: z.boolean().default(false).meta({
        description:
          "Serve the app's TCP ports on the tailnet through `tailscale serve` (TCP pass-through, the app keeps its own TLS). Only for `userspace` mode, where nothing else accepts tailnet connections: in `kernel` mode the app already listens on the node's tailnet address.",
      }),
    }),
    checkSidecarServe,
    WHEN_VALID,
  ),
);

/** The tailnet, validated. */
export type Tailnet = z.output<ReturnType<typeof tailnetSchema>>;
/** A Tailscale sidecar, validated. */
export type Sidecar = z.output<ReturnType<typeof sidecarSchema>>;
