import type { ArtifactSet } from '../../generators/artifact.js';
import type { Change, FieldDiff, UnmanagedObject } from '../../plan/change.js';
import { compareText } from '../../plan/change.js';
import type { AccessSpec, AclBody, GuestSpec, StorageRequirement } from './artifacts.js';
import { readProxmoxArtifacts } from './artifacts.js';
import type { ProxmoxClient, ProxmoxVersion } from './client.js';
import { ProxmoxPreconditionError } from './errors.js';
import { diffGuestConfig, isDiskKey } from './guest-config.js';
import { adaptPrivileges } from './privileges.js';
import type { TokenSecretDestination } from './secret-sink.js';
import { describeDestination, writeTokenSecret } from './secret-sink.js';

/** Options shared by `planProxmox` and `applyProxmox`. */
export interface ProxmoxPlanOptions {
  /** The cluster whose artifacts to use; may be left out when the set holds one cluster. */
  readonly cluster?: string;
  /** Where a newly created token's secret goes; creating a token without it is refused. */
  readonly tokenSecret?: TokenSecretDestination;
  /** Cancels the requests. */
  readonly signal?: AbortSignal;
}

/** What a step needs when it runs. */
export interface StepContext {
  /** The client. */
  readonly client: ProxmoxClient;
  /** Plan options. */
  readonly options: ProxmoxPlanOptions;
}

/** One planned change with what applying it does. */
export interface ProxmoxStep {
  /** The change as the plan shows it. */
  readonly change: Change;
  /** Apply order: storage, role, user, token, ACL, guests, root@pam steps. */
  readonly phase: number;
  /** Needs root@pam; a token client refuses it. */
  readonly rootOnly: boolean;
  /** `true` when the step creates an API token (its secret needs a destination). */
  readonly createsToken: boolean;
  /** Performs the change; absent for `no-op` and root@pam steps this client cannot run. */
  readonly run?: (context: StepContext) => Promise<void>;
}

/** Every step for a cluster, plus live objects left alone. */
export interface ProxmoxSteps {
  /** The steps, unordered. */
  readonly steps: readonly ProxmoxStep[];
  /** Live objects seen but not owned. */
  readonly unmanaged: readonly UnmanagedObject[];
}

interface StorageEntry {
  storage: string;
  type: string;
  content: string;
  shared?: number;
  active?: number;
}

interface VmResource {
  vmid: number;
  type: string;
  node: string;
}

const enc = encodeURIComponent;

function change(
  kind: string,
  id: string,
  action: Change['action'],
  fields: readonly FieldDiff[],
  notes: readonly string[] = [],
): Change {
  const note = notes.filter(Boolean).join('; ');
  return { target: 'proxmox', kind, id, action, fields, ...(note ? { note } : {}) };
}

/**
 * Reads the live cluster and works out, per artifact object, what applying would do.
 *
 * @param set - The artifact set.
 * @param client - A connected client.
 * @param options - Cluster, token secret destination, signal.
 * @returns The steps and unmanaged objects.
 * @throws {@link ProxmoxPreconditionError} when storage or nodes cannot hold what the artifacts ask for.
 */
export async function buildProxmoxSteps(
  set: ArtifactSet,
  client: ProxmoxClient,
  options: ProxmoxPlanOptions,
): Promise<ProxmoxSteps> {
  const artifacts = readProxmoxArtifacts(set, options.cluster);
  const signal = options.signal;
  const version = await client.version();
  const nodes = (await client.get<{ node: string }[]>('/nodes', undefined, signal)).map((item) => item.node);
  const resources = await client.get<VmResource[]>('/cluster/resources', { type: 'vm' }, signal);
  const storageByNode = new Map<string, StorageEntry[]>();
  for (const node of nodes)
    storageByNode.set(node, await client.get<StorageEntry[]>(`/nodes/${enc(node)}/storage`, undefined, signal));

  const steps: ProxmoxStep[] = [];
  const unmanaged: UnmanagedObject[] = [];
  const problems: string[] = [];
  for (const access of artifacts.access) {
    for (const storage of access.storages) {
      steps.push(checkStorage(access, storage, artifacts.guests, nodes, storageByNode, problems));
    }
  }
  for (const guest of artifacts.guests) checkGuestPlacement(guest, resources, nodes, storageByNode, problems);
  if (problems.length > 0) throw new ProxmoxPreconditionError(problems);

  for (const access of artifacts.access) {
    steps.push(...(await accessSteps(access, client, version, options, unmanaged)));
  }
  for (const guest of artifacts.guests) {
    const live = resources.find((item) => item.vmid === guest.vmid);
    steps.push(...(await guestSteps(guest, live, client, signal)));
  }
  return { steps, unmanaged };
}

