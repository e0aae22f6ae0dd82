import * as z from '../../models/zod.js';
import type { ArtifactSet } from '../../generators/artifact.js';
import { artifactsOfKind } from '../../generators/artifact.js';
import { ArtifactSetError } from '../../generators/read.js';
import { HOST_KEY_FINGERPRINT_PATTERN } from '../../models/ssh-access.js';
import { parseJsonArtifact } from '../json-artifact.js';
import type { StackInputs } from './stack-inputs.js';
import { readStackInputs } from './stack-inputs.js';

const hostKeySchema = z.union([
  z.strictObject({ fingerprint: z.string().regex(HOST_KEY_FINGERPRINT_PATTERN) }),
  z.strictObject({ knownHostsFile: z.string().min(1) }),
]);

const remoteDirSchema = z
  .string()
  .regex(/^\/[^\0\n']*$/, 'must be an absolute path without quotes')
  .refine((path) => !path.split('/').some((part) => part === '..' || part === '.'), 'must not contain . or ..');

const HostSshSchema = z.object({
  guest: z.string().min(1),
  user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/),
  address: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  jumpHost: z
    .object({
      address: z.string().min(1),
      port: z.number().int().min(1).max(65535),
      user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/),
      hostKey: hostKeySchema.optional(),
    })
    .optional(),
  hostKey: hostKeySchema.optional(),
  installDocker: z.boolean().optional(),
  stacks: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/), remoteDirSchema),
});

/** How a host's key is checked, as the artifact declares it. */
export type HostKeySpec =
  | {
      /** Pinned OpenSSH fingerprint, `SHA256:…`. */
      readonly fingerprint: string;
    }
  | {
      /** A `known_hosts` file on the machine running the SDK. */
      readonly knownHostsFile: string;
    };

/** The `host-ssh` artifact, `hosts/<guest>/ssh.json`. */
export interface HostSshSpec {
  /** Guest name. */
  readonly guest: string;
  /** User to log in as. */
  readonly user: string;
  /** Address or name to dial. */
  readonly address: string;
  /** SSH port. */
  readonly port: number;
  /** Bastion to connect through. */
  readonly jumpHost?: {
    /** Address or name of the jump host. */
    readonly address: string;
    /** Its SSH port. */
    readonly port: number;
    /** User on the jump host. */
    readonly user: string;
    /** How its key is verified. */
    readonly hostKey?: HostKeySpec;
  };
  /** How the host key is verified; the known_hosts file of the credentials when absent. */
  readonly hostKey?: HostKeySpec;
  /** Whether apply may install Docker Engine and the Compose plugin from Docker's apt repository. */
  readonly installDocker?: boolean;
  /** Remote folder of each stack, by stack name. */
  readonly stacks: Readonly<Record<string, string>>;
}

/** One stack of a host: its remote folder and the files the SDK delivers there. */
export interface HostStack {
  /** Stack name, e.g. `omni`, `provider-proxmox`. */
  readonly name: string;
  /** Folder in the output, e.g. `hosts/holly/omni`. */
  readonly dir: string;
  /** Folder on the host, e.g. `/opt/talos-sdk/omni`. */
  readonly remoteDir: string;
  /** What the compose file needs and mounts. */
  readonly inputs: StackInputs;
}

/** One host and its stacks. */
export interface HostArtifacts {
  /** How to reach it. */
  readonly access: HostSshSpec;
  /** Its stacks, by name order. */
  readonly stacks: readonly HostStack[];
}

/**
 * Reads every host of a set: `hosts/<guest>/ssh.json` and the files of each stack folder beside it.
 *
 * @param set - The artifact set.
 * @returns The hosts in guest order.
 * @throws `ArtifactSetError` for a malformed `ssh.json` or a stack folder without `compose.yaml`.
 */
export function readHostsArtifacts(set: ArtifactSet): HostArtifacts[] {
  return artifactsOfKind(set, 'host-ssh').map((artifact) => {
    const access = parseJsonArtifact<HostSshSpec>(artifact, HostSshSchema);
    const base = artifact.path.slice(0, artifact.path.lastIndexOf('/'));
    const stacks = Object.entries(access.stacks)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, remoteDir]): HostStack => {
        const dir = `${base}/${name}`;
        const files = set.artifacts.filter((file) => file.path.startsWith(`${dir}/`));
        if (!files.some((file) => file.path === `${dir}/compose.yaml`)) {
          throw new ArtifactSetError(artifact.path, `names stack ${name}, but ${dir}/compose.yaml is not in the set`);
        }
        return { name, dir, remoteDir, inputs: readStackInputs(dir, files) };
      });
    return { access, stacks };
  });
}
