import * as z from './zod.js';
import { sidecarSchema } from './tailnet.js';
import { lazy } from './lazy.js';
import { imageDigestSchema, imageSchema, imageTagSchema, nameSchema, secretRefSchema } from './primitives.js';

/** Proxmox user ids: `name@realm`. */
const PROXMOX_USER_PATTERN = /^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+$/;

/**
 * The Omni Proxmox infrastructure provider: where it runs, which Proxmox cluster it provisions into, and the
 * credentials it uses, by reference only.
 */
export const proxmoxProviderSchema = lazy(() =>
  z.strictObject({
    /** The guest that runs the provider stack (CT 200). */
    host: nameSchema().meta({ description: 'The guest that runs the provider stack (CT 200).' }),
    /** The Proxmox cluster it creates Talos VMs in. */
    cluster: nameSchema().meta({ description: 'The Proxmox cluster it creates Talos VMs in.' }),
    /** Provider image without a tag. */
    image: imageSchema()
      .default('ghcr.io/siderolabs/omni-infra-provider-proxmox')
      .meta({ description: 'Provider image without a tag.' }),
    /**
     * Provider image tag. Upstream publishes no release tags (CI pushes `latest` from main): pin a `digest`, the
     * `image-pinned` rule warns otherwise.
     */
    version: imageTagSchema().default('latest').meta({
      description:
        'Provider image tag. Upstream publishes no release tags (CI pushes `latest` from main): pin a `digest`, the `image-pinned` rule warns otherwise.',
    }),
    /** Image digest (`sha256:…`): pins the exact image whatever the tag points at later. */
    digest: imageDigestSchema()
      .optional()
      .meta({ description: 'Image digest (`sha256:…`): pins the exact image whatever the tag points at later.' }),
    /** Name shown in Omni. */
    displayName: z.string().min(1).default('Proxmox').meta({ description: 'Name shown in Omni.' }),
    /** The Tailscale sidecar (`worker-tailscale`). */
    sidecar: sidecarSchema().meta({ description: 'The Tailscale sidecar (`worker-tailscale`).' }),
    /**
     * The infra-provider service-account key, by reference. The provider binary reads only `OMNI_SERVICE_ACCOUNT_KEY`
     * (or `--omni-service-account-key`), so the compose file sets that variable from this one.
     */
    serviceAccountKey: secretRefSchema().meta({
      description:
        'The infra-provider service-account key, by reference. The provider binary reads only `OMNI_SERVICE_ACCOUNT_KEY` (or `--omni-service-account-key`), so the compose file sets that variable from this one.',
    }),
    /** How the provider logs in to Proxmox: a privilege-separated API token of a dedicated user. */
    proxmoxAccess: z
      .strictObject({
        /** Proxmox user, e.g. `omni-provider@pve`. */
        user: z
          .string()
          .regex(PROXMOX_USER_PATTERN, 'must be a Proxmox user id such as omni-provider@pve')
          .meta({ description: 'Proxmox user, e.g. `omni-provider@pve`.' }),
        /** Token name, the part after `!`. */
        tokenName: z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9._-]*$/, 'must be a token name such as omni')
          .meta({ description: 'Token name, the part after `!`.' }),
        /** The token secret, by reference. */
        tokenSecret: secretRefSchema().meta({ description: 'The token secret, by reference.' }),
        /** Role the generator defines with the privileges the provider needs. */
        role: z
          .string()
          .regex(/^[A-Za-z0-9_.-]+$/)
          .default('OmniInfraProvider')
          .meta({ description: 'Role the generator defines with the privileges the provider needs.' }),
        /** Skip TLS verification towards Proxmox (self-signed API certificate). */
        insecureSkipVerify: z
          .boolean()
          .default(false)
          .meta({ description: 'Skip TLS verification towards Proxmox (self-signed API certificate).' }),
      })
      .meta({
        description: 'How the provider logs in to Proxmox: a privilege-separated API token of a dedicated user.',
      }),
  }),
);

/** The Proxmox provider, validated. */
export type ProxmoxProvider = z.output<ReturnType<typeof proxmoxProviderSchema>>;
