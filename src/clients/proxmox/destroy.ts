import type { ArtifactSet } from '../../generators/artifact.js';
import type { Change, FieldDiff, Plan } from '../../plan/change.js';
import { createChange, createPlan } from '../../plan/change.js';
import type { LiveAclEntry } from './access-steps.js';
import { aclKey, expandAcl } from './access-steps.js';
import type { AccessSpec, GuestSpec } from './artifacts.js';
import { readProxmoxArtifacts } from './artifacts.js';
import type { ProxmoxClient } from './client.js';
import { isDiskKey, splitConfigValue } from './guest-config.js';
import { readUnlockedConfig } from './guest-lock.js';
import { carriesTags } from './guest-steps.js';
import type { VmResource } from './inventory.js';
import type { ProxmoxPlanOptions } from './step.js';
import { signalOf } from './step.js';

const enc = encodeURIComponent;

/** Options of {@link planProxmoxDestroy} and {@link destroyProxmox}. */
export type ProxmoxDestroyOptions = Pick<ProxmoxPlanOptions, 'cluster' | 'signal' | 'onProgress'>;

/** What {@link destroyProxmox} did. */
export interface ProxmoxDestroyResult {
  /** The plan it worked from, read fresh from the cluster. */
  readonly plan: Plan;
  /** The removals made, in order. */
  readonly applied: readonly Change[];
  /** Always empty: what destroy keeps is a `no-op` in the plan, with the reason. */
  readonly skipped: readonly Change[];
}

/** A planned removal and how to carry it out (absent for what is kept). */
interface DestroyStep {
  readonly change: Change;
  readonly run?: (client: ProxmoxClient) => Promise<void>;
}

/**
 * Plans the removal of what the SDK made on one Proxmox cluster, the reverse of apply's order: first the guests the
 * artifacts declare (stopped, then destroyed), then the provider's ACL entries, API token, user and role. Only what the
 * SDK owns goes: a guest carrying the artifact's tags (`talos-sdk`) whose config holds no disk the artifact does not
 * declare, a user or token whose comment is the artifact's, a role the artifact names that nothing else uses once the
 * SDK's grants are gone. Everything else is a `no-op` with the reason it is kept. Reads only.
 *
 * @param set - The artifact set.
 * @param client - A client for the cluster.
 * @param options - The cluster, the progress callback (a locked guest is waited for) and the signal.
 * @returns The plan: `delete` for what goes, `no-op` with a note for what stays.
 *
 * @example
 * ```ts
 * import { formatPlan, readArtifactSet } from '@talos-sdk/topology';
 * import { ProxmoxClient, planProxmoxDestroy, proxmoxOptionsFromEnv } from '@talos-sdk/topology/proxmox';
 *
 * const { url, credentials, tls } = proxmoxOptionsFromEnv();
 * const client = new ProxmoxClient({ url, credentials, tls });
 * console.log(formatPlan(await planProxmoxDestroy(await readArtifactSet('out'), client, { cluster: 'matrix' })));
 * await client.close();
 * ```
 */
export async function planProxmoxDestroy(
  set: ArtifactSet,
  client: ProxmoxClient,
  options: ProxmoxDestroyOptions = {},
): Promise<Plan> {
  return (await destroySteps(set, client, options)).plan;
}

