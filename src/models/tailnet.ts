import * as z from './zod.js';
import { lazy } from './lazy.js';
import { domainSchema, imageSchema, nameSchema, secretRefSchema, tailscaleTagSchema } from './primitives.js';

/** The tailnet every sidecar joins: its MagicDNS suffix and who administers it. */
export const tailnetSchema = lazy(() =>
  z.strictObject({
    /** MagicDNS suffix of the tailnet, e.g. `tail1234.ts.net`. */
    magicDnsSuffix: domainSchema().refine((suffix) => suffix.endsWith('.ts.net'), {
      message: 'must be the tailnet DNS name ending in .ts.net',
      params: { rule: 'format' },
    }),
    /** Policy principals that own the tags and reach the admin UI, e.g. `autogroup:admin`, `group:ops`. */
    admins: z
      .array(z.string().regex(/^(autogroup:[a-z-]+|group:[a-z0-9-]+|[^@\s]+@[^@\s]+)$/, 'must be a policy principal'))
      .min(1)
      .default(['autogroup:admin']),
  }),
);

/**
 * A Tailscale sidecar container: the app joins its network namespace (`network_mode: service:<name>`).
 * `kernel` mode uses `/dev/net/tun` and `NET_ADMIN` so every process in the namespace reaches the tailnet;
 * `userspace` needs neither but only proxies.
 */
export const sidecarSchema = lazy(() =>
  z.strictObject({
    /** Compose service and container name, e.g. `omni-tailscale`. */
    name: nameSchema(),
    /** Node name on the tailnet (the MagicDNS host name). */
    hostname: nameSchema(),
    /** Tags the node advertises; the auth key's OAuth client must own them. */
    tags: z.array(tailscaleTagSchema()).min(1),
    /** The auth key or OAuth client secret, by reference. */
    authKey: secretRefSchema(),
    /** Kernel networking (TUN) or userspace networking. */
    mode: z.enum(['kernel', 'userspace']).default('kernel'),
    /** Image without a tag. */
    image: imageSchema().default('tailscale/tailscale'),
    /** Image tag, pinned for reproducible hosts. */
    version: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/)
      .default('stable'),
    /** Serve the app's ports on the tailnet through `tailscale serve` (TCP pass-through). */
    serve: z.boolean().default(false),
  }),
);

/** The tailnet, validated. */
export type Tailnet = z.output<ReturnType<typeof tailnetSchema>>;
/** A Tailscale sidecar, validated. */
export type Sidecar = z.output<ReturnType<typeof sidecarSchema>>;
