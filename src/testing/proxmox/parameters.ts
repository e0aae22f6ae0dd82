/**
 * Parameter rules of the Proxmox VE endpoints the SDK calls, written for the emulator from the API documentation:
 * the keys we use and their types, ranges, enums and property-string sub-keys. Unknown keys are refused the way the
 * real API refuses them (`additionalProperties: 0`).
 */

import { versionAtLeast } from './state.js';

/** One parameter (or property-string sub-key) and what it accepts. */
export interface ParamRule {
  /** Value type, as the API checks it. */
  readonly type: 'integer' | 'number' | 'boolean' | 'string';
  /** `true` when the parameter may be left out. */
  readonly optional?: boolean;
  /** Smallest accepted number. */
  readonly minimum?: number;
  /** Largest accepted number. */
  readonly maximum?: number;
  /** Longest accepted text. */
  readonly maxLength?: number;
  /** Shortest accepted text. */
  readonly minLength?: number;
  /** The accepted values. */
  readonly enum?: readonly string[];
  /** A pattern the whole value must match. */
  readonly pattern?: RegExp;
  /** Sub-keys when the value is a property string (`key=value,key=value`). */
  readonly format?: PropertyFormat;
}

/** The sub-keys of a property string. */
export interface PropertyFormat {
  /** Every sub-key and its rule. */
  readonly keys: Readonly<Record<string, ParamRule>>;
  /** The sub-key a bare first item stands for (e.g. `volume` in `vm_ssd:16`). */
  readonly defaultKey?: string;
  /** Bare words naming a value of `modelKey` (`virtio` or `virtio=MAC` in a QEMU `net[n]`). */
  readonly models?: readonly string[];
}

const opt = (rule: ParamRule): ParamRule => ({ ...rule, optional: true });
const int = (minimum?: number, maximum?: number): ParamRule => ({
  type: 'integer',
  ...(minimum === undefined ? {} : { minimum }),
  ...(maximum === undefined ? {} : { maximum }),
});
const bool: ParamRule = { type: 'boolean' };
const str = (extra: Omit<ParamRule, 'type'> = {}): ParamRule => ({ type: 'string', ...extra });
const oneOf = (...values: string[]): ParamRule => ({ type: 'string', enum: values });

const NODE = str({ pattern: /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/ });
const VMID = int(100, 999_999_999);
const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}$/;
const IPV4_CIDR = /^(\d{1,3})(\.\d{1,3}){3}\/\d{1,2}$/;
const DNS_NAME = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/;
const TAGS = /^[a-zA-Z0-9_+.-]+([;, ][a-zA-Z0-9_+.-]+)*$/;
const USERID = /^[^\s:/@]+@[A-Za-z][A-Za-z0-9.\-_]+$/;
const TOKENID = /^[A-Za-z][A-Za-z0-9.\-_]+$/;
const ROLEID = /^[A-Za-z0-9.\-_]+$/;
const DISK_SIZE = /^\d+(\.\d+)?[KMGT]?$/;

const LXC_NET: PropertyFormat = {
  keys: {
    name: str({ pattern: /^[-_.\w\d]+$/ }),
    bridge: opt(str({ pattern: /^[-_.\w\d]+$/ })),
    firewall: opt(bool),
    gw: opt(str({ pattern: IPV4 })),
    gw6: opt(str()),
    hwaddr: opt(str({ pattern: /^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$/ })),
    ip: opt(str({ pattern: new RegExp(`${IPV4_CIDR.source}|^(dhcp|manual)$`) })),
    ip6: opt(str()),
    link_down: opt(bool),
    mtu: opt(int(64, 65535)),
    rate: opt({ type: 'number' }),
    tag: opt(int(1, 4094)),
    trunks: opt(str({ pattern: /^\d+(;\d+)*$/ })),
    type: opt(oneOf('veth')),
  },
};

const LXC_ROOTFS: PropertyFormat = {
  defaultKey: 'volume',
  keys: {
    volume: str(),
    acl: opt(bool),
    mountoptions: opt(
      str({
        pattern: /^(discard|lazytime|noatime|nodev|noexec|nosuid)(;(discard|lazytime|noatime|nodev|noexec|nosuid))*$/,
      }),
    ),
    quota: opt(bool),
    replicate: opt(bool),
    ro: opt(bool),
    shared: opt(bool),
    size: opt(str({ pattern: DISK_SIZE })),
  },
};

