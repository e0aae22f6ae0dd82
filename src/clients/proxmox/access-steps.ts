import type { FieldDiff, UnmanagedObject } from '../../plan/change.js';
import { createChange } from '../../plan/change.js';
import type { AccessSpec, AclBody } from './artifacts.js';
import type { ProxmoxClient, ProxmoxVersion } from './client.js';
import { adaptPrivileges } from './privileges.js';
import type { ProxmoxPlanOptions, ProxmoxStep, StepContext } from './step.js';
import { signalOf } from './step.js';
import { tokenStep } from './token-steps.js';

/** An ACL entry as `GET /access/acl` lists it. */
export interface LiveAclEntry {
  /** The object path, e.g. `/vms`. */
  readonly path: string;
  /** `user`, `group` or `token`. */
  readonly type: string;
  /** The user, group or token ID. */
  readonly ugid: string;
  /** The role granted. */
  readonly roleid: string;
  /** `1` when the grant applies below the path (the default). */
  readonly propagate?: number;
}

/** One subject-role pair of an ACL body, keyed like {@link aclKey}. */
export interface AclEntry {
  /** `<path> <type>:<ugid> <roleid>`, as {@link aclKey} gives for a live entry. */
  readonly key: string;
  /** `user`, `group` or `token`. */
  readonly type: string;
  /** The user, group or token ID. */
  readonly ugid: string;
  /** The role granted. */
  readonly roleid: string;
  /** `1` when the grant applies below the path. */
  readonly propagate: number;
}

const enc = encodeURIComponent;
const base = { rootOnly: false, createsToken: false };

/**
 * Plans the Omni infra provider's access: its role (privileges adapted to the cluster's version), user, API token and
 * ACL grants. Live ACL entries for the user or token that the artifact does not declare are reported, never removed.
 *
 * @param access - The access artifact.
 * @param client - A connected client.
 * @param version - The cluster's version.
 * @param options - Token secret destination and signal.
 * @param unmanaged - Receives the undeclared grants.
 * @returns The role, user, token and ACL steps.
 */
export async function accessSteps(
  access: AccessSpec,
  client: ProxmoxClient,
  version: ProxmoxVersion,
  options: ProxmoxPlanOptions,
  unmanaged: UnmanagedObject[],
): Promise<ProxmoxStep[]> {
  const signal = options.signal;
  const role = await roleStep(access, client, version, signal);
  const users = await client.get<Record<string, unknown>[]>('/access/users', undefined, signal);
  const userExists = users.some((user) => user['userid'] === access.token.userid);
  const token = await tokenStep(access.token, userExists, client, options);
  return [
    role,
    userStep(access, users, signal),
    ...token.steps,
    ...(await aclSteps(access, client, token.regenerates, signal, unmanaged)),
  ];
}

