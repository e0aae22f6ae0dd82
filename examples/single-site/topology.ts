/**
 * A one-site homelab that shares nothing with the spaceships example: one Proxmox cluster on 10.20.0.0/24 with a
 * VLAN-tagged LAN served by the UniFi gateway, Omni and the provider side by side (so the plane-separation rule
 * warns), one static route to a test-bench subnet behind a second router on that LAN, userspace Tailscale (Omni
 * served through tailscale serve, the provider in its sidecar's namespace), and a Talos 1.14 cluster whose patches
 * use the 1.14 multi-document style.
 */
import { defineTopology } from '@talos-sdk/topology';

export default defineTopology({
  name: 'single-site',
  tailnet: { magicDnsSuffix: 'tailfe12ab.ts.net', admins: ['group:ops'] },
  proxmox: {
    pve: {
      api: { url: 'https://10.20.0.11:8006/api2/json' },
      nodes: { 'pve-a': { address: '10.20.0.11' }, 'pve-b': { address: '10.20.0.12' } },
      networks: { servers: { subnet: '10.20.0.0/24', gateway: '10.20.0.254', bridge: 'vmbr1', vlan: 20 } },
      storages: {
        ceph: { type: 'rbd', shared: true, content: ['images', 'rootdir'] },
        isos: { type: 'cephfs', shared: true, content: ['iso', 'vztmpl'] },
      },
    },
  },
  guests: {
    mgmt: {
      type: 'qemu',
      cluster: 'pve',
      node: 'pve-a',
      vmid: 9001,
      cores: 2,
      memory: 6144,
      disk: { storage: 'ceph', size: 48 },
      install: { iso: 'isos:iso/debian-12.8.0-amd64-netinst.iso' },
      lan: { network: 'servers', address: '10.20.0.30' },
    },
    provisioner: {
      type: 'lxc',
      cluster: 'pve',
      node: 'pve-b',
      vmid: 9002,
      template: 'isos:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst',
      cores: 1,
      memory: 1024,
      rootfs: { storage: 'ceph', size: 8 },
      lan: { network: 'servers', address: '10.20.0.31' },
      features: { nesting: true, keyctl: true },
    },
  },
  omni: {
    host: 'mgmt',
    domain: 'omni.lab.example.net',
    version: 'v1.10.2',
    accountId: '0b6e4f0a-3c2d-4e1f-8a9b-7c6d5e4f3a2b',
    ports: { api: 8443 },
    auth0: { domain: 'lab-example.eu.auth0.com', clientId: 'a1B2c3D4e5F6g7H8i9J0k1L2' },
    initialUsers: ['ops@lab.example.net', 'oncall@lab.example.net'],
    tls: { certFile: '/srv/omni/tls/fullchain.pem', keyFile: '/srv/omni/tls/privkey.pem' },
    etcdEncryptionKeyFile: '/srv/omni/etcd.asc',
    dataDir: '/srv/omni/data',
    siderolink: { wireguardAddress: '10.20.0.30' },
    eula: { name: 'Lab Ops', email: 'ops@lab.example.net' },
    tailnetAddress: '100.88.7.30',
    sidecar: {
      name: 'ts-omni',
      hostname: 'lab-omni',
      tags: ['tag:lab-omni'],
      authKey: { env: 'OMNI_TS_AUTHKEY' },
      mode: 'userspace',
      version: 'v1.84.0',
      // userspace: only tailscale serve accepts tailnet connections, so it passes Omni's ports through.
      serve: true,
    },
  },
  providers: {
    'pve-lab': {
      host: 'provisioner',
      cluster: 'pve',
      version: 'v0.6.0',
      displayName: 'Lab Proxmox',
      sidecar: {
        name: 'ts-provider',
        hostname: 'lab-provider',
        tags: ['tag:lab-provider'],
        authKey: { env: 'PROVIDER_TS_AUTHKEY' },
        mode: 'userspace',
        version: 'v1.84.0',
        // The shared-namespace form: the provider joins the sidecar's namespace and restarts with it.
        network: 'shared-namespace',
      },
      serviceAccountKey: { env: 'LAB_OMNI_KEY' },
      proxmoxAccess: {
        user: 'omni@pve',
        tokenName: 'lab',
        tokenSecret: { env: 'LAB_PVE_TOKEN_SECRET' },
        role: 'LabOmniProvider',
      },
    },
  },
  machineClasses: {
    small: { provider: 'pve-lab', cores: 2, memory: 4096, diskSize: 20, storage: 'ceph', network: 'servers' },
    large: {
      provider: 'pve-lab',
      cores: 8,
      sockets: 2,
      memory: 32768,
      diskSize: 60,
      storage: 'ceph',
      network: 'servers',
      cpuType: 'host',
      numa: true,
      disk: { cache: 'none', aio: 'io_uring' },
      additionalDisks: [{ size: 200, storage: 'ceph', ssd: true }],
    },
  },
  clusters: {
    lab: {
      talosVersion: 'v1.14.0',
      kubernetesVersion: 'v1.35.1',
      controlPlane: {
        machineClass: 'small',
        size: 1,
        patches: [
          {
            name: 'node-ip',
            documents: [{ apiVersion: 'v1alpha1', kind: 'KubeNodeConfig', nodeIP: { validSubnets: ['10.20.0.0/24'] } }],
          },
        ],
      },
      workers: {
        big: {
          machineClass: 'large',
          size: 2,
          systemExtensions: ['siderolabs/qemu-guest-agent', 'siderolabs/nvidia-container-toolkit-lts'],
        },
      },
      patches: [
        {
          name: 'time',
          documents: [{ apiVersion: 'v1alpha1', kind: 'TimeSyncConfig', ntp: { servers: ['10.20.0.254'] } }],
        },
      ],
      features: { enableWorkloadProxy: true },
    },
  },
  dns: {
    zone: 'lab.example.net',
    prune: true,
    records: [{ name: 'omni.lab.example.net', value: '10.20.0.30' }],
  },
  routes: [
    // The test bench sits behind its own router, whose LAN address is 10.20.0.2: the UniFi gateway sends traffic
    // for 10.40.0.0/24 there; the bench router's default route leads back through 10.20.0.254.
    { name: 'bench', network: '10.40.0.0/24', nexthop: '10.20.0.2' },
  ],
  unifi: { site: 'lab', networks: { servers: { subnet: '10.20.0.0/24', gateway: '10.20.0.254' } } },
});
