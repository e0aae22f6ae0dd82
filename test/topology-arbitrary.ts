// Random valid topologies, as authors write them (defaults left out), for the property tests.
import fc from 'fast-check';
import type { TopologyInput } from '../src/models/define.js';

const name = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);

/** A random topology that satisfies the schema and every error rule: two sites joined by the UniFi gateway. */
export const validTopology = fc
  .record({
    name,
    omniOctet: fc.integer({ min: 0, max: 127 }),
    talosOctet: fc.integer({ min: 128, max: 255 }),
    nodes: fc.uniqueArray(name, { minLength: 1, maxLength: 4 }),
    classes: fc.array(
      fc.record({
        cores: fc.integer({ min: 1, max: 64 }),
        memory: fc.integer({ min: 2048, max: 262144 }),
        disk: fc.integer({ min: 5, max: 2000 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    workers: fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 3 }),
    controlPlane: fc.integer({ min: 1, max: 5 }),
    userspace: fc.boolean(),
    serve: fc.boolean(),
    network: fc.constantFrom('host' as const, 'shared-namespace' as const),
    apiPort: fc.constantFrom(443, 8443, 9443),
    vlan: fc.option(fc.integer({ min: 1, max: 4094 }), { nil: undefined }),
    talosMinor: fc.constantFrom(12, 13, 14),
    nameservers: fc.array(fc.integer({ min: 1, max: 254 }), { minLength: 1, maxLength: 3 }),
    workBehindRouter: fc.boolean(),
  })
  .map((p): TopologyInput => {
    const omniNet = `10.${p.omniOctet}.0`;
    const talosNet = `10.${p.talosOctet}.0`;
    const sidecar = (suffix: string) => ({
      name: `ts-${suffix}`,
      hostname: `${p.name}-${suffix}`,
      tags: [`tag:${suffix}`],
      authKey: { env: 'TS_AUTHKEY' },
      mode: p.userspace ? ('userspace' as const) : ('kernel' as const),
      network: p.network,
      serve: p.serve && p.userspace,
    });
    return {
      name: p.name,
      tailnet: { magicDnsSuffix: `${p.name}.ts.net` },
      proxmox: {
        mgmt: {
          api: { url: `https://${omniNet}.2:8006/api2/json` },
          nodes: { m1: { address: `${omniNet}.2` } },
          networks: { lan: { subnet: `${omniNet}.0/24`, gateway: `${omniNet}.1`, bridge: 'vmbr0' } },
          storages: { local: { type: 'lvmthin', content: ['images', 'rootdir'] } },
        },
        work: {
          api: { url: `https://${talosNet}.2:8006/api2/json` },
          nodes: Object.fromEntries(p.nodes.map((node, index) => [node, { address: `${talosNet}.${index + 2}` }])),
          networks: {
            lan: {
              subnet: `${talosNet}.0/24`,
              gateway: `${talosNet}.1`,
              bridge: 'vmbr0',
              ...(p.vlan ? { vlan: p.vlan } : {}),
            },
          },
          storages: { ceph: { type: 'rbd', shared: true, content: ['images', 'rootdir'] } },
        },
      },
      guests: {
        omni: {
          type: 'qemu',
          cluster: 'mgmt',
          node: 'm1',
          vmid: 100,
          cores: 2,
          memory: 4096,
          disk: { storage: 'local', size: 32 },
          lan: { network: 'lan', address: `${omniNet}.10` },
        },
        provider: {
          type: 'lxc',
          cluster: 'work',
          node: p.nodes[0] ?? 'n',
          vmid: 200,
          template: 'local:vztmpl/debian.tar.zst',
          cores: 1,
          memory: 1024,
          rootfs: { storage: 'ceph', size: 8 },
          lan: { network: 'lan', address: `${talosNet}.10` },
          tun: !p.userspace,
          features: { nesting: true, keyctl: true },
        },
      },
      omni: {
        host: 'omni',
        domain: `omni.${p.name}.example`,
        version: 'v1.10.4',
        accountId: '5f2d6c3e-8a41-4b7e-9c0d-1e2f3a4b5c6d',
        ports: { api: p.apiPort },
        auth0: { domain: `${p.name}.auth0.com`, clientId: 'abcdefghijklmnop1234' },
        initialUsers: ['a@b.example'],
        tls: { certFile: '/tls.crt', keyFile: '/tls.key' },
        etcdEncryptionKeyFile: '/omni.asc',
        siderolink: { wireguardAddress: `${omniNet}.10` },
        eula: { name: 'A', email: 'a@b.example' },
        sidecar: sidecar('omni'),
      },
      providers: {
        pve: {
          host: 'provider',
          cluster: 'work',
          sidecar: sidecar('prov'),
          serviceAccountKey: { env: 'OMNI_KEY' },
          proxmoxAccess: { user: 'omni@pve', tokenName: 'omni', tokenSecret: { env: 'PVE_SECRET' } },
        },
      },
      machineClasses: Object.fromEntries(
        p.classes.map((c, index) => [
          `class${index}`,
          { provider: 'pve', cores: c.cores, memory: c.memory, diskSize: c.disk, storage: 'ceph', network: 'lan' },
        ]),
      ),
      clusters: {
        k8s: {
          talosVersion: `v1.${p.talosMinor}.0`,
          kubernetesVersion: 'v1.35.0',
          controlPlane: { machineClass: 'class0', size: p.controlPlane },
          workers: Object.fromEntries(
            p.workers.map((size, index) => [`w${index}`, { machineClass: `class${index % p.classes.length}`, size }]),
          ),
          patches: [
            {
              name: 'dns',
              documents: [
                {
                  apiVersion: 'v1alpha1',
                  kind: 'ResolverConfig',
                  nameservers: p.nameservers.map((n) => ({ address: `${talosNet}.${n}` })),
                },
              ],
            },
          ],
        },
      },
      dns: { zone: `${p.name}.example`, records: [{ name: `omni.${p.name}.example`, value: `${omniNet}.10` }] },
      // The UniFi gateway serves the management LAN; the work LAN is either its own network too, or sits behind a
      // second router at .254 of the management LAN, reached by a static route.
      ...(p.workBehindRouter
        ? { routes: [{ name: 'to-work', network: `${talosNet}.0/24`, nexthop: `${omniNet}.254` }] }
        : {}),
      unifi: {
        networks: {
          mgmt: { subnet: `${omniNet}.0/24`, gateway: `${omniNet}.1` },
          ...(p.workBehindRouter ? {} : { work: { subnet: `${talosNet}.0/24`, gateway: `${talosNet}.1` } }),
        },
      },
    };
  });