/**
 * Plans, then removes what the SDK made on one Proxmox cluster (see {@link planProxmoxDestroy}). A running guest is
 * stopped (`POST …/status/stop`, a hard stop: the guest is about to be destroyed) and its task waited for, then
 * destroyed with `DELETE /nodes/{node}/{lxc|qemu}/{vmid}?purge=1&destroy-unreferenced-disks=0`: `purge` also drops
 * the VMID from backup jobs, replication and HA (qemu-server `PVE/API2/Qemu.pm` and pve-container `PVE/API2/LXC.pm`
 * `destroy_vm`), and volumes the config does not reference are kept (a detached disk may hold someone's data). PVE
 * removes the volumes the config references. Then the SDK's ACL entries (`PUT /access/acl` with `delete=1`), the
 * token, the user and the role go. A second run finds nothing to remove.
 *
 * @param set - The artifact set.
 * @param client - A client for the cluster.
 * @param options - The cluster, the progress callback and the signal.
 * @returns The plan and the removals made.
 * @throws HTTP and task errors from the removal that failed (earlier ones stay done; a new plan shows what is left).
 *
 * @example
 * ```ts
 * import { readArtifactSet } from '@talos-sdk/topology';
 * import { ProxmoxClient, destroyProxmox, proxmoxOptionsFromEnv } from '@talos-sdk/topology/proxmox';
 *
 * const { url, credentials, tls } = proxmoxOptionsFromEnv();
 * const client = new ProxmoxClient({ url, credentials, tls });
 * const { applied } = await destroyProxmox(await readArtifactSet('out'), client, { cluster: 'matrix' });
 * console.log(`removed ${applied.length}`);
 * await client.close();
 * ```
 */
export async function destroyProxmox(
  set: ArtifactSet,
  client: ProxmoxClient,
  options: ProxmoxDestroyOptions = {},
): Promise<ProxmoxDestroyResult> {
  const { plan, steps } = await destroySteps(set, client, options);
  const applied: Change[] = [];
  for (const step of steps) {
    if (!step.run) continue;
    options.onProgress?.(`removing ${step.change.kind} ${step.change.id}`);
    await step.run(client);
    applied.push(step.change);
  }
  return { plan, applied, skipped: [] };
}

async function destroySteps(
  set: ArtifactSet,
  client: ProxmoxClient,
  options: ProxmoxDestroyOptions,
): Promise<{ plan: Plan; steps: DestroyStep[] }> {
  const artifacts = readProxmoxArtifacts(set, options.cluster);
  const resources = await client.get<VmResource[]>('/cluster/resources', { type: 'vm' }, options.signal);
  const steps: DestroyStep[] = [];
  for (const guest of artifacts.guests) {
    const live = resources.find((item) => item.vmid === guest.vmid);
    const step = await guestStep(guest, live, client, options);
    if (step) steps.push(step);
  }
  for (const access of artifacts.access) steps.push(...(await accessSteps(access, client, options.signal)));
  // createPlan sorts its changes for people; the steps keep the order they run in.
  return {
    plan: createPlan(
      'proxmox',
      steps.map((step) => step.change),
    ),
    steps,
  };
}

/** The guest's removal, a `no-op` saying why it is kept, or nothing when it is gone. */
async function guestStep(
  guest: GuestSpec,
  live: VmResource | undefined,
  client: ProxmoxClient,
  options: ProxmoxDestroyOptions,
): Promise<DestroyStep | undefined> {
  if (!live) return undefined;
  const id = String(guest.vmid);
  const keep = (note: string): DestroyStep => ({
    change: createChange('proxmox', guest.type, id, 'no-op', [], [`${note}: kept`]),
  });
  if (live.type !== guest.type)
    return keep(`VMID ${id} is a ${live.type} guest, the artifact declares a ${guest.type}`);
  const config = await readUnlockedConfig(client, live.node, guest.type, guest.vmid, options);
  if (!config) return undefined;
  const tags = String(guest.params['tags']);
  if (!carriesTags(config['tags'], guest.params['tags'])) {
    return keep(`carries no ${tags} tag: made by hand or by another tool`);
  }
  const undeclared = undeclaredDisks(guest, config);
  if (undeclared.length) {
    return keep(
      `holds disks the topology does not declare (${undeclared.join('; ')}), which destroying it would delete`,
    );
  }
  if (typeof config['lock'] === 'string') {
    return keep(`locked (${config['lock']}) with no task running; PVE refuses to destroy a locked guest`);
  }
  if (String(config['protection'] ?? '0') === '1') return keep('protection is set; PVE refuses to destroy it');
  const fields: FieldDiff[] =
    live.status === 'running' ? [{ path: 'status', before: 'running', after: 'stopped' }] : [];
  const base = `/nodes/${enc(live.node)}/${guest.type}/${guest.vmid}`;
  const { signal } = options;
  return {
    change: createChange('proxmox', guest.type, id, 'delete', fields, [
      `on ${live.node}; its disks go with it; purge=1 (backup jobs, replication, HA)`,
    ]),
    run: async (c) => {
      // The state read now, not the plan's: a guest may have stopped or started since.
      const status = await c.get<{ status: string }>(`${base}/status/current`, undefined, signal);
      if (status.status === 'running') {
        await c.waitForTask(await c.request<string>('POST', `${base}/status/stop`, signalOf(signal)), signal);
      }
      const upid = await c.request<string>('DELETE', base, {
        query: { purge: 1, 'destroy-unreferenced-disks': 0 },
        ...signalOf(signal),
      });
      await c.waitForTask(upid, signal);
    },
  };
}

