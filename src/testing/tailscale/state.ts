import type { TailnetMember } from './policy-rules.js';

/** A tailnet node as `GET /api/v2/tailnet/{tailnet}/devices` returns it (the default field set). */
export interface EmulatedDevice {
  /** Legacy numeric id; the API accepts it and `nodeId` in `/device/{id}` paths. */
  readonly id: string;
  /** Preferred id, e.g. `nXXXXXCNTRL`. */
  readonly nodeId: string;
  /** The OS host name the node reported (`TS_HOSTNAME` for a containerboot sidecar). */
  readonly hostname: string;
  /** MagicDNS FQDN, e.g. `omni.tail1234.ts.net`; `omni-1.…` when another node already had the name. */
  readonly name: string;
  /** Tailnet addresses: IPv4 first, then IPv6. */
  addresses: string[];
  /** Tags; the node is tagged (owned by no user) when not empty. */
  tags: string[];
  /** `true`: the node key never expires. */
  keyExpiryDisabled: boolean;
  /** Whether the node is connected to the control plane now. */
  connectedToControl: boolean;
  /** RFC 3339 creation time. */
  readonly created: string;
  /** RFC 3339 time the node was last seen. */
  lastSeen: string;
  /** Always `true` here (device approval is not emulated). */
  readonly authorized: boolean;
  /** Ephemeral nodes are removed when they go offline. */
  readonly isEphemeral: boolean;
  /** Owning user's login, or the key creator's for tagged nodes. */
  readonly user: string;
  /** OS, `linux` for a sidecar. */
  readonly os: string;
}

/** An auth key as the keys endpoints hold it. */
export interface EmulatedKey {
  /** Key id, e.g. `kXXXXCNTRL`. */
  readonly id: string;
  /** The secret, `tskey-auth-<id>-…`; returned only by the create call. */
  readonly key: string;
  /** The description given at creation. */
  readonly description: string;
  /** RFC 3339 creation time. */
  readonly created: string;
  /** RFC 3339 expiry. */
  readonly expires: string;
  /** `true` once used (single-use keys), revoked or expired. */
  invalid: boolean;
  /** `capabilities.devices.create`. */
  readonly create: {
    /** Usable more than once. */
    readonly reusable: boolean;
    /** Nodes joined with it are removed when offline. */
    readonly ephemeral: boolean;
    /** Nodes joined with it need no approval. */
    readonly preauthorized: boolean;
    /** Tags nodes joined with it take. */
    readonly tags: readonly string[];
  };
}

/** One request as the Tailscale emulator saw it. */
export interface TailscaleRequestRecord {
  /** Method. */
  readonly method: string;
  /** Path. */
  readonly path: string;
  /** How it authenticated. */
  readonly auth: 'api-key' | 'oauth-token' | 'none';
}

/** Everything the Tailscale emulator holds; tests read and seed it directly. */
export interface TailscaleEmulatorState {
  /** The tailnet's name (what `-` stands for), e.g. `example.com`. */
  readonly tailnet: string;
  /** MagicDNS suffix, e.g. `tail1234.ts.net`. */
  readonly magicDnsSuffix: string;
  /** Nodes. */
  readonly devices: EmulatedDevice[];
  /** Auth keys, deleted ones removed. */
  readonly keys: EmulatedKey[];
  /** The policy file as last written (HuJSON text, comments kept). */
  policy: string;
  /** The tailnet's members and their roles (who `autogroup:admin` and `autogroup:member` are). */
  readonly members: TailnetMember[];
  /** `true` until the policy file is first written (`If-Match: "ts-default"` matches only then). */
  policyIsDefault: boolean;
  /** OAuth access tokens by value, with their expiry (ms since the epoch). */
  readonly tokens: Map<string, number>;
  /** Every request, in order. */
  readonly requests: TailscaleRequestRecord[];
  /** How many coming API requests are refused with 429 and `Retry-After` (the API's rate limit). */
  throttle: number;
}