async function roleStep(
  access: AccessSpec,
  client: ProxmoxClient,
  version: ProxmoxVersion,
  signal: AbortSignal | undefined,
): Promise<ProxmoxStep> {
  const { privs, dropped } = adaptPrivileges(access.role.privs, version.major);
  const privNote = dropped.length
    ? `left out ${dropped.join(', ')}: not a privilege in Proxmox VE ${version.release}`
    : '';
  const roles = await client.get<{ roleid: string; privs?: string }[]>('/access/roles', undefined, signal);
  const liveRole = roles.find((role) => role.roleid === access.role.roleid);
  const wantPrivs = privs.join(',');
  const roleid = access.role.roleid;
  if (!liveRole) {
    return {
      ...base,
      phase: 1,
      change: createChange('proxmox', 'role', roleid, 'create', [{ path: 'privs', after: wantPrivs }], [privNote]),
      run: async ({ client: c }) =>
        void (await c.request('POST', '/access/roles', { form: { roleid, privs: wantPrivs }, ...signalOf(signal) })),
    };
  }
  const livePrivs = [...new Set((liveRole.privs ?? '').split(/[,;\s]+/).filter(Boolean))].sort().join(',');
  const same = livePrivs === wantPrivs;
  return {
    ...base,
    phase: 1,
    change: createChange(
      'proxmox',
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
  };
}

function userStep(
  access: AccessSpec,
  users: readonly Record<string, unknown>[],
  signal: AbortSignal | undefined,
): ProxmoxStep {
  const { userid, ...userFields } = access.user;
  const liveUser = users.find((user) => user['userid'] === userid);
  const userBody = { ...(access.user as Record<string, string | number>) };
  if (!liveUser) {
    const fields = Object.entries(userFields).map(([path, after]) => ({ path, after }));
    return {
      ...base,
      phase: 2,
      change: createChange('proxmox', 'user', userid, 'create', fields),
      run: async ({ client: c }) =>
        void (await c.request('POST', '/access/users', { form: userBody, ...signalOf(signal) })),
    };
  }
  const fields = Object.entries(userFields)
    .filter(
      ([key, value]) => key !== 'password' && String(liveUser[key] ?? (key === 'enable' ? 1 : '')) !== String(value),
    )
    .map(([path, after]) => ({ path, before: liveUser[path], after }));
  const form = Object.fromEntries(fields.map((field) => [field.path, field.after as string | number]));
  return {
    ...base,
    phase: 2,
    change: createChange('proxmox', 'user', userid, fields.length ? 'update' : 'no-op', fields),
    ...(fields.length
      ? {
          run: async ({ client: c }: StepContext) =>
            void (await c.request('PUT', `/access/users/${enc(userid)}`, { form, ...signalOf(signal) })),
        }
      : {}),
  };
}

async function aclSteps(
  access: AccessSpec,
  client: ProxmoxClient,
  tokenRegenerates: boolean,
  signal: AbortSignal | undefined,
  unmanaged: UnmanagedObject[],
): Promise<ProxmoxStep[]> {
  const fullId = `${access.token.userid}!${access.token.tokenid}`;
  const allLive = await client.get<LiveAclEntry[]>('/access/acl', undefined, signal);
  // Deleting a token drops its ACL entries, so a token about to be regenerated keeps none of them.
  const dropped = (item: LiveAclEntry): boolean => tokenRegenerates && item.type === 'token' && item.ugid === fullId;
  const liveAcl = allLive.filter((item) => !dropped(item));
  const regrantNote = 're-granted: regenerating the token drops its ACL entries';
  const desiredKeys = new Set<string>();
  const steps: ProxmoxStep[] = [];
  for (const body of access.acl) {
    const entries = expandAcl(body);
    const fields: FieldDiff[] = [];
    for (const entry of entries) {
      desiredKeys.add(entry.key);
      const live = liveAcl.find((item) => aclKey(item) === entry.key);
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
    const regranted = allLive.some((item) => dropped(item) && entries.some((entry) => entry.key === aclKey(item)));
    const action =
      fields.length === 0
        ? 'no-op'
        : fields.length === entries.length && fields.every((field) => field.before === undefined) && !regranted
          ? 'create'
          : 'update';
    steps.push({
      ...base,
      phase: 4,
      change: createChange('proxmox', 'acl', id, action, fields, [regranted ? regrantNote : undefined]),
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
  for (const item of allLive) {
    const key = aclKey(item);
    if ((item.ugid === access.user.userid || item.ugid === fullId) && !desiredKeys.has(key)) {
      unmanaged.push({
        kind: 'acl',
        id: key,
        reason: dropped(item)
          ? 'grants the token something the artifact does not declare; dropped when the token is regenerated'
          : 'grants the provider user or token something the artifact does not declare; left as is',
        inSdkNamespace: true,
      });
    }
  }
  return steps;
}

/**
 * The key of a live ACL entry: path, subject and role.
 *
 * @param item - A live entry.
 * @returns `<path> <type>:<ugid> <roleid>`.
 */
export function aclKey(item: LiveAclEntry): string {
  return `${item.path} ${item.type}:${item.ugid} ${item.roleid}`;
}

/**
 * Expands an ACL body (`users`, `groups`, `tokens` and `roles` lists) into one entry per subject and role, as
 * Proxmox stores them.
 *
 * @param body - The `PUT /access/acl` body.
 * @returns The entries.
 */
export function expandAcl(body: AclBody): AclEntry[] {
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
