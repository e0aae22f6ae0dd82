import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorReply, EmulatorRequest, FaultOptions } from '../https-emulator.js';
import { startHttpsEmulator } from '../https-emulator.js';
import type { RoundTripLog } from '../round-trips.js';
import { ENDPOINT_PARAMETERS, parametersOf, parsePropertyString, verifyParameters } from './parameters.js';
import type {
  EmulatedAclEntry,
  EmulatedGuest,
  EmulatedStorage,
  EmulatedTask,
  EmulatedVolume,
  ProxmoxEmulatorState,
} from './state.js';
import { privilegesOf, versionAtLeast } from './state.js';
import { configAsReturned } from './stored-config.js';
import { DEFAULT_VOLUMES, formatSize, parseSize, validSshPublicKeys } from './volumes.js';

/** How to start a {@link ProxmoxEmulator}. */
export interface ProxmoxEmulatorOptions {
  /** `pve-manager` version to report and behave as, e.g. `8.4.1` or `9.0.3`. Defaults to `9.0.3`. */
  readonly version?: string;
  /** Cluster nodes. Defaults to `foxtrot`, `golf`, `hotel`. */
  readonly nodes?: readonly string[];
  /**
   * Storages. Defaults to `local` (dir: iso, vztmpl, backup, import), `local-lvm` (lvmthin) and `vm_ssd` (shared rbd,
   * images and rootdir).
   */
  readonly storages?: readonly EmulatedStorage[];
  /** Password of `root@pam` for `POST /access/ticket`; no ticket login when absent. */
  readonly rootPassword?: string;
  /** Other users who may log in with a password, e.g. `{ 'admin@pve': 'secret' }`; they are never root@pam. */
  readonly passwords?: Readonly<Record<string, string>>;
  /** API tokens that exist from the start, e.g. `{ tokenId: 'root@pam!sdk', secret }` (privsep 0). */
  readonly tokens?: readonly {
    /** Full token ID, `user@realm!tokenid`. */
    readonly tokenId: string;
    /** Its secret. */
    readonly secret: string;
  }[];
  /**
   * Templates, import images and ISOs on the storages. Defaults to {@link DEFAULT_VOLUMES}: the Debian 12 template,
   * the Debian 12 genericcloud qcow2 (2 GiB) and the Debian netinst ISO on `local`.
   */
  readonly volumes?: readonly EmulatedVolume[];
  /** How long tasks run, in milliseconds. Defaults to 30. */
  readonly taskDurationMs?: number;
  /** Faults to inject; their `latencyMs` also lengthens every task by that much. */
  readonly faults?: FaultOptions;
}

/** A running Proxmox VE API emulator on `https://127.0.0.1:<port>` (API under `/api2/json`). */
export interface ProxmoxEmulator {
  /** Origin, `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** The self-signed certificate, PEM. */
  readonly caPem: string;
  /** SHA-256 fingerprint of the certificate. */
  readonly fingerprint256: string;
  /** The emulated cluster; read it in assertions, seed it before a test. */
  readonly state: ProxmoxEmulatorState;
  /** Every request served, faulted ones included. */
  readonly roundTrips: RoundTripLog;
  /** Replaces the fault settings. */
  setFaults(faults: FaultOptions): void;
  /** Stops the server. */
  close(): Promise<void>;
}

interface Caller {
  readonly identity: string;
  readonly kind: 'token' | 'ticket';
  readonly isRootUser: boolean;
}

type Handler = (params: Record<string, string>, caller: Caller) => EmulatorReply;

const API = '/api2/json';
const LXC_CREATE_ONLY = ['ostemplate', 'password', 'pool', 'ssh-public-keys', 'start', 'storage', 'vmid', 'node'];
const QEMU_CREATE_ONLY = ['pool', 'start', 'storage', 'vmid', 'node'];

/**
 * Starts a Proxmox VE API emulator: parameter verification as the real API does it, token and ticket (+CSRF) auth,
 * root@pam-only checks, asynchronous tasks, config digests, version-dependent privileges and per-node storage.
 *
 * @param options - Version, nodes, storages, credentials and faults.
 * @returns The running emulator.
 *
 * @example
 * ```ts
 * import { ProxmoxClient } from '@talos-sdk/topology/proxmox';
 * import { startProxmoxEmulator } from '@talos-sdk/topology/testing';
 *
 * const pve = await startProxmoxEmulator({ rootPassword: 'test-only', version: '8.4.1' });
 * const client = new ProxmoxClient({
 *   url: pve.url,
 *   credentials: { kind: 'password', username: 'root@pam', password: 'test-only' },
 *   tls: { fingerprint256: pve.fingerprint256 },
 * });
 * console.log(await client.version()); // { version: '8.4.1', release: '8.4', major: 8 }
 * await client.close();
 * await pve.close();
 * ```
 */