const LXC_FEATURES: PropertyFormat = {
  keys: {
    force_rw_sys: opt(bool),
    fuse: opt(bool),
    keyctl: opt(bool),
    mknod: opt(bool),
    mount: opt(str({ pattern: /^[a-zA-Z0-9_; ]+$/ })),
    nesting: opt(bool),
  },
};

const LXC_DEV: PropertyFormat = {
  defaultKey: 'path',
  keys: {
    path: opt(str({ pattern: /^\/dev\/\S+$/ })),
    'deny-write': opt(bool),
    gid: opt(int(0)),
    mode: opt(str({ pattern: /^0[0-7]{3}$/ })),
    uid: opt(int(0)),
  },
};

const QEMU_NET_MODELS = ['e1000', 'e1000e', 'rtl8139', 'virtio', 'vmxnet3'] as const;
const QEMU_NET: PropertyFormat = {
  defaultKey: 'model',
  models: QEMU_NET_MODELS,
  keys: {
    model: oneOf(...QEMU_NET_MODELS),
    macaddr: opt(str({ pattern: /^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$/ })),
    bridge: opt(str({ pattern: /^[-_.\w\d]+$/ })),
    firewall: opt(bool),
    link_down: opt(bool),
    mtu: opt(int(1, 65520)),
    queues: opt(int(0, 64)),
    rate: opt({ type: 'number', minimum: 0 }),
    tag: opt(int(1, 4094)),
    trunks: opt(str({ pattern: /^\d+(-\d+)?(;\d+(-\d+)?)*$/ })),
  },
};

const QEMU_DISK: PropertyFormat = {
  defaultKey: 'file',
  keys: {
    file: str(),
    cache: opt(oneOf('none', 'writethrough', 'writeback', 'unsafe', 'directsync')),
    discard: opt(oneOf('ignore', 'on')),
    'import-from': opt(str()),
    iothread: opt(bool),
    media: opt(oneOf('cdrom', 'disk')),
    size: opt(str({ pattern: DISK_SIZE })),
    ssd: opt(bool),
    backup: opt(bool),
  },
};

const QEMU_IPCONFIG: PropertyFormat = {
  keys: {
    gw: opt(str({ pattern: IPV4 })),
    gw6: opt(str()),
    ip: opt(str({ pattern: new RegExp(`${IPV4_CIDR.source}|^dhcp$`) })),
    ip6: opt(str()),
  },
};

const LXC_OPTIONS: Readonly<Record<string, ParamRule>> = {
  arch: opt(oneOf('amd64', 'i386', 'arm64', 'armhf', 'riscv32', 'riscv64')),
  cmode: opt(oneOf('shell', 'console', 'tty')),
  console: opt(bool),
  cores: opt(int(1, 8192)),
  cpulimit: opt({ type: 'number', minimum: 0, maximum: 8192 }),
  cpuunits: opt(int(0, 500_000)),
  description: opt(str({ maxLength: 8192 })),
  'dev[n]': opt({ type: 'string', format: LXC_DEV }),
  features: opt({ type: 'string', format: LXC_FEATURES }),
  hostname: opt(str({ maxLength: 255, pattern: DNS_NAME })),
  memory: opt(int(16)),
  nameserver: opt(str()),
  'net[n]': opt({ type: 'string', format: LXC_NET }),
  onboot: opt(bool),
  ostype: opt(
    oneOf(
      'debian',
      'devuan',
      'ubuntu',
      'centos',
      'fedora',
      'opensuse',
      'archlinux',
      'alpine',
      'gentoo',
      'nixos',
      'unmanaged',
    ),
  ),
  protection: opt(bool),
  rootfs: opt({ type: 'string', format: LXC_ROOTFS }),
  searchdomain: opt(str()),
  swap: opt(int(0)),
  tags: opt(str({ pattern: TAGS })),
  timezone: opt(str()),
  tty: opt(int(0, 6)),
  unprivileged: opt(bool),
};