function checkStorage(
  access: AccessSpec,
  wanted: StorageRequirement,
  guests: readonly GuestSpec[],
  nodes: readonly string[],
  storageByNode: ReadonlyMap<string, StorageEntry[]>,
  problems: string[],
): ProxmoxStep {
  const needed = new Set(wanted.content);
  for (const guest of guests) {
    for (const [key, value] of Object.entries(guest.params)) {
      if (isDiskKey(guest.type, key) && String(value).split(/[:,]/)[0] === wanted.storage)
        needed.add(guest.type === 'lxc' ? 'rootdir' : 'images');
    }
  }
  const before = problems.length;
  let liveContent = '';
  for (const node of wanted.nodes) {
    if (!nodes.includes(node)) {
      problems.push(
        `node ${node} (${access.path} storages[${wanted.storage}].nodes) is not in the cluster (nodes: ${nodes.join(', ')})`,
      );
      continue;
    }
    const entry = storageByNode.get(node)?.find((item) => item.storage === wanted.storage);
    if (!entry) {
      problems.push(
        `storage ${wanted.storage} is not available on node ${node} (or the token lacks Datastore.Audit on /storage/${wanted.storage}); add the node to the storage`,
      );
      continue;
    }
    liveContent = entry.content;
    if (entry.type !== wanted.type)
      problems.push(`storage ${wanted.storage} on ${node} is ${entry.type}, artifact expects ${wanted.type}`);
    if (wanted.shared === 1 && Number(entry.shared ?? 0) !== 1)
      problems.push(`storage ${wanted.storage} on ${node} is not shared; guests could not move between nodes`);
    const missing = [...needed].filter((content) => !entry.content.split(',').includes(content)).sort();
    if (missing.length)
      problems.push(
        `storage ${wanted.storage} on ${node} does not offer content ${missing.join(', ')} (offers ${entry.content}); add it in Datacenter > Storage`,
      );
  }
  const note =
    problems.length === before
      ? `${wanted.type}${wanted.shared ? ', shared' : ''}, content ${liveContent} on ${wanted.nodes.join(', ')}`
      : '';
  return {
    change: change('storage', wanted.storage, 'no-op', [], [note]),
    phase: 0,
    rootOnly: false,
    createsToken: false,
  };
}

function checkGuestPlacement(
  guest: GuestSpec,
  resources: readonly VmResource[],
  nodes: readonly string[],
  storageByNode: ReadonlyMap<string, StorageEntry[]>,
  problems: string[],
): void {
  const live = resources.find((item) => item.vmid === guest.vmid);
  if (live && live.type !== guest.type) {
    problems.push(
      `VMID ${guest.vmid} is a ${live.type} on ${live.node}, but ${guest.path} declares a ${guest.type}; pick another VMID`,
    );
    return;
  }
  if (live) return;
  if (!nodes.includes(guest.node)) {
    problems.push(`${guest.path}: node ${guest.node} is not in the cluster (nodes: ${nodes.join(', ')})`);
    return;
  }
  for (const [key, value] of Object.entries(guest.params)) {
    const volume = /^([\w.-]+):(\d+(\.\d+)?|cloudinit)(,|$)/.exec(String(value));
    if (!isDiskKey(guest.type, key) || !volume) continue;
    const content = guest.type === 'lxc' ? 'rootdir' : 'images';
    const entry = storageByNode.get(guest.node)?.find((item) => item.storage === volume[1]);
    if (!entry)
      problems.push(
        `${guest.path}: ${key} needs storage ${volume[1]} on node ${guest.node}, which has no such storage`,
      );
    else if (!entry.content.split(',').includes(content)) {
      problems.push(`${guest.path}: ${key} needs content ${content} on storage ${volume[1]} (offers ${entry.content})`);
    }
  }
}