export async function startProxmoxEmulator(options: ProxmoxEmulatorOptions = {}): Promise<ProxmoxEmulator> {
  const nodes = [...(options.nodes ?? ['foxtrot', 'golf', 'hotel'])];
  const state: ProxmoxEmulatorState = {
    version: options.version ?? '9.0.3',
    nodes,
    storages: [
      ...(options.storages ?? [
        { storage: 'local', type: 'dir', shared: 0, content: 'iso,vztmpl,backup,import' },
        { storage: 'local-lvm', type: 'lvmthin', shared: 0, content: 'images,rootdir' },
        { storage: 'vm_ssd', type: 'rbd', shared: 1, content: 'images,rootdir' },
      ]),
    ],
    volumes: [...(options.volumes ?? DEFAULT_VOLUMES)],
    guests: new Map(),
    roles: new Map([
      ['Administrator', { privs: new Set(privilegesOf(options.version ?? '9.0.3')), special: 1 }],
      ['PVEAuditor', { privs: new Set(['Datastore.Audit', 'Sys.Audit', 'VM.Audit']), special: 1 }],
    ]),
    users: new Map([['root@pam', { comment: 'root', enable: 1 }]]),
    tokens: new Map((options.tokens ?? []).map((token) => [token.tokenId, { secret: token.secret, privsep: 0 }])),
    acl: [],
    tickets: new Map(),
    tasks: new Map(),
    requests: [],
    mixedAuthRequests: [],
    creations: [],
    deletions: [],
  };
  const tickets = state.tickets;
  const taskDurationMs = options.taskDurationMs ?? 30;
  let faults = options.faults ?? {};

  const routes: [method: string, template: string, handler: Handler][] = [
    [
      'GET',
      '/version',
      () => ok({ version: state.version, release: state.version.split('.').slice(0, 2).join('.'), repoid: 'e0a1b2c3' }),
    ],
    [
      'GET',
      '/nodes',
      () => ok(state.nodes.map((node) => ({ node, status: 'online', type: 'node', id: `node/${node}` }))),
    ],
    ['GET', '/cluster/resources', (p) => ok(clusterResources(p['type']))],
    ['GET', '/nodes/{node}/storage', (p) => withNode(p, () => ok(nodeStorage(p)))],
    ['GET', '/nodes/{node}/storage/{storage}/content', (p) => withNode(p, () => storageContent(p))],
    ['GET', '/cluster/nextid', (p) => nextId(p)],
    ['GET', '/nodes/{node}/lxc', (p) => withNode(p, () => ok(guestList('lxc', p['node']!)))],
    ['GET', '/nodes/{node}/qemu', (p) => withNode(p, () => ok(guestList('qemu', p['node']!)))],
    ['DELETE', '/nodes/{node}/lxc/{vmid}', (p, c) => destroyGuest('lxc', p, c)],
    ['DELETE', '/nodes/{node}/qemu/{vmid}', (p, c) => destroyGuest('qemu', p, c)],
    ['POST', '/nodes/{node}/qemu/{vmid}/config', (p, c) => updateConfigInTask(p, c)],
    ['GET', '/nodes/{node}/lxc/{vmid}/status/current', (p) => guestStatus('lxc', p)],
    ['GET', '/nodes/{node}/qemu/{vmid}/status/current', (p) => guestStatus('qemu', p)],
    ['POST', '/nodes/{node}/lxc/{vmid}/status/start', (p, c) => startGuest('lxc', p, c)],
    ['POST', '/nodes/{node}/qemu/{vmid}/status/start', (p, c) => startGuest('qemu', p, c)],
    ['POST', '/nodes/{node}/lxc/{vmid}/status/stop', (p, c) => stopGuest('lxc', p, c)],
    ['POST', '/nodes/{node}/qemu/{vmid}/status/stop', (p, c) => stopGuest('qemu', p, c)],
    ['POST', '/nodes/{node}/lxc', (p, c) => withNode(p, () => createGuest('lxc', p, c))],
    ['GET', '/nodes/{node}/lxc/{vmid}/config', (p) => readConfig('lxc', p)],
    ['PUT', '/nodes/{node}/lxc/{vmid}/config', (p, c) => updateConfig('lxc', p, c)],
    ['POST', '/nodes/{node}/qemu', (p, c) => withNode(p, () => createGuest('qemu', p, c))],
    ['GET', '/nodes/{node}/qemu/{vmid}/config', (p) => readConfig('qemu', p)],
    ['PUT', '/nodes/{node}/qemu/{vmid}/config', (p, c) => updateConfig('qemu', p, c)],
    ['PUT', '/nodes/{node}/qemu/{vmid}/resize', (p, c) => resizeDisk(p, c)],
    ['GET', '/nodes/{node}/tasks', (p) => withNode(p, () => ok(nodeTasks(p)))],
    ['GET', '/nodes/{node}/tasks/{upid}/status', (p) => taskStatus(p)],
    ['GET', '/nodes/{node}/tasks/{upid}/log', (p) => taskLog(p)],
    [
      'GET',
      '/access/roles',
      () =>
        ok(
          [...state.roles].map(([roleid, role]) => ({
            roleid,
            privs: [...role.privs].sort().join(','),
            special: role.special,
          })),
        ),
    ],
    ['POST', '/access/roles', (p) => createRole(p)],
    ['PUT', '/access/roles/{roleid}', (p) => updateRole(p)],
    ['DELETE', '/access/roles/{roleid}', (p) => deleteRole(p)],
    ['GET', '/access/users', () => ok([...state.users].map(([userid, user]) => ({ userid, ...user })))],
    ['POST', '/access/users', (p) => createUser(p)],
    ['PUT', '/access/users/{userid}', (p) => updateUser(p)],
    ['DELETE', '/access/users/{userid}', (p) => deleteUser(p)],
    ['GET', '/access/users/{userid}/token', (p) => listTokens(p)],
    ['POST', '/access/users/{userid}/token/{tokenid}', (p) => createToken(p)],
    ['PUT', '/access/users/{userid}/token/{tokenid}', (p) => updateToken(p)],
    ['DELETE', '/access/users/{userid}/token/{tokenid}', (p) => deleteToken(p)],
    ['GET', '/access/acl', () => ok(state.acl.map((entry) => ({ ...entry })))],
    ['PUT', '/access/acl', (p) => updateAcl(p)],
  ];

  function handle(request: EmulatorRequest): EmulatorReply {
    settleTasks();
    if (!request.path.startsWith(`${API}/`)) return fail(404, 'not found');
    const path = request.path.slice(API.length);
    const params: Record<string, string> = Object.fromEntries(request.query);
    if (typeof request.body === 'object' && request.body !== null && !Array.isArray(request.body)) {
      for (const [key, value] of Object.entries(request.body)) params[key] = String(value);
    }
    if (request.method === 'POST' && path === '/access/ticket') {
      state.requests.push({ method: request.method, path, auth: 'none' });
      return login(params);
    }
    const caller = authenticate(request, path);
    if ('status' in caller) return caller;
    for (const [method, template, handler] of routes) {
      const match = matchTemplate(template, path);
      if (method !== request.method || !match) continue;
      Object.assign(params, match);
      const errors = verifyParameters(
        parametersOf(ENDPOINT_PARAMETERS[`${method} ${template}`] ?? {}, state.version),
        params,
      );
      if (Object.keys(errors).length > 0) {
        return invalidParameters(errors);
      }
      return handler(params, caller);
    }
    return fail(501, `Method '${request.method} ${API}${path}' not implemented`);
  }

  function authenticate(request: EmulatorRequest, path: string): Caller | EmulatorReply {
    const cookie = /(?:^|;\s*)PVEAuthCookie=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
    const header = /^PVEAPIToken[= ]([^;]+)/.exec(request.headers.authorization ?? '')?.[1];
    const record = {
      method: request.method,
      path,
      auth: cookie ? ('ticket' as const) : header ? ('token' as const) : ('none' as const),
    };
    state.requests.push(record);
    if (cookie && header) state.mixedAuthRequests.push(record);
    if (cookie) {
      const ticket = tickets.get(decodeURIComponent(cookie));
      if (!ticket) return unauthorized('permission denied - invalid PVE ticket');
      if (request.method !== 'GET' && request.headers['csrfpreventiontoken'] !== ticket.csrf) {
        return unauthorized('Permission denied - invalid csrf token');
      }
      return { identity: ticket.user, kind: 'ticket', isRootUser: ticket.user === 'root@pam' };
    }
    if (header) {
      const value = decodeURIComponent(header);
      const eq = value.lastIndexOf('=');
      const tokenId = value.slice(0, eq);
      const token = state.tokens.get(tokenId);
      if (eq < 0 || !token || token.secret !== value.slice(eq + 1)) return unauthorized('authentication failure');
      return { identity: tokenId, kind: 'token', isRootUser: false };
    }
    return unauthorized('No ticket');
  }

  function login(params: Record<string, string>): EmulatorReply {
    const errors = verifyParameters(ENDPOINT_PARAMETERS['POST /access/ticket'] ?? {}, params);
    if (Object.keys(errors).length > 0) return invalidParameters(errors);
    const username =
      params['realm'] && !params['username']!.includes('@')
        ? `${params['username']}@${params['realm']}`
        : params['username']!;
    const password = username === 'root@pam' ? options.rootPassword : options.passwords?.[username];
    if (password === undefined || params['password'] !== password) {
      // The login handler itself refuses (pve-access-control `PVE::API2::AccessControl` `create_ticket`), so the
      // answer is formatted like any other refusal.
      return fail(401, 'authentication failure');
    }
    const ticket = `PVE:${username}:${Math.floor(Date.now() / 1000)
      .toString(16)
      .toUpperCase()}::${randomBytes(24).toString('base64')}`;
    const csrf = `${Math.floor(Date.now() / 1000)
      .toString(16)
      .toUpperCase()}:${randomBytes(16).toString('base64')}`;
    tickets.set(ticket, { user: username, csrf });
    return ok({ ticket, CSRFPreventionToken: csrf, username, clustername: 'emulated' });
  }

  function withNode(params: Record<string, string>, next: () => EmulatorReply): EmulatorReply {
    return state.nodes.includes(params['node']!)
      ? next()
      : fail(500, `hostname lookup '${params['node']}' failed - no such node`);
  }

  function storagesOn(node: string): EmulatedStorage[] {
    return state.storages.filter((storage) => !storage.nodes || storage.nodes.includes(node));
  }

  function nodeStorage(params: Record<string, string>): unknown[] {
    const wanted = params['content']?.split(',');
    return storagesOn(params['node']!)
      .filter((storage) => !params['storage'] || storage.storage === params['storage'])
      .filter((storage) => !wanted || wanted.every((content) => storage.content.split(',').includes(content)))
      .map((storage) => ({
        ...storage,
        nodes: undefined,
        active: 1,
        enabled: 1,
        total: 2 ** 40,
        used: 2 ** 38,
        avail: 2 ** 40 - 2 ** 38,
      }));
  }

  /** The volumes of a storage that a node sees: all of a shared storage's, a node-local storage's own. */
  function volumesOn(node: string, storageId: string): EmulatedVolume[] {
    return state.volumes.filter(
      (volume) => volume.volid.startsWith(`${storageId}:`) && (!volume.nodes || volume.nodes.includes(node)),
    );
  }

  function findVolume(node: string, volid: string): EmulatedVolume | undefined {
    const storageId = volid.split(':')[0] ?? '';
    if (!storagesOn(node).some((storage) => storage.storage === storageId)) return undefined;
    return volumesOn(node, storageId).find((volume) => volume.volid === volid);
  }

  function storageContent(params: Record<string, string>): EmulatorReply {
    const storage = storagesOn(params['node']!).find((item) => item.storage === params['storage']);
    if (!storage) return fail(500, `storage '${params['storage']}' does not exist on node '${params['node']}'`);
    // pve-storage lists only the content types the storage is configured for.
    const offered = storage.content.split(',');
    return ok(
      volumesOn(params['node']!, storage.storage)
        .filter((volume) => offered.includes(volume.content))
        .filter((volume) => !params['content'] || volume.content === params['content'])
        .map((volume) => ({
          volid: volume.volid,
          content: volume.content,
          format: volume.format,
          size: volume.size,
          ctime: 1_700_000_000,
        })),
    );
  }

  function clusterResources(type: string | undefined): unknown[] {
    const out: unknown[] = [];
    if (!type || type === 'node')
      for (const node of state.nodes) out.push({ id: `node/${node}`, type: 'node', node, status: 'online' });
    if (!type || type === 'storage') {
      for (const node of state.nodes) {
        for (const storage of storagesOn(node)) {
          out.push({
            id: `storage/${node}/${storage.storage}`,
            type: 'storage',
            node,
            storage: storage.storage,
            plugintype: storage.type,
            shared: storage.shared,
            content: storage.content,
            status: 'available',
          });
        }
      }
    }
    if (!type || type === 'vm') {
      for (const [vmid, guest] of state.guests) {
        out.push({
          id: `${guest.type}/${vmid}`,
          type: guest.type,
          vmid,
          node: guest.node,
          name: guest.config['hostname'] ?? guest.config['name'],
          status: guest.running ? 'running' : 'stopped',
          ...(guest.config['tags'] ? { tags: guest.config['tags'] } : {}),
          ...(guest.config['lock'] ? { lock: guest.config['lock'] } : {}),
        });
      }
    }
    return out;
  }

  function rootOnlyReason(type: 'lxc' | 'qemu', params: Record<string, string>, caller: Caller): string | undefined {
    if (caller.isRootUser || type !== 'lxc') return undefined;
    if (Object.keys(params).some((key) => /^dev\d+$/.test(key)))
      return 'configuring device passthrough is only allowed for root@pam';
    const features = params['features'];
    if (features !== undefined) {
      const flags = features.split(',').filter((item) => item !== '' && !/^nesting=/.test(item) && !/=0$/.test(item));
      if (flags.length > 0) return 'changing feature flags (except nesting) is only allowed for root@pam';
    }
    return undefined;
  }

  function createGuest(type: 'lxc' | 'qemu', params: Record<string, string>, caller: Caller): EmulatorReply {
    const vmid = Number(params['vmid']);
    const node = params['node']!;
    const kind = type === 'lxc' ? 'CT' : 'VM';
    const denied = rootOnlyReason(type, params, caller);
    if (denied) return fail(403, `Permission check failed (${denied})`);
    const existing = state.guests.get(vmid);
    if (existing)
      return fail(500, `unable to create ${kind} ${vmid} - ${kind} ${vmid} already exists on node '${existing.node}'`);
    const keysRejected = sshKeysRejected(type, params);
    if (keysRejected) return keysRejected;
    const config: Record<string, string> = {};
    let disks = 0;
    for (const [key, value] of Object.entries(params)) {
      if ((type === 'lxc' ? LXC_CREATE_ONLY : QEMU_CREATE_ONLY).includes(key)) continue;
      config[key] = value;
    }
    // Problems qemu-server and pve-container only meet inside the create task, which then fails.
    const taskFailures: string[] = [];
    for (const [key, value] of Object.entries(config)) {
      if (key === 'rootfs' || /^(mp|scsi|ide|sata|virtio)\d+$/.test(key)) {
        const allocated = allocateVolume(type, vmid, node, value, () => disks++);
        if (allocated.startsWith('error:')) return fail(500, allocated.slice(6));
        if (allocated.startsWith('task-error:')) taskFailures.push(allocated.slice(11));
        config[key] = allocated;
      } else if (key === 'cipassword') {
        config[key] = hashPassword(value);
      } else if (/^net\d+$/.test(key)) {
        config[key] = type === 'lxc' ? addLxcHwaddr(value) : addQemuMac(value);
      }
    }
    if (type === 'lxc') {
      config['arch'] ??= 'amd64';
      config['ostype'] ??= 'debian';
      if (config['unprivileged'] === undefined && Number(state.version.split('.')[0]) >= 9)
        config['unprivileged'] = '1';
    } else {
      config['meta'] = `creation-qemu=9.2.0,ctime=${Math.floor(Date.now() / 1000)}`;
      config['vmgenid'] = randomUUID();
      config['smbios1'] ??= `uuid=${randomUUID()}`;
    }
    // pve-container `create_vm` and qemu-server `create_vm` first write a config holding only `lock: create`
    // (`create_and_lock_config`), then fill it in the worker: until the task ends, a reader sees just the lock.
    const guest: EmulatedGuest = { type, node, config: { lock: 'create' }, digest: '' };
    guest.digest = digestOf(guest.config);
    state.guests.set(vmid, guest);
    const template = params['ostemplate'];
    if (type === 'lxc' && template && !findVolume(node, template))
      taskFailures.push(`volume '${template}' does not exist`);
    const failure = taskFailures.length ? `unable to create ${kind} ${vmid} - ${taskFailures[0]}` : undefined;
    const upid = startTask(
      node,
      type === 'lxc' ? 'vzcreate' : 'qmcreate',
      String(vmid),
      caller.identity,
      failure,
      () => {
        if (failure) state.guests.delete(vmid);
        else {
          guest.config = config;
          guest.digest = digestOf(guest.config);
          state.creations.push(`${type}/${vmid}`);
        }
      },
    );
    return ok(upid);
  }

  function allocateVolume(type: 'lxc' | 'qemu', vmid: number, node: string, value: string, next: () => number): string {
    const [volume = '', ...rest] = value.split(',');
    const fresh = /^([\w.-]+):(\d+(\.\d+)?)$/.exec(volume);
    const cloudinit = /^([\w.-]+):cloudinit$/.exec(volume);
    const storageId = fresh?.[1] ?? cloudinit?.[1];
    if (storageId === undefined) {
      // An existing volume attached as is: an installer ISO (`local:iso/…,media=cdrom`).
      const attached = rest.includes('media=cdrom') && volume.includes(':') && !findVolume(node, volume);
      return attached ? `task-error:volume '${volume}' does not exist` : value;
    }
    const storage = storagesOn(node).find((item) => item.storage === storageId);
    const content = type === 'lxc' ? 'rootdir' : 'images';
    if (!storage) return `error:storage '${storageId}' does not exist`;
    if (!storage.content.split(',').includes(content)) {
      return `error:storage '${storageId}' does not support ${type === 'lxc' ? 'container directories' : 'vm images'}`;
    }
    if (cloudinit) return [`${storageId}:vm-${vmid}-cloudinit`, 'media=cdrom', ...rest].join(',');
    const name = `${storageId}:vm-${vmid}-disk-${next()}`;
    // An imported image (`STORAGE:0,import-from=…`) becomes a disk of the image's (virtual) size, whatever size the
    // request names; the option is not kept. The `import` content type (and so `<storage>:import/<file>`) is PVE 8.3+.
    const source = rest.find((item) => item.startsWith('import-from='))?.slice('import-from='.length);
    let size = `${fresh![2]}G`;
    if (source !== undefined) {
      if (source.includes(':import/') && !versionAtLeast(state.version, '8.3')) {
        return `task-error:unable to parse directory volume name '${source.split(':')[1]}'`;
      }
      const image = findVolume(node, source);
      if (!image) return `task-error:volume '${source}' does not exist`;
      size = formatSize(image.size);
    }
    const options = rest.filter((item) => !item.startsWith('size=') && !item.startsWith('import-from='));
    return [name, ...[...options, `size=${size}`].sort()].join(',');
  }

  function readConfig(type: 'lxc' | 'qemu', params: Record<string, string>): EmulatorReply {
    const guest = findGuest(type, params);
    if ('status' in guest) return guest;
    // qemu-server never returns the stored cloud-init password, only that there is one.
    const hidden = guest.config['cipassword'] === undefined ? {} : { cipassword: '**********' };
    return ok({ ...configAsReturned(type, guest.config, state.version), ...hidden, digest: guest.digest });
  }

  /**
   * `sshkeys` (QEMU) arrives percent-encoded (schema format `urlencoded`): qemu-server decodes it with
   * `uri_unescape` only to validate the keys and stores the encoded text. `ssh-public-keys` (LXC) is plain text.
   */
  function sshKeysRejected(type: 'lxc' | 'qemu', params: Record<string, string>): EmulatorReply | undefined {
    const raw = type === 'qemu' ? params['sshkeys'] : params['ssh-public-keys'];
    if (raw === undefined) return undefined;
    const text = type === 'qemu' ? uriUnescape(raw) : raw;
    return validSshPublicKeys(text) ? undefined : fail(500, 'SSH public key validation error');
  }

  function resizeDisk(params: Record<string, string>, caller: Caller): EmulatorReply {
    const guest = findGuest('qemu', params);
    if ('status' in guest) return guest;
    // qemu-server runs the resize in a worker (since 8.0.2: "have resize endpoint spawn a worker task") and returns
    // its UPID; every check below fails the task, not the request.
    const failure = resizeFailure(guest, params);
    return ok(startTask(guest.node, 'resize', params['vmid']!, caller.identity, failure, () => undefined));
  }

  /** Grows the disk as `resize_vm` does (absolute or `+` size, never smaller), or says why it cannot. */
  function resizeFailure(guest: EmulatedGuest, params: Record<string, string>): string | undefined {
    const disk = params['disk']!;
    const sizeText = params['size']!;
    const value = guest.config[disk];
    if (guest.config['lock']) return `VM is locked (${guest.config['lock']})`;
    if (params['digest'] !== undefined && params['digest'] !== guest.digest)
      return 'checksum mismatch (file change by other user?)';
    if (value === undefined) return `disk '${disk}' does not exist`;
    if (value.split(',').includes('media=cdrom')) return "you can't resize a cdrom";
    const current = parseSize(/(?:^|,)size=([^,]+)/.exec(value)?.[1] ?? '') ?? 0;
    const requested = parseSize(sizeText.replace(/^\+/, '')) ?? 0;
    const wanted = sizeText.startsWith('+') ? current + requested : requested;
    if (wanted < current) return 'shrinking disks is not supported';
    if (wanted === current) return undefined;
    guest.config[disk] = value.replace(/(^|,)size=[^,]+/, `$1size=${formatSize(wanted)}`);
    guest.digest = digestOf(guest.config);
    return undefined;
  }

  function findGuest(type: 'lxc' | 'qemu', params: Record<string, string>): EmulatedGuest | EmulatorReply {
    const guest = state.guests.get(Number(params['vmid']));
    if (!guest || guest.type !== type || guest.node !== params['node']) {
      return fail(
        500,
        `Configuration file 'nodes/${params['node']}/${type === 'lxc' ? 'lxc' : 'qemu-server'}/${params['vmid']}.conf' does not exist`,
      );
    }
    return guest;
  }

  function updateConfig(type: 'lxc' | 'qemu', params: Record<string, string>, caller: Caller): EmulatorReply {
    const guest = findGuest(type, params);
    if ('status' in guest) return guest;
    const denied = rootOnlyReason(type, params, caller);
    if (denied) return fail(403, `Permission check failed (${denied})`);
    if (guest.config['lock']) return fail(500, `${type === 'lxc' ? 'CT' : 'VM'} is locked (${guest.config['lock']})`);
    if (params['digest'] !== undefined && params['digest'] !== guest.digest) {
      return fail(500, 'detected modified configuration - file changed by other user? Try again.');
    }
    if (
      type === 'lxc' &&
      params['unprivileged'] !== undefined &&
      params['unprivileged'] !== (guest.config['unprivileged'] ?? '0')
    ) {
      return fail(500, "unable to modify read-only option: 'unprivileged'");
    }
    const keysRejected = type === 'qemu' ? sshKeysRejected(type, params) : undefined;
    if (keysRejected) return keysRejected;
    for (const [key, value] of Object.entries(params)) {
      if (['node', 'vmid', 'digest', 'delete', 'revert', 'skiplock', 'background_delay'].includes(key)) continue;
      guest.config[key] = /^net\d+$/.test(key)
        ? type === 'lxc'
          ? addLxcHwaddr(value)
          : addQemuMac(value)
        : key === 'cipassword'
          ? hashPassword(value)
          : value;
    }
    for (const key of (params['delete'] ?? '').split(/[,;\s]+/).filter(Boolean)) delete guest.config[key];
    guest.digest = digestOf(guest.config);
    return ok(null);
  }

  /**
   * `GET /cluster/nextid` (pve-manager `PVE/API2/Cluster.pm`): the lowest free VMID from 100, or the asked one when
   * free. The loop's number is used as a hash key before it is returned, so Perl's JSON encoder sends it as a string.
   */
  function nextId(params: Record<string, string>): EmulatorReply {
    if (params['vmid'] !== undefined) {
      return state.guests.has(Number(params['vmid']))
        ? invalidParameters({ vmid: `VM ${params['vmid']} already exists` })
        : ok(params['vmid']);
    }
    let vmid = 100;
    while (state.guests.has(vmid)) vmid++;
    return ok(String(vmid));
  }

  /** `GET /nodes/{node}/lxc` and `…/qemu` (pve-container and qemu-server `vmlist`): the node's guests of that type. */
  function guestList(type: 'lxc' | 'qemu', node: string): unknown[] {
    return [...state.guests]
      .filter(([, guest]) => guest.type === type && guest.node === node)
      .map(([vmid, guest]) => {
        const config = configAsReturned(type, guest.config, state.version);
        const memory = Number(/\d+/.exec(String(config['memory'] ?? 512))?.[0] ?? 512);
        const name = config[type === 'lxc' ? 'hostname' : 'name'];
        return {
          vmid,
          status: guest.running ? 'running' : 'stopped',
          ...(name === undefined ? {} : { name }),
          cpus: Number(config['cores'] ?? 1),
          maxmem: memory * 1024 * 1024,
          maxdisk: 0,
          uptime: 0,
          ...(type === 'lxc' ? { type: 'lxc' } : {}),
          ...(config['lock'] === undefined ? {} : { lock: config['lock'] }),
          ...(config['tags'] === undefined ? {} : { tags: config['tags'] }),
        };
      });
  }

  /**
   * `DELETE /nodes/{node}/{lxc|qemu}/{vmid}`: a `vzdestroy`/`qmdestroy` task that removes the guest and its disks;
   * a locked guest is refused at once (`check_lock` before the worker forks).
   */
  function destroyGuest(type: 'lxc' | 'qemu', params: Record<string, string>, caller: Caller): EmulatorReply {
    const guest = findGuest(type, params);
    if ('status' in guest) return guest;
    if (guest.config['lock'] && params['skiplock'] !== '1')
      return fail(500, `${type === 'lxc' ? 'CT' : 'VM'} is locked (${guest.config['lock']})`);
    // pve-container `API2/LXC.pm` and qemu-server `API2/Qemu.pm` refuse a running guest early (LXC unless `force`).
    if (guest.running && !(type === 'lxc' && params['force'] === '1')) {
      return fail(
        500,
        type === 'lxc'
          ? `unable to destroy CT ${params['vmid']} - container is running`
          : `VM ${params['vmid']} is running - destroy failed`,
      );
    }
    const vmid = Number(params['vmid']);
    const task = type === 'lxc' ? 'vzdestroy' : 'qmdestroy';
    return ok(
      startTask(guest.node, task, params['vmid']!, caller.identity, undefined, () => {
        state.guests.delete(vmid);
        state.deletions.push(`${type}/${vmid}`);
      }),
    );
  }

  /** `GET …/{vmid}/status/current` (pve-container and qemu-server `vm_status`): the power state and the basics. */
  function guestStatus(type: 'lxc' | 'qemu', params: Record<string, string>): EmulatorReply {
    const guest = findGuest(type, params);
    if ('status' in guest) return guest;
    const config = configAsReturned(type, guest.config, state.version);
    const status = guest.running ? 'running' : 'stopped';
    const name = config[type === 'lxc' ? 'hostname' : 'name'];
    return ok({
      vmid: Number(params['vmid']),
      status,
      ...(name === undefined ? {} : { name }),
      cpus: Number(config['cores'] ?? 1),
      uptime: status === 'running' ? 1 : 0,
      ...(type === 'qemu' ? { qmpstatus: status } : { type: 'lxc' }),
      ...(config['lock'] === undefined ? {} : { lock: config['lock'] }),
      ...(config['tags'] === undefined ? {} : { tags: config['tags'] }),
    });
  }

  /**
   * `POST …/{vmid}/status/start`: a `vzstart`/`qmstart` task. pve-container (`API2/LXC/Status.pm`) refuses a running
   * container before forking (`CT <vmid> already running`, so the request fails); qemu-server finds a running VM
   * inside the worker (`QemuServer.pm` `vm_start`), so that task fails. Both check the config lock in the worker.
   */
  function startGuest(type: 'lxc' | 'qemu', params: Record<string, string>, caller: Caller): EmulatorReply {
    const guest = findGuest(type, params);
    if ('status' in guest) return guest;
    const running = guest.running === true;
    if (type === 'lxc' && running) return fail(500, `CT ${params['vmid']} already running`);
    const lock = guest.config['lock'];
    const failure = running
      ? `VM ${params['vmid']} already running`
      : lock !== undefined && params['skiplock'] !== '1'
        ? `${type === 'lxc' ? 'CT' : 'VM'} is locked (${lock})`
        : undefined;
    const task = type === 'lxc' ? 'vzstart' : 'qmstart';
    return ok(
      startTask(guest.node, task, params['vmid']!, caller.identity, failure, () => {
        if (!failure) guest.running = true;
      }),
    );
  }

  /**
   * `POST …/{vmid}/status/stop` (pve-container and qemu-server `vm_stop`): a hard stop in a `vzstop` / `qmstop` task.
   * A container that is not running is refused before the task (`CT <vmid> not running`); a VM's task just finds it
   * stopped. A lock refuses both unless `skiplock`.
   */
  function stopGuest(type: 'lxc' | 'qemu', params: Record<string, string>, caller: Caller): EmulatorReply {
    const guest = findGuest(type, params);
    if ('status' in guest) return guest;
    if (type === 'lxc' && guest.running !== true) return fail(500, `CT ${params['vmid']} not running`);
    const lock = guest.config['lock'];
    if (lock !== undefined && params['skiplock'] !== '1')
      return fail(500, `${type === 'lxc' ? 'CT' : 'VM'} is locked (${lock})`);
    return ok(
      startTask(guest.node, type === 'lxc' ? 'vzstop' : 'qmstop', params['vmid']!, caller.identity, undefined, () => {
        guest.running = false;
      }),
    );
  }

  /**
   * `POST /nodes/{node}/qemu/{vmid}/config`: the asynchronous update (qemu-server `update_vm_api` in a `qmconfig`
   * worker). Parameters are verified before the task starts; the lock and digest checks run in the worker, so they
   * fail the task, not the request.
   */
  function updateConfigInTask(params: Record<string, string>, caller: Caller): EmulatorReply {
    const guest = findGuest('qemu', params);
    if ('status' in guest) return guest;
    const result = updateConfig('qemu', params, caller);
    const failure = result.status === 200 ? undefined : (result.statusMessage ?? `HTTP ${result.status}`);
    return ok(startTask(guest.node, 'qmconfig', params['vmid']!, caller.identity, failure, () => undefined));
  }

  function startTask(
    node: string,
    type: string,
    id: string,
    user: string,
    failure: string | undefined,
    finish: () => void,
  ): string {
    const now = Date.now();
    const hex = (value: number, width: number): string => value.toString(16).toUpperCase().padStart(width, '0');
    const upid = `UPID:${node}:${hex(1000 + state.tasks.size, 8)}:${hex(now % 0xffffffff, 8)}:${hex(Math.floor(now / 1000), 8)}:${type}:${id}:${user}:`;
    const log = failure ? [`starting ${type} ${id}`, `TASK ERROR: ${failure}`] : [`starting ${type} ${id}`, 'TASK OK'];
    const task: EmulatedTask = {
      upid,
      node,
      type,
      id,
      user,
      starttime: Math.floor(now / 1000),
      endsAt: now + taskDurationMs + (faults.latencyMs ?? 0),
      exitstatus: failure ?? 'OK',
      log,
      finish,
    };
    state.tasks.set(upid, task);
    return upid;
  }

  function settleTasks(): void {
    const now = Date.now();
    for (const task of state.tasks.values()) {
      if (task.finish && now >= task.endsAt) {
        task.finish();
        delete task.finish;
      }
    }
  }

  /**
   * `GET /nodes/{node}/tasks` as pve-manager `PVE/API2/Tasks.pm` `node_tasks` lists them: `source=active` the running
   * tasks (no `status` yet), `archive` (the default) the finished ones, `all` both; `vmid` filters by object ID.
   */
  function nodeTasks(params: Record<string, string>): unknown[] {
    const source = params['source'] ?? 'archive';
    return [...state.tasks.values()]
      .filter((task) => task.node === params['node'])
      .filter((task) => params['vmid'] === undefined || task.id === params['vmid'])
      .filter((task) => source === 'all' || (source === 'active') === (task.finish !== undefined))
      .map((task) => ({
        upid: task.upid,
        node: task.node,
        pid: 1000,
        pstart: 1,
        starttime: task.starttime,
        type: task.type,
        id: task.id,
        user: task.user,
        ...(task.finish === undefined ? { status: task.exitstatus, endtime: Math.floor(task.endsAt / 1000) } : {}),
      }));
  }

  function taskStatus(params: Record<string, string>): EmulatorReply {
    const task = state.tasks.get(params['upid']!);
    if (!task || task.node !== params['node']) return fail(500, `no such task`);
    const running = task.finish !== undefined;
    return ok({
      upid: task.upid,
      node: task.node,
      pid: 1000,
      pstart: 1,
      starttime: task.starttime,
      type: task.type,
      id: task.id,
      user: task.user,
      status: running ? 'running' : 'stopped',
      ...(running ? {} : { exitstatus: task.exitstatus }),
    });
  }

  function taskLog(params: Record<string, string>): EmulatorReply {
    const task = state.tasks.get(params['upid']!);
    if (!task || task.node !== params['node']) return fail(500, `no such task`);
    const start = Number(params['start'] ?? 0);
    const limit = Number(params['limit'] ?? 50);
    return ok(task.log.map((t, index) => ({ n: index + 1, t })).slice(start, start + limit));
  }

  function parsePrivs(text: string | undefined): Set<string> | EmulatorReply {
    const known = privilegesOf(state.version);
    const privs = new Set((text ?? '').split(/[,;\s]+/).filter(Boolean));
    for (const priv of privs) {
      if (!known.has(priv)) return invalidParameters({ privs: `invalid format - invalid privilege '${priv}'` });
    }
    return privs;
  }

  function createRole(params: Record<string, string>): EmulatorReply {
    const roleid = params['roleid']!;
    const privs = parsePrivs(params['privs']);
    if (!(privs instanceof Set)) return privs;
    if (state.roles.has(roleid)) return fail(500, `role '${roleid}' already exists`);
    state.roles.set(roleid, { privs, special: 0 });
    state.creations.push(`role/${roleid}`);
    return ok(null);
  }

  function updateRole(params: Record<string, string>): EmulatorReply {
    const role = state.roles.get(params['roleid']!);
    if (!role) return fail(500, `role '${params['roleid']}' does not exist`);
    if (role.special) return fail(500, `cannot modify special role '${params['roleid']}'`);
    const privs = parsePrivs(params['privs']);
    if (!(privs instanceof Set)) return privs;
    role.privs = params['append'] === '1' ? new Set([...role.privs, ...privs]) : privs;
    return ok(null);
  }

  /**
   * `DELETE /access/roles/{roleid}` (pve-access-control `PVE/API2/Role.pm` `delete_role`): a built-in role cannot go.
   * ACL entries naming a role that no longer exists are dropped when `user.cfg` is read again.
   */
  function deleteRole(params: Record<string, string>): EmulatorReply {
    const roleid = params['roleid']!;
    const role = state.roles.get(roleid);
    if (!role) return fail(500, `role '${roleid}' does not exist`);
    if (role.special) return fail(500, `cannot delete special role '${roleid}'`);
    state.roles.delete(roleid);
    dropAcl((entry) => entry.roleid === roleid);
    state.deletions.push(`role/${roleid}`);
    return ok(null);
  }

  /**
   * `DELETE /access/users/{userid}` (pve-access-control `PVE/API2/User.pm` `delete_user`): the user goes with its API
   * tokens (kept in the user's `user.cfg` entry) and its ACL entries (`delete_user_acl`); the tokens' entries are
   * dropped with the tokens.
   */
  function deleteUser(params: Record<string, string>): EmulatorReply {
    const userid = params['userid']!;
    if (!state.users.delete(userid)) return fail(500, `delete user failed: no such user ('${userid}')`);
    const prefix = `${userid}!`;
    for (const id of [...state.tokens.keys()]) if (id.startsWith(prefix)) state.tokens.delete(id);
    dropAcl(
      (entry) =>
        (entry.type === 'user' && entry.ugid === userid) || (entry.type === 'token' && entry.ugid.startsWith(prefix)),
    );
    state.deletions.push(`user/${userid}`);
    return ok(null);
  }

  function dropAcl(drop: (entry: EmulatedAclEntry) => boolean): void {
    state.acl.splice(0, state.acl.length, ...state.acl.filter((entry) => !drop(entry)));
  }

  function createUser(params: Record<string, string>): EmulatorReply {
    const userid = params['userid']!;
    const realm = userid.slice(userid.lastIndexOf('@') + 1);
    if (!['pam', 'pve'].includes(realm)) return fail(500, `create user failed: domain '${realm}' does not exist`);
    if (state.users.has(userid)) return fail(500, `create user failed: user '${userid}' already exists`);
    state.users.set(userid, {
      ...(params['comment'] === undefined ? {} : { comment: params['comment'] }),
      enable: params['enable'] === '0' ? 0 : 1,
    });
    state.creations.push(`user/${userid}`);
    return ok(null);
  }

  function updateUser(params: Record<string, string>): EmulatorReply {
    const user = state.users.get(params['userid']!);
    if (!user) return fail(500, `update user failed: no such user ('${params['userid']}')`);
    if (params['comment'] !== undefined) user.comment = params['comment'];
    if (params['enable'] !== undefined) user.enable = params['enable'] === '0' ? 0 : 1;
    return ok(null);
  }

  function listTokens(params: Record<string, string>): EmulatorReply {
    if (!state.users.has(params['userid']!)) return fail(500, `no such user ('${params['userid']}')`);
    const prefix = `${params['userid']}!`;
    return ok(
      [...state.tokens]
        .filter(([id]) => id.startsWith(prefix))
        .map(([id, token]) => ({
          tokenid: id.slice(prefix.length),
          privsep: token.privsep,
          expire: 0,
          ...(token.comment === undefined ? {} : { comment: token.comment }),
        })),
    );
  }

  function createToken(params: Record<string, string>): EmulatorReply {
    const userid = params['userid']!;
    if (!state.users.has(userid)) return fail(500, `no such user ('${userid}')`);
    const full = `${userid}!${params['tokenid']}`;
    if (state.tokens.has(full)) {
      return invalidParameters({ tokenid: 'Token already exists.' });
    }
    const token = {
      secret: randomUUID(),
      privsep: params['privsep'] === '0' ? (0 as const) : (1 as const),
      ...(params['comment'] === undefined ? {} : { comment: params['comment'] }),
    };
    state.tokens.set(full, token);
    state.creations.push(`token/${full}`);
    return ok({
      'full-tokenid': full,
      info: { privsep: token.privsep, expire: 0, ...(token.comment === undefined ? {} : { comment: token.comment }) },
      value: token.secret,
    });
  }

  function updateToken(params: Record<string, string>): EmulatorReply {
    const token = state.tokens.get(`${params['userid']}!${params['tokenid']}`);
    if (!token) return fail(500, `no such token '${params['tokenid']}' for user '${params['userid']}'`);
    if (params['comment'] !== undefined) token.comment = params['comment'];
    if (params['privsep'] !== undefined) token.privsep = params['privsep'] === '0' ? 0 : 1;
    return ok(null);
  }

  function deleteToken(params: Record<string, string>): EmulatorReply {
    const full = `${params['userid']}!${params['tokenid']}`;
    if (!state.tokens.delete(full))
      return fail(500, `no such token '${params['tokenid']}' for user '${params['userid']}'`);
    // Proxmox drops the ACL entries of a token that no longer exists the next time it reads user.cfg.
    state.acl.splice(
      0,
      state.acl.length,
      ...state.acl.filter((entry) => !(entry.type === 'token' && entry.ugid === full)),
    );
    state.deletions.push(`token/${full}`);
    return ok(null);
  }

  function updateAcl(params: Record<string, string>): EmulatorReply {
    const path = params['path']!;
    if (!/^\/([\w.-]+(\/[\w.-]+)*)?$/.test(path)) return fail(500, `invalid ACL path '${path}'`);
    const list = (text: string | undefined): string[] => (text ?? '').split(/[,;\s]+/).filter(Boolean);
    const subjects: { type: 'user' | 'group' | 'token'; ugid: string }[] = [
      ...list(params['users']).map((ugid) => ({ type: 'user' as const, ugid })),
      ...list(params['groups']).map((ugid) => ({ type: 'group' as const, ugid })),
      ...list(params['tokens']).map((ugid) => ({ type: 'token' as const, ugid })),
    ];
    for (const roleid of list(params['roles']))
      if (!state.roles.has(roleid)) return fail(500, `role '${roleid}' does not exist`);
    for (const subject of subjects) {
      if (subject.type === 'user' && !state.users.has(subject.ugid))
        return fail(500, `user '${subject.ugid}' does not exist`);
      if (subject.type === 'token' && !state.tokens.has(subject.ugid))
        return fail(500, `no such token '${subject.ugid}'`);
      if (subject.type === 'group') return fail(500, `group '${subject.ugid}' does not exist`);
    }
    const propagate = params['propagate'] === '0' ? 0 : 1;
    for (const roleid of list(params['roles'])) {
      for (const subject of subjects) {
        const index = state.acl.findIndex(
          (entry) =>
            entry.path === path &&
            entry.type === subject.type &&
            entry.ugid === subject.ugid &&
            entry.roleid === roleid,
        );
        if (params['delete'] === '1') {
          if (index >= 0) state.acl.splice(index, 1);
        } else if (index >= 0) state.acl[index]!.propagate = propagate;
        else state.acl.push({ path, roleid, propagate, ...subject });
      }
    }
    return ok(null);
  }

  // pve-manager's self-signed node certificate (`pvecm updatecerts`) carries `O=PVE Cluster Node` and the node's name;
  // the emulator's own subject keeps it apart from the other emulators'.
  const server = await startHttpsEmulator(handle, faults, {
    subject: { commonName: 'pve.local', organizationName: 'PVE Cluster Node' },
  });
  return {
    url: server.url,
    caPem: server.caPem,
    fingerprint256: server.fingerprint256,
    state,
    roundTrips: server.roundTrips,
    setFaults(next: FaultOptions): void {
      faults = next;
      server.setFaults(next);
    },
    close: server.close,
  };
}

