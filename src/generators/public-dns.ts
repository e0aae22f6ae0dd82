import type { Topology } from '../models/define.js';
import type { Artifact } from './artifact.js';
import { createArtifact } from './artifact.js';
import { toCanonicalJson } from './serialize.js';

/** Why the record exists, written into the artifact for the person who creates it. */
const REASON =
  'Omni fixes its advertised URL into omniconfig, the CLI login page, kubeconfigs and its OIDC issuer, so it must be ' +
  "reached under one name everywhere. In public DNS the Omni domain points at the Omni node's Tailscale address, " +
  'which only tailnet members can reach; on the LAN the UniFi local record (unifi/dns-records.json) answers ' +
  'instead, with the LAN address. The address is stable while the node keeps its Tailscale state and a non-ephemeral key.';

/**
 * `dns/public-records.json`: the record to create at the public DNS provider of Omni's domain, an `A` record to the
 * Omni node's tailnet address. Generated only when `omni.tailnetAddress` is known.
 *
 * @param topology - A validated topology.
 * @returns The artifact, or nothing without a tailnet address.
 */
export function publicDnsArtifacts(topology: Topology): Artifact[] {
  const { omni } = topology;
  if (omni.tailnetAddress === undefined) return [];
  const records = [{ name: omni.domain, type: 'A', value: omni.tailnetAddress }];
  return [
    createArtifact('dns/public-records.json', 'public-dns-records', toCanonicalJson({ reason: REASON, records })),
  ];
}