/**
 * The live disks destroying the guest would delete that the artifact does not declare: a disk key (or `unusedN`, a
 * detached volume PVE deletes with the guest) the artifact has no value for, or a declared key whose volume is on
 * another storage (a disk swapped in by hand). CD-ROM drives hold shared ISOs, which destroy never deletes.
 */
function undeclaredDisks(guest: GuestSpec, config: Readonly<Record<string, unknown>>): string[] {
  const volumeKey = guest.type === 'lxc' ? 'volume' : 'file';
  const storageOf = (key: string, value: string): string =>
    (splitConfigValue(key, value)[volumeKey] ?? '').split(':')[0] ?? '';
  return Object.entries(config)
    .filter(([key]) => isDiskKey(guest.type, key) || /^unused\d+$/.test(key))
    .filter(([key, value]) => {
      const live = String(value);
      const drive = splitConfigValue(key, live);
      if (drive['media'] === 'cdrom' && !(drive[volumeKey] ?? '').includes('cloudinit')) return false;
      const declared = guest.params[key];
      return declared === undefined || storageOf(key, String(declared)) !== storageOf(key, live);
    })
    .map(([key, value]) => `${key} ${String(value)}`);
}

/** The provider access removals, in reverse of apply's order: ACL entries, token, user, role. */
async function accessSteps(
  access: AccessSpec,
  client: ProxmoxClient,
  signal: AbortSignal | undefined,
): Promise<DestroyStep[]> {
  const { userid } = access.user;
  const fullId = `${access.token.userid}!${access.token.tokenid}`;
  const users = await client.get<{ userid: string; comment?: string }[]>('/access/users', undefined, signal);
  const liveUser = users.find((user) => user.userid === userid);
  const tokens = liveUser
    ? await client.get<{ tokenid: string; comment?: string }[]>(`/access/users/${enc(userid)}/token`, undefined, signal)
    : [];
  const liveToken = tokens.find((token) => token.tokenid === access.token.tokenid);
  const acl = await client.get<LiveAclEntry[]>('/access/acl', undefined, signal);
  // The SDK writes its comment on the user and the token it creates: that is how it knows them again.
  const userOwned = liveUser !== undefined && liveUser.comment === access.user.comment;
  const tokenOwned = liveToken !== undefined && liveToken.comment === access.token.comment;
  const owns = (type: string, ugid: string): boolean =>
    (type === 'user' && ugid === userid && userOwned) || (type === 'token' && ugid === fullId && tokenOwned);

  const steps: DestroyStep[] = [];
  const removed = new Set<string>();
  for (const body of access.acl) {
    const entries = expandAcl(body).filter((entry) => acl.some((item) => aclKey(item) === entry.key));
    if (!entries.length) continue;
    const id = `${body.path} ${[body.users && `users=${body.users}`, body.groups && `groups=${body.groups}`, body.tokens && `tokens=${body.tokens}`].filter(Boolean).join(' ')} roles=${body.roles}`;
    if (!entries.every((entry) => owns(entry.type, entry.ugid))) {
      steps.push({
        change: createChange(
          'proxmox',
          'acl',
          id,
          'no-op',
          [],
          ['grants to a user or token the SDK did not make: kept'],
        ),
      });
      continue;
    }
    for (const entry of entries) removed.add(entry.key);
    const fields = entries.map((entry) => ({
      path: `${entry.type}:${entry.ugid}/${entry.roleid}`,
      before: `propagate=${entry.propagate}`,
    }));
    steps.push({
      change: createChange('proxmox', 'acl', id, 'delete', fields),
      run: async (c) =>
        void (await c.request('PUT', '/access/acl', {
          form: { ...body, delete: 1 } as Record<string, string | number>,
          ...signalOf(signal),
        })),
    });
  }
  const undeclaredGrants = (type: string, ugid: string): string[] =>
    acl.filter((item) => item.type === type && item.ugid === ugid && !removed.has(aclKey(item))).map(aclKey);

  if (liveToken) {
    const others = undeclaredGrants('token', fullId);
    const reason = !tokenOwned
      ? 'its comment is not the one the SDK writes: not made by the SDK'
      : others.length
        ? `still granted what the artifact does not declare (${others.join('; ')})`
        : undefined;
    steps.push(
      reason
        ? { change: createChange('proxmox', 'token', fullId, 'no-op', [], [`${reason}: kept`]) }
        : {
            change: createChange('proxmox', 'token', fullId, 'delete', [], ['its secret stops working']),
            run: async (c) =>
              void (await c.request(
                'DELETE',
                `/access/users/${enc(userid)}/token/${enc(access.token.tokenid)}`,
                signalOf(signal),
              )),
          },
    );
  }
  if (liveUser) {
    const otherTokens = tokens.filter((token) => token !== liveToken || !tokenOwned).map((token) => token.tokenid);
    const others = undeclaredGrants('user', userid);
    const reason = !userOwned
      ? 'its comment is not the one the SDK writes: not made by the SDK'
      : otherTokens.length
        ? `holds API tokens destroy does not remove (${otherTokens.join(', ')})`
        : others.length
          ? `still granted what the artifact does not declare (${others.join('; ')})`
          : undefined;
    steps.push(
      reason
        ? { change: createChange('proxmox', 'user', userid, 'no-op', [], [`${reason}: kept`]) }
        : {
            change: createChange('proxmox', 'user', userid, 'delete'),
            run: async (c) => void (await c.request('DELETE', `/access/users/${enc(userid)}`, signalOf(signal))),
          },
    );
  }
  const roles = await client.get<{ roleid: string; special?: number }[]>('/access/roles', undefined, signal);
  const { roleid } = access.role;
  const liveRole = roles.find((role) => role.roleid === roleid);
  if (liveRole) {
    const uses = acl.filter((item) => item.roleid === roleid && !removed.has(aclKey(item))).map(aclKey);
    const reason = liveRole.special
      ? 'a built-in role'
      : uses.length
        ? `still used by ACL entries destroy does not remove (${uses.join('; ')})`
        : undefined;
    steps.push(
      reason
        ? { change: createChange('proxmox', 'role', roleid, 'no-op', [], [`${reason}: kept`]) }
        : {
            // Proxmox roles carry no comment or tag: the artifact's name, unused once the SDK's grants are gone.
            change: createChange(
              'proxmox',
              'role',
              roleid,
              'delete',
              [],
              ['the artifact names it and no other grant uses it'],
            ),
            run: async (c) => void (await c.request('DELETE', `/access/roles/${enc(roleid)}`, signalOf(signal))),
          },
    );
  }
  return steps;
}
