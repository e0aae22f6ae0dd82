import type { Topology } from '../models/define.js';
import type { Artifact } from './artifact.js';
import { createArtifact } from './artifact.js';
import { GENERATOR, sortedEntries, toCanonicalJson } from './serialize.js';

/**
 * Privileges the Omni Proxmox provider needs, derived from the API calls it makes: node ranking and task polling
 * (`Sys.Audit`), ISO download (`Datastore.AllocateTemplate`, `Sys.AccessNetwork`), VM creation and configuration
 * (`VM.*`, `Datastore.AllocateSpace`), bridges (`SDN.Use`). Valid on Proxmox VE 8 and 9.
 */
export const PROVIDER_PRIVILEGES: readonly string[] = [
  'Datastore.AllocateSpace',
  'Datastore.AllocateTemplate',
  'Datastore.Audit',
  'SDN.Use',
  'Sys.AccessNetwork',
  'Sys.Audit',
  'VM.Allocate',
  'VM.Audit',
  'VM.Config.CDROM',
  'VM.Config.CPU',
  'VM.Config.Cloudinit',
  'VM.Config.Disk',
  'VM.Config.HWType',
  'VM.Config.Memory',
  'VM.Config.Network',
  'VM.Config.Options',
  'VM.PowerMgmt',
];

/**
 * `proxmox/<cluster>/provider-access-<provider>.json`: the role, user, API token and ACL entries the provider needs on
 * its cluster, plus the storage facts the client checks. The token secret is never here: `secretEnv` names where the
 * person keeps it. One file per provider, named after it: several providers may provision into one cluster, and a
 * single `provider-access.json` per cluster kept only one of them.
 *
 * @param topology - A validated topology.
 * @returns One artifact per provider.
 */
export function proxmoxAccessArtifacts(topology: Topology): Artifact[] {
  return sortedEntries(topology.providers).flatMap(([id, provider]) => {
    const cluster = topology.proxmox[provider.cluster];
    if (!cluster) return [];
    const access = provider.proxmoxAccess;
    const tokenId = `${access.user}!${access.tokenName}`;
    const comment = `Omni infra provider ${id} (managed by ${GENERATOR}, topology ${topology.name})`;
    const storages = new Set<string>();
    for (const [, machineClass] of sortedEntries(topology.machineClasses)) {
      if (machineClass.provider !== id) continue;
      storages.add(machineClass.storage);
      for (const disk of machineClass.additionalDisks ?? []) storages.add(disk.storage);
    }
    for (const [storageId, storage] of sortedEntries(cluster.storages))
      if (storage.content.includes('iso')) storages.add(storageId);
    const bridges = new Set(Object.values(cluster.networks).map((network) => network.bridge));
    const paths = [
      '/nodes',
      '/vms',
      ...[...storages].sort().map((storage) => `/storage/${storage}`),
      ...[...bridges].sort().map((bridge) => `/sdn/zones/localnetwork/${bridge}`),
    ];
    const acl = paths.flatMap((path) => [
      { path, roles: access.role, users: access.user, propagate: 1 },
      { path, roles: access.role, tokens: tokenId, propagate: 1 },
    ]);
    const imageStorages = [...storages]
      .filter((storage) => cluster.storages[storage]?.content.includes('images'))
      .sort();
    const body = {
      proxmoxCluster: provider.cluster,
      provider: id,
      role: { roleid: access.role, privs: PROVIDER_PRIVILEGES.join(',') },
      user: { userid: access.user, comment, enable: 1 },
      token: { userid: access.user, tokenid: access.tokenName, privsep: 1, comment, secretEnv: access.tokenSecret.env },
      acl,
      storages: imageStorages.map((storage) => ({
        storage,
        type: cluster.storages[storage]?.type,
        shared: cluster.storages[storage]?.shared ? 1 : 0,
        content: ['images'],
        nodes: cluster.storages[storage]?.nodes
          ? [...(cluster.storages[storage]?.nodes ?? [])]
          : Object.keys(cluster.nodes).sort(),
      })),
    };
    return [
      createArtifact(`proxmox/${provider.cluster}/provider-access-${id}.json`, 'proxmox-access', toCanonicalJson(body)),
    ];
  });
}