const QEMU_OPTIONS: Readonly<Record<string, ParamRule>> = {
  agent: opt({
    type: 'string',
    format: {
      defaultKey: 'enabled',
      keys: {
        enabled: bool,
        'freeze-fs': opt(bool),
        fstrim_cloned_disks: opt(bool),
        type: opt(oneOf('virtio', 'isa')),
      },
    },
  }),
  balloon: opt(int(0)),
  bios: opt(oneOf('seabios', 'ovmf')),
  boot: opt(str()),
  cipassword: opt(str()),
  ciuser: opt(str()),
  cores: opt(int(1)),
  cpu: opt(str({ pattern: /^[\w.+-]+(,.*)?$/ })),
  description: opt(str({ maxLength: 8192 })),
  'ide[n]': opt({ type: 'string', format: QEMU_DISK }),
  'ipconfig[n]': opt({ type: 'string', format: QEMU_IPCONFIG }),
  machine: opt(str()),
  memory: opt({ type: 'string', format: { defaultKey: 'current', keys: { current: int(16) } } }),
  name: opt(str({ pattern: DNS_NAME })),
  nameserver: opt(str()),
  'net[n]': opt({ type: 'string', format: QEMU_NET }),
  numa: opt(bool),
  onboot: opt(bool),
  ostype: opt(
    oneOf('other', 'wxp', 'w2k', 'w2k3', 'w2k8', 'wvista', 'win7', 'win8', 'win10', 'win11', 'l24', 'l26', 'solaris'),
  ),
  protection: opt(bool),
  'scsi[n]': opt({ type: 'string', format: QEMU_DISK }),
  scsihw: opt(oneOf('lsi', 'lsi53c810', 'virtio-scsi-pci', 'virtio-scsi-single', 'megasas', 'pvscsi')),
  searchdomain: opt(str()),
  // qemu-server `src/PVE/QemuServer.pm` `$confdesc`: `serial[n]` is a host device or `socket`, `vga` a property
  // string whose bare first item is the display type.
  'serial[n]': opt(str({ pattern: /^(\/dev\/.+|socket)$/ })),
  smbios1: opt(str()),
  sockets: opt(int(1)),
  // pve-common `JSONSchema.pm` format `urlencoded`: only the characters percent-encoding leaves as they are.
  sshkeys: opt(str({ pattern: /^[-%a-zA-Z0-9_.!~*'()]*$/ })),
  tags: opt(str({ pattern: TAGS })),
  vga: opt({
    type: 'string',
    format: {
      defaultKey: 'type',
      keys: {
        type: opt(
          oneOf(
            'cirrus',
            'none',
            'qxl',
            'qxl2',
            'qxl3',
            'qxl4',
            'serial0',
            'serial1',
            'serial2',
            'serial3',
            'std',
            'virtio',
            'virtio-gl',
            'vmware',
          ),
        ),
        memory: opt(int(4, 512)),
        clipboard: opt(oneOf('vnc')),
      },
    },
  }),
};

/** Parameter rules by `METHOD path-template`; path parameters are checked like body parameters, as the API does. */
export const ENDPOINT_PARAMETERS: Readonly<Record<string, Readonly<Record<string, ParamRule>>>> = {
  'GET /version': {},
  'GET /nodes': {},
  'GET /cluster/resources': { type: opt(oneOf('vm', 'storage', 'node', 'sdn')) },
  'GET /nodes/{node}/storage': {
    node: NODE,
    content: opt(str()),
    enabled: opt(bool),
    format: opt(bool),
    storage: opt(str()),
    target: opt(NODE),
  },
  'POST /nodes/{node}/lxc': {
    ...LXC_OPTIONS,
    node: NODE,
    vmid: VMID,
    ostemplate: str({ maxLength: 255 }),
    password: opt(str({ minLength: 5 })),
    pool: opt(str()),
    'ssh-public-keys': opt(str()),
    start: opt(bool),
    storage: opt(str()),
  },
  'GET /nodes/{node}/storage/{storage}/content': {
    node: NODE,
    storage: str({ pattern: /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i }),
    content: opt(oneOf('images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import')),
    vmid: opt(VMID),
  },
  'GET /cluster/nextid': { vmid: opt(VMID) },
  'GET /nodes/{node}/lxc': { node: NODE },
  'GET /nodes/{node}/qemu': { node: NODE, full: opt(bool) },
  'DELETE /nodes/{node}/lxc/{vmid}': {
    node: NODE,
    vmid: VMID,
    force: opt(bool),
    purge: opt(bool),
    'destroy-unreferenced-disks': opt(bool),
  },
  'DELETE /nodes/{node}/qemu/{vmid}': {
    node: NODE,
    vmid: VMID,
    skiplock: opt(bool),
    purge: opt(bool),
    'destroy-unreferenced-disks': opt(bool),
  },
  'GET /nodes/{node}/tasks': {
    node: NODE,
    vmid: opt(VMID),
    source: opt(oneOf('archive', 'active', 'all')),
    start: opt(int(0)),
    limit: opt(int(0)),
    errors: opt(bool),
    typefilter: opt(str()),
    userfilter: opt(str()),
    statusfilter: opt(str()),
    since: opt(int()),
    until: opt(int()),
  },
  'GET /nodes/{node}/lxc/{vmid}/status/current': { node: NODE, vmid: VMID },
  'GET /nodes/{node}/qemu/{vmid}/status/current': { node: NODE, vmid: VMID },
  'POST /nodes/{node}/lxc/{vmid}/status/start': { node: NODE, vmid: VMID, skiplock: opt(bool), debug: opt(bool) },
  'POST /nodes/{node}/qemu/{vmid}/status/start': {
    node: NODE,
    vmid: VMID,
    skiplock: opt(bool),
    timeout: opt(int(0)),
    machine: opt(str()),
    'force-cpu': opt(str()),
  },
  'POST /nodes/{node}/lxc/{vmid}/status/stop': { node: NODE, vmid: VMID, skiplock: opt(bool) },
  'POST /nodes/{node}/qemu/{vmid}/status/stop': {
    node: NODE,
    vmid: VMID,
    skiplock: opt(bool),
    timeout: opt(int(0)),
    keepActive: opt(bool),
  },
  'GET /nodes/{node}/lxc/{vmid}/config': { node: NODE, vmid: VMID, current: opt(bool), snapshot: opt(str()) },
  'PUT /nodes/{node}/lxc/{vmid}/config': {
    ...LXC_OPTIONS,
    node: NODE,
    vmid: VMID,
    delete: opt(str()),
    digest: opt(str({ maxLength: 40 })),
    revert: opt(str()),
  },
  'POST /nodes/{node}/qemu': {
    ...QEMU_OPTIONS,
    node: NODE,
    vmid: VMID,
    pool: opt(str()),
    start: opt(bool),
    storage: opt(str()),
  },
  'GET /nodes/{node}/qemu/{vmid}/config': { node: NODE, vmid: VMID, current: opt(bool), snapshot: opt(str()) },
  'PUT /nodes/{node}/qemu/{vmid}/config': {
    ...QEMU_OPTIONS,
    node: NODE,
    vmid: VMID,
    delete: opt(str()),
    digest: opt(str({ maxLength: 40 })),
    revert: opt(str()),
    skiplock: opt(bool),
  },
  'POST /nodes/{node}/qemu/{vmid}/config': {
    ...QEMU_OPTIONS,
    node: NODE,
    vmid: VMID,
    delete: opt(str()),
    digest: opt(str({ maxLength: 40 })),
    revert: opt(str()),
    skiplock: opt(bool),
    background_delay: opt(int(1, 30)),
  },
  'PUT /nodes/{node}/qemu/{vmid}/resize': {
    node: NODE,
    vmid: VMID,
    disk: str({ pattern: /^(ide|sata|scsi|virtio|efidisk|tpmstate)\d+$/ }),
    size: str({ pattern: /^\+?\d+(\.\d+)?[KMGT]?$/ }),
    digest: opt(str({ maxLength: 40 })),
    skiplock: opt(bool),
  },
  'GET /nodes/{node}/tasks/{upid}/status': { node: NODE, upid: str() },
  'GET /nodes/{node}/tasks/{upid}/log': {
    node: NODE,
    upid: str(),
    start: opt(int(0)),
    limit: opt(int(0)),
    download: opt(bool),
  },
  'POST /access/ticket': {
    username: str({ maxLength: 64 }),
    password: str(),
    realm: opt(str({ maxLength: 32 })),
    otp: opt(str()),
    'new-format': opt(bool),
    'tfa-challenge': opt(str()),
  },
  'GET /access/roles': {},
  'POST /access/roles': { roleid: str({ pattern: ROLEID }), privs: opt(str()) },
  'PUT /access/roles/{roleid}': { roleid: str({ pattern: ROLEID }), privs: opt(str()), append: opt(bool) },
  'DELETE /access/roles/{roleid}': { roleid: str({ pattern: ROLEID }) },
  'GET /access/users': { enabled: opt(bool), full: opt(bool) },
  'POST /access/users': {
    userid: str({ maxLength: 64, pattern: USERID }),
    comment: opt(str({ maxLength: 2048 })),
    email: opt(str({ maxLength: 254 })),
    enable: opt(bool),
    expire: opt(int(0)),
    firstname: opt(str({ maxLength: 1024 })),
    groups: opt(str()),
    lastname: opt(str({ maxLength: 1024 })),
    password: opt(str({ minLength: 8, maxLength: 64 })),
  },
  'PUT /access/users/{userid}': {
    userid: str({ maxLength: 64, pattern: USERID }),
    comment: opt(str({ maxLength: 2048 })),
    email: opt(str({ maxLength: 254 })),
    enable: opt(bool),
    expire: opt(int(0)),
    firstname: opt(str({ maxLength: 1024 })),
    lastname: opt(str({ maxLength: 1024 })),
  },
  'GET /access/users/{userid}/token': { userid: str({ maxLength: 64, pattern: USERID }) },
  'POST /access/users/{userid}/token/{tokenid}': {
    userid: str({ maxLength: 64, pattern: USERID }),
    tokenid: str({ pattern: TOKENID }),
    comment: opt(str()),
    expire: opt(int(0)),
    privsep: opt(bool),
  },
  'PUT /access/users/{userid}/token/{tokenid}': {
    userid: str({ maxLength: 64, pattern: USERID }),
    tokenid: str({ pattern: TOKENID }),
    comment: opt(str()),
    expire: opt(int(0)),
    privsep: opt(bool),
    delete: opt(str()),
  },
  'DELETE /access/users/{userid}': { userid: str({ maxLength: 64, pattern: USERID }) },
  'DELETE /access/users/{userid}/token/{tokenid}': {
    userid: str({ maxLength: 64, pattern: USERID }),
    tokenid: str({ pattern: TOKENID }),
  },
  'GET /access/acl': {},
  'PUT /access/acl': {
    path: str(),
    roles: str(),
    users: opt(str()),
    groups: opt(str()),
    tokens: opt(str()),
    propagate: opt(bool),
    delete: opt(bool),
  },
};

/** Parameters that appeared in a later release: before it, the API refuses them as unknown. */
const PARAMETER_SINCE: Readonly<Record<string, string>> = {
  // LXC device passthrough, pve-container ce1976b (2023-11), Proxmox VE 8.1.
  'dev[n]': '8.1',
};

/**
 * The rules an endpoint has on a given release: parameters added later are left out, so they are refused as unknown.
 *
 * @param rules - The endpoint's rules on the newest release.
 * @param version - The emulated `pve-manager` version.
 * @returns The rules of that release.
 */
export function parametersOf(
  rules: Readonly<Record<string, ParamRule>>,
  version: string,
): Readonly<Record<string, ParamRule>> {
  return Object.fromEntries(
    Object.entries(rules).filter(([key]) => {
      const since = PARAMETER_SINCE[key];
      return since === undefined || versionAtLeast(version, since);
    }),
  );
}

const BOOLEAN_TEXT = /^(0|1|true|false|yes|no|on|off)$/i;

/**
 * Finds the rule of a key, indexed keys (`net0`) matching their `net[n]` template.
 *
 * @param rules - The endpoint's rules.
 * @param key - The parameter name.
 * @returns The rule, or `undefined` when the key is unknown.
 */
export function ruleFor(rules: Readonly<Record<string, ParamRule>>, key: string): ParamRule | undefined {
  const direct = rules[key];
  if (direct) return direct;
  const indexed = /^([a-z]+)(\d+)$/.exec(key);
  return indexed && Number(indexed[2]) <= 255 ? rules[`${indexed[1]}[n]`] : undefined;
}

/**
 * Checks parameters the way the API's parameter verification does.
 *
 * @param rules - The endpoint's rules.
 * @param params - Path, query and body parameters, merged, as text.
 * @returns A reason per failing parameter; empty when all pass.
 */
export function verifyParameters(
  rules: Readonly<Record<string, ParamRule>>,
  params: Readonly<Record<string, string>>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const rule = ruleFor(rules, key);
    const reason = rule
      ? checkValue(rule, value)
      : 'property is not defined in schema and the schema does not allow additional properties';
    if (reason) errors[key] = reason;
  }
  for (const [key, rule] of Object.entries(rules)) {
    if (!rule.optional && !key.endsWith('[n]') && params[key] === undefined) {
      errors[key] = 'property is missing and it is not optional';
    }
  }
  return errors;
}

function checkValue(rule: ParamRule, value: string): string | undefined {
  if (rule.type === 'boolean')
    return BOOLEAN_TEXT.test(value) ? undefined : `type check ('boolean') failed - got '${value}'`;
  if (rule.type === 'integer' || rule.type === 'number') {
    const pattern = rule.type === 'integer' ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)$/;
    if (!pattern.test(value)) return `type check ('${rule.type}') failed - got '${value}'`;
    const number = Number(value);
    if (rule.minimum !== undefined && number < rule.minimum)
      return `value must have a minimum value of ${rule.minimum}`;
    if (rule.maximum !== undefined && number > rule.maximum) return `value may not exceed ${rule.maximum}`;
    return undefined;
  }
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    return `value may only be ${rule.maxLength} characters long`;
  }
  if (rule.minLength !== undefined && value.length < rule.minLength) {
    return `value must be at least ${rule.minLength} characters long`;
  }
  if (rule.enum && !rule.enum.includes(value)) {
    return `value '${value}' does not have a value in the enumeration '${rule.enum.join(', ')}'`;
  }
  if (rule.pattern && !rule.pattern.test(value)) return 'value does not match the regex pattern';
  if (rule.format) return checkPropertyString(rule.format, value);
  return undefined;
}

/**
 * Splits a property string into its sub-keys, naming a bare first item after the format's default key.
 *
 * @param format - The property-string format.
 * @param text - The value, e.g. `virtio=BC:24:11:00:00:01,bridge=vmbr0`.
 * @returns The sub-keys, or a reason when the text is malformed.
 */
export function parsePropertyString(format: PropertyFormat, text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const [index, item] of text.split(',').entries()) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    let key = eq < 0 ? undefined : item.slice(0, eq);
    let value = eq < 0 ? item : item.slice(eq + 1);
    if (key !== undefined && format.models?.includes(key)) {
      out['macaddr'] = value;
      value = key;
      key = 'model';
    }
    if (key === undefined) {
      if (index !== 0 || !format.defaultKey) return `value without key, but schema does not define a default key`;
      key = format.defaultKey;
    }
    if (out[key] !== undefined) return `duplicate key in comma-separated list property: ${key}`;
    out[key] = value;
  }
  return out;
}

function checkPropertyString(format: PropertyFormat, text: string): string | undefined {
  const parsed = parsePropertyString(format, text);
  if (typeof parsed === 'string') return `invalid format - ${parsed}`;
  for (const [key, value] of Object.entries(parsed)) {
    const rule = format.keys[key];
    if (!rule)
      return `invalid format - property '${key}' is not defined in schema and the schema does not allow additional properties`;
    const reason = checkValue(rule, value);
    if (reason) return `invalid format - ${key}: ${reason}`;
  }
  for (const [key, rule] of Object.entries(format.keys)) {
    if (!rule.optional && parsed[key] === undefined)
      return `invalid format - ${key}: property is missing and it is not optional`;
  }
  return undefined;
}
