/**
 * How the SDK reaches a guest over SSH to deliver its Docker Compose stacks: user, port, address, an optional jump
 * host, how the host key is verified, and where the stacks live on the host.
 *
 * @module
 */
import * as z from './zod.js';
import { lazy } from './lazy.js';
import { hostPathSchema, portSchema } from './primitives.js';
import { hasNoDotSegments, isIpv4OrDomain, isNotRootFolder } from './refinements.js';

/**
 * OpenSSH's fingerprint form (`ssh-keygen -l -E sha256`): `SHA256:` and the unpadded base64 of the SHA-256 of the
 * host key blob, 43 characters.
 */
export const HOST_KEY_FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;

/** A Linux user name such as `admin` or `root`. */
const linuxUserSchema = lazy(() =>
  z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a Linux user name such as admin'),
);

/** An IPv4 address or a DNS name to dial. */
const sshAddressSchema = lazy(() =>
  z.string().refine(isIpv4OrDomain, 'must be an IPv4 address or a DNS name such as pve.example.com'),
);

/**
 * How the host's key is verified: a pinned fingerprint, or a `known_hosts` file on the machine running the SDK.
 * Without either, the user's `~/.ssh/known_hosts` is used; trust on first use is only ever a client option.
 */
const hostKeySchema = lazy(() =>
  z.union([
    z.strictObject({
      /** The host key's fingerprint, `SHA256:…` as `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` prints it. */
      fingerprint: z
        .string()
        .regex(HOST_KEY_FINGERPRINT_PATTERN, 'must be an OpenSSH SHA-256 fingerprint such as SHA256:<43 characters>')
        .meta({
          description:
            "The host key's fingerprint, `SHA256:…` as `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` prints it.",
          examples: ['SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s'],
        }),
    }),
    z.strictObject({
      /** A `known_hosts` file on the machine running the SDK, e.g. `~/.ssh/known_hosts`. */
      knownHostsFile: z.string().min(1).meta({
        description: 'A `known_hosts` file on the machine running the SDK, e.g. `~/.ssh/known_hosts`.',
      }),
    }),
  ]),
);

/** A bastion the SDK connects through (`ssh -J user@address:port`). */
const jumpHostSchema = lazy(() =>
  z.strictObject({
    /** Address or name of the jump host. */
    address: sshAddressSchema().meta({ description: 'Address or name of the jump host.' }),
    /** SSH port of the jump host. */
    port: portSchema().default(22).meta({ description: 'SSH port of the jump host.' }),
    /** User on the jump host. */
    user: linuxUserSchema().meta({ description: 'User on the jump host.' }),
    /** How the jump host's key is verified; `~/.ssh/known_hosts` when absent. */
    hostKey: hostKeySchema()
      .optional()
      .meta({ description: "How the jump host's key is verified; `~/.ssh/known_hosts` when absent." }),
  }),
);

/**
 * SSH access to a guest that runs a stack. Every field has a default: the cloud-init user (`root` in a container),
 * port 22, the LAN address, `~/.ssh/known_hosts`, stacks under `/opt/talos-sdk/<stack>`, Docker not installed by the SDK.
 */
export const sshAccessSchema = lazy(() =>
  z
    .strictObject({
      /** User to log in as; the cloud-init user of a VM (`debian` when none is declared), `root` in a container. */
      user: linuxUserSchema().optional().meta({
        description:
          'User to log in as; the cloud-init user of a VM (`debian` when none is declared), `root` in a container.',
      }),
      /** SSH port. */
      port: portSchema().default(22).meta({ description: 'SSH port.' }),
      /** Address or name to dial; the guest's LAN address when absent. */
      address: sshAddressSchema()
        .optional()
        .meta({ description: "Address or name to dial; the guest's LAN address when absent." }),
      /** A bastion to connect through. */
      jumpHost: jumpHostSchema().optional().meta({ description: 'A bastion to connect through.' }),
      /** How the host key is verified; `~/.ssh/known_hosts` when absent. */
      hostKey: hostKeySchema()
        .optional()
        .meta({ description: 'How the host key is verified; `~/.ssh/known_hosts` when absent.' }),
      /** Folder on the host that holds one folder per stack (`<directory>/<stack>`). */
      directory: hostPathSchema()
        .refine(hasNoDotSegments, 'must not contain . or ..')
        .refine(isNotRootFolder, 'must not be the root folder')
        .default('/opt/talos-sdk')
        .meta({ description: 'Folder on the host that holds one folder per stack (`<directory>/<stack>`).' }),
      /**
       * Install Docker Engine and the Compose plugin from Docker's apt repository when the host lacks them or its
       * Compose is too old for the stacks (Debian and Ubuntu only); when false, such a host is refused.
       */
      installDocker: z.boolean().default(false).meta({
        description:
          "Install Docker Engine and the Compose plugin from Docker's apt repository when the host lacks them or its Compose is too old for the stacks (Debian and Ubuntu only); when false, such a host is refused.",
      }),
    })
    .default({ port: 22, directory: '/opt/talos-sdk', installDocker: false }),
);

/** SSH access to a guest, validated. */
export type SshAccess = z.output<ReturnType<typeof sshAccessSchema>>;
