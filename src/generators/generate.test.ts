import { load, loadAll } from 'js-yaml';
import type { ParseError } from 'jsonc-parser';
import { parse as parseHujson } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { singleSiteInput, spaceshipsInput } from '../../test/fixtures.js';
import { defineTopology } from '../models/define.js';
import { TopologyError } from '../models/issue.js';
import type { ArtifactSet } from './artifact.js';
import { sha256Hex } from './artifact.js';
import { generate } from './generate.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read parsed YAML and JSON freely
type Loose = any;

const spaceships = generate(defineTopology(spaceshipsInput()));
const singleSite = generate(defineTopology(singleSiteInput()));

function file(set: ArtifactSet, path: string): string {
  const artifact = set.artifacts.find((candidate) => candidate.path === path);
  if (!artifact) throw new Error(`no artifact ${path}; have ${set.artifacts.map((a) => a.path).join(', ')}`);
  return artifact.content;
}

describe('generate', () => {
  it('produces every artifact family, sorted by path, LF with a final newline', () => {
    const paths = spaceships.artifacts.map((artifact) => artifact.path);
    expect(paths).toEqual([...paths].sort());
    expect(new Set(spaceships.artifacts.map((artifact) => artifact.kind))).toEqual(
      new Set([
        'compose',
        'env-example',
        'provider-config',
        'host-ssh',
        'omni-machine-class',
        'omni-infra-provider',
        'omni-cluster-template',
        'talos-patch',
        'unifi-dns-records',
        'unifi-static-routes',
        'proxmox-lxc',
        'proxmox-qemu',
        'proxmox-access',
        'tailscale-policy',
        'tailscale-devices',
        'public-dns-records',
        'auth0-application',
        'manifest',
      ]),
    );
    for (const artifact of spaceships.artifacts) {
      expect(artifact.content.endsWith('\n')).toBe(true);
      expect(artifact.content).not.toContain('\r');
      expect(artifact.sha256).toBe(sha256Hex(artifact.content));
    }
  });

  it('lists every other artifact in the manifest with its checksum', () => {
    const manifest = JSON.parse(file(spaceships, 'manifest.json')) as Loose;
    expect(manifest.topology).toBe('spaceships');
    const others = spaceships.artifacts.filter((artifact) => artifact.kind !== 'manifest');
    expect(manifest.artifacts).toEqual(others.map(({ path, kind, sha256 }) => ({ kind, path, sha256 })));
  });

  it('is byte-identical whatever order the topology was written in', () => {
    const input = spaceshipsInput() as Loose;
    const reordered = { ...input, guests: Object.fromEntries(Object.entries(input.guests).reverse()) };
    reordered.machineClasses = Object.fromEntries(Object.entries(input.machineClasses).reverse());
    expect(generate(defineTopology(reordered)).artifacts).toEqual(spaceships.artifacts);
  });

  it('refuses a topology that breaks an error rule', () => {
    const input = spaceshipsInput() as Loose;
    input.dns.records = [];
    expect(() => generate(defineTopology(input))).toThrow(TopologyError);
    expect(generate(defineTopology(input), { skip: ['split-horizon'] }).artifacts.length).toBeGreaterThan(0);
  });

  it('reports warnings without failing', () => {
    expect(singleSite.warnings.map((warning) => warning.rule)).toEqual(['plane-separation']);
    expect(spaceships.warnings.map((warning) => `${warning.rule} ${warning.path}`)).toEqual([
      'provider-tls-verify providers.proxmox.proxmoxAccess.insecureSkipVerify',
      'image-pinned providers.proxmox.version',
    ]);
  });
});