async function accessSteps(
  access: AccessSpec,
  client: ProxmoxClient,
  version: ProxmoxVersion,
  options: ProxmoxPlanOptions,
  unmanaged: UnmanagedObject[],
): Promise<ProxmoxStep[]> {
  const signal = options.signal;
  const steps: ProxmoxStep[] = [];
  const base = { rootOnly: false, createsToken: false };

  const { privs, dropped } = adaptPrivileges(access.role.privs, version.major);
  const privNote = dropped.length
    ? `left out ${dropped.join(', ')}: not a privilege in Proxmox VE ${version.release}`
    : '';
  const roles = await client.get<{ roleid: string; privs?: string }[]>('/access/roles', undefined, signal);
  const liveRole = roles.find((role) => role.roleid === access.role.roleid);
  const wantPrivs = privs.join(',');
  const roleid = access.role.roleid;
  if (!liveRole) {
    steps.push({
      ...base,
      phase: 1,
      change: change('role', roleid, 'create', [{ path: 'privs', after: wantPrivs }], [privNote]),
      run: async ({ client: c }) =>
        void (await c.request('POST', '/access/roles', { form: { roleid, privs: wantPrivs }, ...signalOf(signal) })),
    });
  } else {
    const livePrivs = [...new Set((liveRole.privs ?? '').split(/[,;\s]+/).filter(Boolean))].sort().join(',');
    const same = livePrivs === wantPrivs;
    steps.push({
      ...base,
      phase: 1,
      change: change(
        'role',
        roleid,
        same ? 'no-op' : 'update',
        same ? [] : [{ path: 'privs', before: livePrivs, after: wantPrivs }],
        [privNote],
      ),
      ...(same
        ? {}
        : {
            run: async ({ client: c }: StepContext) =>
              void (await c.request('PUT', `/access/roles/${enc(roleid)}`, {
                form: { privs: wantPrivs },
                ...signalOf(signal),
              })),
          }),
    });
  }

  const users = await client.get<Record<string, unknown>[]>('/access/users', undefined, signal);
  const { userid, ...userFields } = access.user;
  const liveUser = users.find((user) => user['userid'] === userid);
  const userBody = { ...(access.user as Record<string, string | number>) };
  if (!liveUser) {
    const fields = Object.entries(userFields).map(([path, after]) => ({ path, after }));
    steps.push({
      ...base,
      phase: 2,
      change: change('user', userid, 'create', fields),
      run: async ({ client: c }) =>
        void (await c.request('POST', '/access/users', { form: userBody, ...signalOf(signal) })),
    });
  } else {
    const fields = Object.entries(userFields)
      .filter(
        ([key, value]) => key !== 'password' && String(liveUser[key] ?? (key === 'enable' ? 1 : '')) !== String(value),
      )
      .map(([path, after]) => ({ path, before: liveUser[path], after }));
    const form = Object.fromEntries(fields.map((field) => [field.path, field.after as string | number]));
    steps.push({
      ...base,
      phase: 2,
      change: change('user', userid, fields.length ? 'update' : 'no-op', fields),
      ...(fields.length
        ? {
            run: async ({ client: c }: StepContext) =>
              void (await c.request('PUT', `/access/users/${enc(userid)}`, { form, ...signalOf(signal) })),
          }
        : {}),
    });
  }

  const token = access.token;
  const fullId = `${token.userid}!${token.tokenid}`;
  const liveTokens = users.some((user) => user['userid'] === token.userid)
    ? await client.get<{ tokenid: string; comment?: string; privsep?: number }[]>(
        `/access/users/${enc(token.userid)}/token`,
        undefined,
        signal,
      )
    : [];
  const liveToken = liveTokens.find((item) => item.tokenid === token.tokenid);
  const wantToken = {
    ...(token.privsep === undefined ? {} : { privsep: token.privsep }),
    ...(token.comment === undefined ? {} : { comment: token.comment }),
  };
  const tokenPath = `/access/users/${enc(token.userid)}/token/${enc(token.tokenid)}`;
  if (!liveToken) {
    const destination = options.tokenSecret;
    const note = destination
      ? describeDestination(destination, token.secretEnv)
      : `the secret is returned once: give a tokenSecret destination (file or env file for ${token.secretEnv}) or apply refuses`;
    const fields = Object.entries(wantToken).map(([path, after]) => ({ path, after }));
    steps.push({
      ...base,
      createsToken: true,
      phase: 3,
      change: change('token', fullId, 'create', fields, [note]),
      run: async ({ client: c, options: o }) => {
        const created = await c.request<{ value: string }>('POST', tokenPath, { form: wantToken, ...signalOf(signal) });
        c.http.secrets.add(created.value);
        await writeTokenSecret(o.tokenSecret!, token.secretEnv, created.value);
      },
    });
  } else {
    const live: Record<string, unknown> = { privsep: liveToken.privsep ?? 1, comment: liveToken.comment ?? '' };
    const fields = Object.entries(wantToken)
      .filter(([key, value]) => String(live[key]) !== String(value))
      .map(([path, after]) => ({ path, before: live[path], after }));
    const form = Object.fromEntries(fields.map((field) => [field.path, field.after as string | number]));
    steps.push({
      ...base,
      phase: 3,
      change: change('token', fullId, fields.length ? 'update' : 'no-op', fields),
      ...(fields.length
        ? {
            run: async ({ client: c }: StepContext) =>
              void (await c.request('PUT', tokenPath, { form, ...signalOf(signal) })),
          }
        : {}),
    });
  }

  const liveAcl = await client.get<{ path: string; type: string; ugid: string; roleid: string; propagate?: number }[]>(
    '/access/acl',
    undefined,
    signal,
  );
  const desiredKeys = new Set<string>();
  for (const body of access.acl) {
    const entries = expandAcl(body);
    const fields: FieldDiff[] = [];
    for (const entry of entries) {
      desiredKeys.add(entry.key);
      const live = liveAcl.find((item) => `${item.path} ${item.type}:${item.ugid} ${item.roleid}` === entry.key);
      if (!live)
        fields.push({ path: `${entry.type}:${entry.ugid}/${entry.roleid}`, after: `propagate=${entry.propagate}` });
      else if (Number(live.propagate ?? 1) !== entry.propagate) {
        fields.push({
          path: `${entry.type}:${entry.ugid}/${entry.roleid}`,
          before: `propagate=${live.propagate ?? 1}`,
          after: `propagate=${entry.propagate}`,
        });
      }
    }
    const id = `${body.path} ${[body.users && `users=${body.users}`, body.groups && `groups=${body.groups}`, body.tokens && `tokens=${body.tokens}`].filter(Boolean).join(' ')} roles=${body.roles}`;
    const action =
      fields.length === 0
        ? 'no-op'
        : fields.length === entries.length && fields.every((field) => field.before === undefined)
          ? 'create'
          : 'update';
    steps.push({
      ...base,
      phase: 4,
      change: change('acl', id, action, fields),
      ...(action === 'no-op'
        ? {}
        : {
            run: async ({ client: c }: StepContext) =>
              void (await c.request('PUT', '/access/acl', {
                form: { ...body } as Record<string, string | number>,
                ...signalOf(signal),
              })),
          }),
    });
  }
  for (const item of liveAcl) {
    const key = `${item.path} ${item.type}:${item.ugid} ${item.roleid}`;
    if ((item.ugid === access.user.userid || item.ugid === fullId) && !desiredKeys.has(key)) {
      unmanaged.push({
        kind: 'acl',
        id: key,
        reason: 'grants the provider user or token something the artifact does not declare; left as is',
      });
    }
  }
  return steps;
}