function ok(data: unknown): EmulatorReply {
  return { status: 200, body: { data } };
}

/**
 * A refusal as pve-http-server sends it: the message (a Perl `die` text) in the status line's reason phrase, and a
 * JSON body of only `{"data": null}` (`src/PVE/APIServer/Formatter/Standard.pm` `prepare_response_data` adds
 * `message` for the `extjs` format only).
 */
function fail(status: number, message: string): EmulatorReply {
  return { status, statusMessage: message, body: { data: null } };
}

/**
 * A request pve-http-server refuses before any handler runs (`src/PVE/APIServer/AnyEvent.pm`, `auth_handler` failing
 * into `error`): status and message in the status line, no body at all.
 */
function unauthorized(message: string): EmulatorReply {
  return { status: 401, statusMessage: message, body: undefined };
}

/** Parameter verification failed (pve-common `src/PVE/Exception.pm` `raise_param_exc`): `errors` per parameter. */
function invalidParameters(errors: Readonly<Record<string, string>>): EmulatorReply {
  return { status: 400, statusMessage: 'Parameter verification failed.', body: { data: null, errors } };
}

function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const match = new RegExp(`^${pattern}$`).exec(path);
  if (!match) return undefined;
  return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1]!)]));
}

/** Perl's `URI::Escape::uri_unescape`: every `%XX` becomes its byte, nothing else changes (`+` stays `+`). */
function uriUnescape(text: string): string {
  return Buffer.from(
    text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}

/**
 * Stores a cloud-init password the way qemu-server does for Linux guests: crypt()ed with a SHA-256 (`$5$`) salt
 * unless it already is a crypt hash (`PVE::Tools::encrypt_pw`). The emulator's hash is `$5$<salt>$<sha256 base64 of
 * salt + password>`, not crypt's real algorithm; tests recompute it the same way.
 */
function hashPassword(password: string): string {
  if (/^\$(?:[156]|2[ay])(\$.+){2}/.test(password)) return password;
  const salt = randomBytes(6).toString('hex');
  return `$5$${salt}$${createHash('sha256')
    .update(salt + password)
    .digest('base64')}`;
}

function digestOf(config: Record<string, string>): string {
  const text = Object.keys(config)
    .sort()
    .map((key) => `${key}: ${config[key]}`)
    .join('\n');
  return createHash('sha1').update(text).digest('hex');
}

function randomMac(): string {
  return [
    'BC',
    '24',
    '11',
    ...[...randomBytes(3)].map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')),
  ].join(':');
}

function addLxcHwaddr(value: string): string {
  const parsed = parsePropertyString({ keys: {} }, value);
  if (typeof parsed === 'string') return value;
  parsed['hwaddr'] ??= randomMac();
  parsed['type'] ??= 'veth';
  return Object.entries(parsed)
    .map(([key, item]) => `${key}=${item}`)
    .join(',');
}

function addQemuMac(value: string): string {
  const [first = '', ...rest] = value.split(',');
  return first.includes('=') ? value : [`${first}=${randomMac()}`, ...rest].join(',');
}