describe('compose files', () => {
  const holly = load(file(spaceships, 'hosts/holly/omni/compose.yaml')) as Loose;
  const ct200 = load(file(spaceships, 'hosts/ct-200/provider-proxmox/compose.yaml')) as Loose;

  it('runs Omni and its sidecar with host networking, publishing no ports', () => {
    expect(holly.services.omni.network_mode).toBe('host');
    expect(holly.services['omni-tailscale'].network_mode).toBe('host');
    expect(holly.services.omni.depends_on).toBeUndefined();
    for (const service of Object.values(holly.services) as Loose[]) expect(service.ports).toBeUndefined();
    expect(holly.services['omni-tailscale'].hostname).toBeUndefined();
    expect(holly.services['omni-tailscale'].devices).toEqual(['/dev/net/tun:/dev/net/tun']);
    expect(holly.services['omni-tailscale'].cap_add).toEqual(['NET_ADMIN']);
    expect(holly.services.omni.devices).toEqual(['/dev/net/tun:/dev/net/tun']);
    expect(holly.services.omni.cap_add).toEqual(['NET_ADMIN']);
    expect(holly.services.omni.command).toEqual(
      expect.arrayContaining(['--bind-addr=0.0.0.0:443', '--machine-api-bind-addr=0.0.0.0:8090']),
    );
  });

  it('configures Omni with Auth0, advertised URLs, SideroLink, users, EULA, TLS and the etcd key', () => {
    const command = holly.services.omni.command as string[];
    expect(command).toEqual(
      expect.arrayContaining([
        '--auth-auth0-enabled=true',
        '--auth-auth0-domain=spaceships.us.auth0.com',
        '--advertised-api-url=https://omni.spaceships.work',
        '--machine-api-advertised-url=https://omni.spaceships.work:8090/',
        '--siderolink-wireguard-advertised-addr=192.168.10.20:50180',
        '--initial-users=admin@spaceships.work',
        '--eula-accept-email=admin@spaceships.work',
        '--private-key-source=file:///omni.asc',
        '--cert=/tls.crt',
      ]),
    );
  });

  it('persists Tailscale state and takes keys only by interpolation', () => {
    const sidecar = ct200.services['worker-tailscale'];
    expect(sidecar.volumes).toContain('worker-tailscale-state:/var/lib/tailscale');
    expect(sidecar.environment.TS_AUTHKEY).toMatch(/^\$\{TS_AUTHKEY:\?/);
    expect(ct200.services['proxmox-provider'].environment.OMNI_SERVICE_ACCOUNT_KEY).toMatch(
      /^\$\{OMNI_SERVICE_ACCOUNT_KEY:\?/,
    );
    expect(ct200.configs['proxmox-provider-config'].content).toContain('tokenSecret: ${PROXMOX_TOKEN_SECRET:?');
  });

  it('runs the provider with its id, the Omni endpoint and the config file', () => {
    expect(ct200.services['proxmox-provider'].command).toEqual([
      '--id=proxmox',
      '--omni-api-endpoint=https://omni.spaceships.work/',
      '--config-file=/etc/omni-infra-provider/config.yaml',
      '--provider-name=Proxmox',
    ]);
  });

  it('leaves the TUN device out in userspace mode and keeps a non-default API port', () => {
    const mgmt = load(file(singleSite, 'hosts/mgmt/omni/compose.yaml')) as Loose;
    expect(mgmt.services['ts-omni'].devices).toBeUndefined();
    expect(mgmt.services['ts-omni'].environment.TS_USERSPACE).toBe('true');
    expect(mgmt.services.omni.command).toContain('--advertised-api-url=https://omni.lab.example.net:8443');
  });

  it('writes .env.example with every variable and no value', () => {
    const env = file(spaceships, 'hosts/ct-200/provider-proxmox/.env.example');
    expect(env.match(/^[A-Z_]+=.*$/gm)).toEqual(['OMNI_SERVICE_ACCOUNT_KEY=', 'PROXMOX_TOKEN_SECRET=', 'TS_AUTHKEY=']);
  });

  it('writes the provider config without the token secret', () => {
    const config = load(file(spaceships, 'hosts/ct-200/provider-proxmox/provider-config.yaml')) as Loose;
    expect(config).toEqual({
      proxmox: {
        url: 'https://192.168.3.2:8006/api2/json',
        tokenID: 'omni-provider@pve!omni',
        insecureSkipVerify: true,
      },
    });
  });
});

describe('Omni resources', () => {
  it('writes MachineClasses with snake_case provider data and the ownership annotation', () => {
    const machineClass = load(file(singleSite, 'omni/machine-classes/large.yaml')) as Loose;
    expect(machineClass.metadata).toEqual({
      namespace: 'default',
      type: 'MachineClasses.omni.sidero.dev',
      id: 'large',
      annotations: { 'talos-sdk.dev/managed-by': 'single-site' },
    });
    expect(machineClass.spec.autoprovision.providerid).toBe('pve-lab');
    expect(load(machineClass.spec.autoprovision.providerdata)).toEqual({
      additional_disks: [{ disk_size: 200, disk_ssd: true, storage_selector: 'name == "ceph"' }],
      cores: 8,
      cpu_type: 'host',
      disk_aio: 'io_uring',
      disk_cache: 'none',
      disk_size: 60,
      memory: 32768,
      network_bridge: 'vmbr1',
      numa: true,
      sockets: 2,
      storage_selector: 'name == "ceph"',
      vlan: 20,
    });
  });

  it('gives every MachineClass sockets, which the provider sends to Proxmox with no default of its own', () => {
    const classes = spaceships.artifacts.filter((artifact) => artifact.kind === 'omni-machine-class');
    expect(classes.length).toBeGreaterThan(0);
    for (const artifact of classes) {
      const data = load((load(artifact.content) as Loose).spec.autoprovision.providerdata) as Loose;
      expect(data.sockets, artifact.path).toBe(1);
    }
  });

  it('writes a cluster template with weighted patch files', () => {
    const documents = loadAll(file(singleSite, 'omni/clusters/lab.yaml')) as Loose[];
    expect(documents.map((document) => document.kind)).toEqual(['Cluster', 'ControlPlane', 'Workers']);
    expect(documents[0].talos.version).toBe('v1.14.0');
    expect(documents[0].patches).toEqual([{ name: 'time', file: 'lab/patches/200-time.yaml' }]);
    expect(documents[1].patches).toEqual([{ name: 'node-ip', file: 'lab/patches/control-planes/400-node-ip.yaml' }]);
    expect(documents[2]).toMatchObject({ name: 'big', machineClass: { name: 'large', size: 2 } });
    expect(load(file(singleSite, 'omni/clusters/lab/patches/200-time.yaml'))).toEqual({
      apiVersion: 'v1alpha1',
      kind: 'TimeSyncConfig',
      ntp: { servers: ['10.20.0.254'] },
    });
  });
});

describe('UniFi and Proxmox artifacts', () => {
  it('writes the split-horizon record', () => {
    expect(JSON.parse(file(spaceships, 'unifi/dns-records.json'))).toEqual({
      prune: false,
      records: [{ enabled: true, key: 'omni.spaceships.work', record_type: 'A', ttl: 0, value: '192.168.10.20' }],
      site: 'default',
      zone: 'spaceships.work',
    });
  });

  it('writes no static route where the UniFi gateway serves both subnets, and a real one to a subnet behind a router', () => {
    expect(JSON.parse(file(spaceships, 'unifi/static-routes.json'))).toEqual({
      legacyNamePrefix: 'talos-sdk:',
      namePrefix: 'talos-sdk:spaceships:',
      routes: [],
      site: 'default',
    });
    expect(JSON.parse(file(singleSite, 'unifi/static-routes.json'))).toEqual({
      legacyNamePrefix: 'talos-sdk:',
      namePrefix: 'talos-sdk:single-site:',
      routes: [
        {
          enabled: true,
          gateway_type: 'default',
          name: 'talos-sdk:single-site:bench',
          'static-route_distance': 1,
          'static-route_network': '10.40.0.0/24',
          'static-route_nexthop': '10.20.0.2',
          'static-route_type': 'nexthop-route',
          type: 'static-route',
        },
      ],
      site: 'lab',
    });
  });

  it("refuses to emit a route through the gateway's own address or into a network it serves", () => {
    const input = spaceshipsInput() as Loose;
    input.routes = [
      { name: 'quantum-to-matrix', network: '192.168.3.0/24', nexthop: '192.168.10.1' },
      { name: 'matrix-to-quantum', network: '192.168.10.0/24', nexthop: '192.168.3.1' },
    ];
    const error = (() => {
      try {
        generate(defineTopology(input));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TopologyError);
    expect((error as TopologyError).issues.map((issue) => `${issue.path} ${issue.rule}`)).toEqual([
      'routes.0.network route-destination',
      'routes.0.nexthop route-nexthop',
      'routes.1.network route-destination',
      'routes.1.nexthop route-nexthop',
    ]);
  });

  it('marks the container keys that need root@pam', () => {
    const lxc = JSON.parse(file(spaceships, 'proxmox/matrix/lxc-200.json')) as Loose;
    expect(lxc.rootOnly).toEqual(['dev0', 'features']);
    expect(lxc.params).toMatchObject({
      vmid: 200,
      unprivileged: 1,
      features: 'keyctl=1,nesting=1',
      dev0: '/dev/net/tun',
      rootfs: 'vm_ssd:16',
    });
    const qemu = JSON.parse(file(spaceships, 'proxmox/quantum/qemu-101.json')) as Loose;
    expect(qemu.params).toMatchObject({
      vmid: 101,
      name: 'holly',
      ipconfig0: 'gw=192.168.10.1,ip=192.168.10.20/24',
      memory: '8192',
    });
    expect(qemu.rootOnly).toEqual([]);
  });

  it('imports a cloud image into the boot disk, or attaches an installer ISO beside the cloud-init drive', () => {
    const holly = JSON.parse(file(spaceships, 'proxmox/quantum/qemu-101.json')) as Loose;
    expect(holly.params).toMatchObject({
      scsi0: 'local-lvm:0,import-from=local:import/debian-12-genericcloud-amd64.qcow2,discard=on,iothread=1,ssd=1',
      ide2: 'local-lvm:cloudinit',
      boot: 'order=scsi0',
    });
    const mgmt = JSON.parse(file(singleSite, 'proxmox/pve/qemu-9001.json')) as Loose;
    expect(mgmt.params).toMatchObject({
      scsi0: 'ceph:48,discard=on,iothread=1,ssd=1',
      ide2: 'isos:iso/debian-12.8.0-amd64-netinst.iso,media=cdrom',
      ide0: 'ceph:cloudinit',
      boot: 'order=scsi0;ide2',
    });
  });

  it('gives Holly a cloud-init user and percent-encoded keys, a password only by reference, and CT 200 its keys', () => {
    const input = spaceshipsInput() as Loose;
    const key = input.guests.holly.cloudInit.sshKeys[0] as string;
    const second = key.replace('admin@', 'ops@');
    input.guests.holly.cloudInit = { user: 'admin', sshKeys: [key, second], password: { env: 'HOLLY_PASSWORD' } };
    const set = generate(defineTopology(input));
    const holly = JSON.parse(file(set, 'proxmox/quantum/qemu-101.json')) as Loose;
    expect(holly.params.ciuser).toBe('admin');
    // qemu-server's `urlencoded` format: only [-%a-zA-Z0-9_.!~*'()], decoded with uri_unescape to one key per line.
    expect(holly.params.sshkeys).toMatch(/^[-%a-zA-Z0-9_.!~*'()]+$/);
    expect(decodeURIComponent(holly.params.sshkeys)).toBe(`${key}\n${second}`);
    expect(holly.params).not.toHaveProperty('cipassword');
    expect(holly.secretParams).toEqual({ cipassword: { env: 'HOLLY_PASSWORD' } });
    const ct = JSON.parse(file(spaceships, 'proxmox/matrix/lxc-200.json')) as Loose;
    expect(ct.params['ssh-public-keys']).toBe(key);
  });

  it('grants the provider role to the user and its privilege-separated token', () => {
    const access = JSON.parse(file(spaceships, 'proxmox/matrix/provider-access-proxmox.json')) as Loose;
    expect(access.role.privs.split(',')).not.toContain('VM.Monitor');
    expect(access.token).toMatchObject({ tokenid: 'omni', privsep: 1, secretEnv: 'PROXMOX_TOKEN_SECRET' });
    const paths = [...new Set(access.acl.map((entry: Loose) => entry.path))];
    expect(paths).toEqual(['/nodes', '/vms', '/storage/local', '/storage/vm_ssd', '/sdn/zones/localnetwork/vmbr0']);
    expect(access.acl.filter((entry: Loose) => entry.tokens === 'omni-provider@pve!omni')).toHaveLength(paths.length);
    expect(access.storages).toEqual([
      { content: ['images'], nodes: ['foxtrot', 'golf', 'hotel'], shared: 1, storage: 'vm_ssd', type: 'rbd' },
    ]);
  });

  it('writes the Tailscale policy: admins reach Omni on 443 and 8100 only, providers get no grant', () => {
    const policy = file(spaceships, 'tailscale/policy.hujson');
    expect(policy.startsWith('// Generated by @talos-sdk/topology')).toBe(true);
    expect(policy).toContain('omni.spaceships.work resolves to 100.101.12.20 from the tailnet');
    const hujson = (text: string): Loose => {
      const errors: ParseError[] = [];
      const value = parseHujson(text, errors, { allowTrailingComma: true }) as Loose;
      expect(errors).toEqual([]);
      return value;
    };
    const body = hujson(policy);
    expect(body.tagOwners).toEqual({ 'tag:omni': ['autogroup:admin'], 'tag:pve-infra': ['autogroup:admin'] });
    expect(body.grants).toEqual([{ dst: ['tag:omni'], ip: ['tcp:443', 'tcp:8100'], src: ['autogroup:admin'] }]);
    // Tailscale refuses an autogroup as a test's src (a refused test refuses the whole policy file): the test starts
    // from the admin the topology names instead, and without one there is no test.
    expect(body.tests).toEqual([
      { accept: ['tag:omni:443', 'tag:omni:8100'], proto: 'tcp', src: 'lister@spaceships.work' },
    ]);
    const input = spaceshipsInput();
    const untested = generate(
      defineTopology({ ...input, tailnet: { magicDnsSuffix: 'spaceships.ts.net', admins: ['autogroup:admin'] } }),
    );
    const untestedText = file(untested, 'tailscale/policy.hujson');
    expect(hujson(untestedText).tests).toBeUndefined();
    expect(untestedText).toContain('// No test for autogroup:admin: ');
    const labText = file(singleSite, 'tailscale/policy.hujson');
    const lab = hujson(labText);
    expect(lab.grants).toEqual([{ dst: ['tag:lab-omni'], ip: ['tcp:8443', 'tcp:8100'], src: ['group:ops'] }]);
    expect(lab.tests).toEqual([{ accept: ['tag:lab-omni:8443', 'tag:lab-omni:8100'], proto: 'tcp', src: 'group:ops' }]);
    // One marker line directly above each grant, each tagOwners key and each test.
    const marked = [...labText.matchAll(/^\s*\/\/ talos-topology:single-site\n\s*(\S+)/gm)].map((match) => match[1]);
    expect(marked).toEqual(['{', '"tag:lab-omni":', '"tag:lab-provider":', '{']);
  });

  it('writes no serve file: a serve config lives inline in the compose file that uses it', () => {
    expect(
      spaceships.artifacts.filter((artifact) => artifact.path.startsWith('tailscale/')).map((a) => a.path),
    ).toEqual(['tailscale/devices.json', 'tailscale/policy.hujson']);
  });
});
