import type { AccessArtifact, GuestArtifact } from '../src/clients/proxmox/artifacts.js';
import type { DnsRecordsSpec, StaticRoutesSpec } from '../src/clients/unifi/artifacts.js';
import type { Artifact, ArtifactKind, ArtifactSet } from '../src/generators/artifact.js';
import { createArtifact } from '../src/generators/artifact.js';
import { generate } from '../src/generators/generate.js';
import { manifestArtifact } from '../src/generators/manifest.js';
import type { Topology } from '../src/models/define.js';
import singleSite from '../examples/single-site/topology.js';
import spaceships from '../examples/spaceships/topology.js';

/** The spaceships example's generated artifacts: the clients' tests push exactly what the generator writes. */
const generated = generate(spaceships).artifacts;

function generatedJson<T>(path: string): T {
  const artifact = generated.find((candidate) => candidate.path === path);
  if (!artifact) throw new Error(`the generator no longer writes ${path}`);
  return JSON.parse(artifact.content) as T;
}

/** The generated `proxmox-lxc` artifact: CT 200 for the Omni infra provider, on `foxtrot`. */
export const EXAMPLE_LXC_200 = generatedJson<GuestArtifact>('proxmox/matrix/lxc-200.json');
/** The generated `proxmox-qemu` artifact: VM 101 "holly" on `quantum-1`. */
export const EXAMPLE_QEMU_101 = generatedJson<GuestArtifact>('proxmox/quantum/qemu-101.json');
/** The generated `proxmox-access` artifact: the provider's role, user, token, ACLs and storage check. */
export const EXAMPLE_PROVIDER_ACCESS = generatedJson<AccessArtifact>('proxmox/matrix/provider-access-proxmox.json');
/** The generated `unifi-dns-records` artifact. */
export const EXAMPLE_DNS_RECORDS = generatedJson<DnsRecordsSpec>('unifi/dns-records.json');
/** The generated `unifi-static-routes` artifact. */
export const EXAMPLE_STATIC_ROUTES = generatedJson<StaticRoutesSpec>('unifi/static-routes.json');

/**
 * Builds an artifact set from JSON artifacts, with its `manifest.json`, as `talos-topology generate` would write it.
 *
 * @param files - Path, kind and JSON data of each artifact.
 * @returns The artifact set, sorted by path.
 */
export function jsonArtifactSet(
  files: readonly { readonly path: string; readonly kind: ArtifactKind; readonly data: unknown }[],
): ArtifactSet {
  const artifacts: Artifact[] = files.map((file) =>
    createArtifact(file.path, file.kind, JSON.stringify(file.data, null, 2)),
  );
  artifacts.push(manifestArtifact('spaceships', artifacts));
  return { artifacts: artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
}

/**
 * The example's generated Proxmox artifacts: CT 200 and provider access for `matrix`, VM 101 for `quantum`.
 *
 * @returns The artifact set with its manifest.
 */
export function exampleProxmoxArtifactSet(): ArtifactSet {
  const artifacts = generated.filter((artifact) => artifact.kind.startsWith('proxmox-'));
  return {
    artifacts: [...artifacts, manifestArtifact('spaceships', artifacts)].sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
}

/**
 * A topology's generated UniFi artifacts with their manifest, as `talos-topology generate` writes them.
 *
 * @param topology - A validated topology.
 * @returns The artifact set.
 */
export function unifiArtifactSetFor(topology: Topology): ArtifactSet {
  const artifacts = generate(topology).artifacts.filter((artifact) => artifact.kind.startsWith('unifi-'));
  return {
    artifacts: [...artifacts, manifestArtifact(topology.name, artifacts)].sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
}

/**
 * The single-site example's generated UniFi artifacts (site `lab`): its local record and its one real static route,
 * to the test bench behind a second router, with their manifest.
 *
 * @returns The artifact set.
 */
export function labUnifiArtifactSet(): ArtifactSet {
  return unifiArtifactSetFor(singleSite);
}

/**
 * The example's generated UniFi artifacts with their manifest.
 *
 * @param dns - Replaces the DNS artifact's data (e.g. to turn prune on).
 * @returns The artifact set.
 */
export function exampleUnifiArtifactSet(dns: unknown = EXAMPLE_DNS_RECORDS): ArtifactSet {
  return jsonArtifactSet([
    { path: 'unifi/dns-records.json', kind: 'unifi-dns-records', data: dns },
    { path: 'unifi/static-routes.json', kind: 'unifi-static-routes', data: EXAMPLE_STATIC_ROUTES },
  ]);
}