function expandAcl(body: AclBody): { key: string; type: string; ugid: string; roleid: string; propagate: number }[] {
  const list = (text: string | undefined): string[] => (text ?? '').split(/[,;\s]+/).filter(Boolean);
  const subjects = [
    ...list(body.users).map((ugid) => ({ type: 'user', ugid })),
    ...list(body.groups).map((ugid) => ({ type: 'group', ugid })),
    ...list(body.tokens).map((ugid) => ({ type: 'token', ugid })),
  ];
  return list(body.roles).flatMap((roleid) =>
    subjects.map((subject) => ({
      ...subject,
      roleid,
      propagate: body.propagate ?? 1,
      key: `${body.path} ${subject.type}:${subject.ugid} ${roleid}`,
    })),
  );
}

async function guestSteps(
  guest: GuestSpec,
  live: VmResource | undefined,
  client: ProxmoxClient,
  signal: AbortSignal | undefined,
): Promise<ProxmoxStep[]> {
  const id = String(guest.vmid);
  const rootKeys = new Set(client.canActAsRoot ? [] : guest.rootOnly);
  const steps: ProxmoxStep[] = [];
  const base = { rootOnly: false, createsToken: false };
  const rootNote = (keys: readonly string[], node: string, exists: boolean): string =>
    `needs root@pam: an API token cannot set ${keys.join(', ')}; apply with PROXMOX_ROOT_PASSWORD (root@pam ticket), or ` +
    `${exists ? '' : 'apply with skipRootOnly, then '}run on ${node}: ${hostCommand(guest, keys)}`;
  const rootStep = (action: Change['action'], fields: FieldDiff[], node: string, exists: boolean): ProxmoxStep => ({
    ...base,
    rootOnly: true,
    phase: 6,
    change: change(guest.type, `${id} (root@pam)`, action, fields, [
      rootNote(
        fields.map((field) => field.path),
        node,
        exists,
      ),
    ]),
  });

  if (!live) {
    const params: Record<string, string | number> = Object.fromEntries(
      Object.entries(guest.params).filter(([key]) => !rootKeys.has(key)),
    );
    if (guest.type === 'lxc' && params['unprivileged'] === undefined) params['unprivileged'] = 1;
    const fields = Object.entries(params)
      .map(([path, after]) => ({ path, after }))
      .sort((a, b) => compareText(a.path, b.path));
    steps.push({
      ...base,
      phase: 5,
      change: change(guest.type, id, 'create', fields, [`on ${guest.node}`]),
      run: async ({ client: c }) => {
        const upid = await c.request<string>('POST', `/nodes/${enc(guest.node)}/${guest.type}`, {
          form: params,
          ...signalOf(signal),
        });
        await c.waitForTask(upid, signal);
      },
    });
    const rootFields = guest.rootOnly
      .filter((key) => rootKeys.has(key) && guest.params[key] !== undefined)
      .map((path) => ({ path, after: guest.params[path] }));
    if (rootFields.length) steps.push(rootStep('create', rootFields, guest.node, false));
    return steps;
  }

  const configPath = `/nodes/${enc(live.node)}/${guest.type}/${guest.vmid}/config`;
  const config = await client.get<Record<string, unknown>>(configPath, undefined, signal);
  const diff = diffGuestConfig(guest.type, guest.params, config);
  const notes = [...diff.notes];
  if (live.node !== guest.node) notes.push(`lives on ${live.node}, artifact says ${guest.node}; not migrated`);
  if (typeof config['lock'] === 'string') notes.push(`locked (${config['lock']})`);
  const fields = diff.fields.filter((field) => !rootKeys.has(field.path));
  const rootFields = diff.fields.filter((field) => rootKeys.has(field.path));
  const form: Record<string, string | number> = Object.fromEntries(
    fields.map((field) => [field.path, field.after as string | number]),
  );
  if (typeof config['digest'] === 'string') form['digest'] = config['digest'];
  steps.push({
    ...base,
    phase: 5,
    change: change(guest.type, id, fields.length ? 'update' : 'no-op', fields, notes),
    ...(fields.length
      ? {
          run: async ({ client: c }: StepContext) =>
            void (await c.request('PUT', configPath, { form, ...signalOf(signal) })),
        }
      : {}),
  });
  if (rootFields.length) steps.push(rootStep('update', rootFields, live.node, true));
  return steps;
}

function hostCommand(guest: GuestSpec, keys: readonly string[]): string {
  const args = keys.map((key) => `--${key} ${String(guest.params[key])}`).join(' ');
  return `${guest.type === 'lxc' ? 'pct' : 'qm'} set ${guest.vmid} ${args}`;
}

function signalOf(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}
