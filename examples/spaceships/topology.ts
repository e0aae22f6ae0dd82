/**
 * The spaceships homelab: Sidero Omni on Holly (Quantum cluster), the Omni Proxmox infra provider in CT 200 on
 * Foxtrot (Matrix cluster), L2-adjacent to the Talos VMs it creates on Ceph RBD storage `vm_ssd`; Auth0 for login;
 * UniFi local DNS for split-horizon resolution of omni.spaceships.work; the UniFi gateway serves both LANs
 * (192.168.10.0/24 and 192.168.3.0/24) and routes between them itself, so no static route is needed; from the
 * tailnet, the same name resolves (public DNS) to Holly's Tailscale address.
 */
import { defineTopology } from '@talos-sdk/topology';

/**
 * An example public key (its key data spells "example key: replace with yours!"): put your own here, e.g. the line
 * of ~/.ssh/id_ed25519.pub, or read it with readFileSync.
 */
const ADMIN_SSH_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGV4YW1wbGUga2V5OiByZXBsYWNlIHdpdGggeW91cnMh admin@spaceships.example';

export default defineTopology({
  name: 'spaceships',
  description: 'Omni on Holly (Quantum), Proxmox provider in CT 200 on Foxtrot (Matrix), Talos VMs on Ceph vm_ssd',
  tailnet: {
    magicDnsSuffix: 'spaceships.ts.net',
    admins: ['autogroup:admin'],
    // Tailscale's policy tests cannot start from autogroup:admin: they check Omni's grant from this admin instead.
    policyTestSources: ['lister@spaceships.work'],
  },
  proxmox: {
    quantum: {
      api: { url: 'https://192.168.10.2:8006/api2/json' },
      nodes: { 'quantum-1': { address: '192.168.10.2' } },
      networks: { lan: { subnet: '192.168.10.0/24', gateway: '192.168.10.1', bridge: 'vmbr0' } },
      storages: {
        'local-lvm': { type: 'lvmthin', content: ['images', 'rootdir'] },
        local: { type: 'dir', content: ['iso', 'vztmpl', 'snippets', 'import'] },
      },
    },
    matrix: {
      api: { url: 'https://192.168.3.2:8006/api2/json' },
      nodes: {
        foxtrot: { address: '192.168.3.2' },
        golf: { address: '192.168.3.3' },
        hotel: { address: '192.168.3.4' },
      },
      networks: { lan: { subnet: '192.168.3.0/24', gateway: '192.168.3.1', bridge: 'vmbr0' } },
      storages: {
        vm_ssd: { type: 'rbd', shared: true, content: ['images', 'rootdir'] },
        local: { type: 'dir', content: ['iso', 'vztmpl', 'snippets'] },
      },
    },
  },
  guests: {
    holly: {
      type: 'qemu',
      cluster: 'quantum',
      node: 'quantum-1',
      vmid: 101,
      cores: 4,
      memory: 8192,
      disk: { storage: 'local-lvm', size: 64 },
      install: { importFrom: 'local:import/debian-12-genericcloud-amd64.qcow2' },
      // The genericcloud image's own user has no password and no key: cloud-init creates admin with this key.
      cloudInit: { user: 'admin', sshKeys: [ADMIN_SSH_KEY] },
      lan: { network: 'lan', address: '192.168.10.20' },
    },
    'ct-200': {
      type: 'lxc',
      cluster: 'matrix',
      node: 'foxtrot',
      vmid: 200,
      hostname: 'omni-provider',
      template: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
      cores: 2,
      memory: 2048,
      rootfs: { storage: 'vm_ssd', size: 16 },
      lan: { network: 'lan', address: '192.168.3.10' },
      features: { nesting: true, keyctl: true },
      tun: true,
      sshKeys: [ADMIN_SSH_KEY],
    },
  },
  omni: {
    host: 'holly',
    domain: 'omni.spaceships.work',
    version: 'v1.10.4',
    accountId: '5f2d6c3e-8a41-4b7e-9c0d-1e2f3a4b5c6d',
    auth0: { domain: 'spaceships.us.auth0.com', clientId: 'Xq7vN2pL9sK4mR8tW1yZ3bC6dF5gH0jA' },
    initialUsers: ['admin@spaceships.work'],
    tls: { certFile: '/etc/omni/tls/omni.spaceships.work.crt', keyFile: '/etc/omni/tls/omni.spaceships.work.key' },
    etcdEncryptionKeyFile: '/etc/omni/omni.asc',
    siderolink: { wireguardAddress: '192.168.10.20' },
    eula: { name: 'Spaceships Admin', email: 'admin@spaceships.work' },
    // Holly's address on the tailnet: public DNS points omni.spaceships.work here, UniFi answers 192.168.10.20 on the LAN.
    tailnetAddress: '100.101.12.20',
    sidecar: {
      name: 'omni-tailscale',
      hostname: 'omni',
      tags: ['tag:omni'],
      authKey: { env: 'TS_AUTHKEY' },
      version: 'v1.84.0',
    },
  },
  providers: {
    proxmox: {
      host: 'ct-200',
      cluster: 'matrix',
      sidecar: {
        name: 'worker-tailscale',
        hostname: 'omni-provider',
        tags: ['tag:pve-infra'],
        authKey: { env: 'TS_AUTHKEY' },
        version: 'v1.84.0',
      },
      serviceAccountKey: { env: 'OMNI_SERVICE_ACCOUNT_KEY' },
      proxmoxAccess: {
        user: 'omni-provider@pve',
        tokenName: 'omni',
        tokenSecret: { env: 'PROXMOX_TOKEN_SECRET' },
        insecureSkipVerify: true,
      },
    },
  },
  machineClasses: {
    'matrix-control-plane': {
      provider: 'proxmox',
      cores: 4,
      memory: 8192,
      diskSize: 40,
      storage: 'vm_ssd',
      network: 'lan',
      disk: { ssd: true, discard: true, iothread: true },
    },
    'matrix-worker': {
      provider: 'proxmox',
      cores: 8,
      memory: 16384,
      diskSize: 100,
      storage: 'vm_ssd',
      network: 'lan',
      disk: { ssd: true, discard: true, iothread: true },
    },
  },
  clusters: {
    'talos-matrix': {
      talosVersion: 'v1.13.9',
      kubernetesVersion: 'v1.35.0',
      controlPlane: { machineClass: 'matrix-control-plane', size: 3 },
      workers: { workers: { machineClass: 'matrix-worker', size: 3 } },
      systemExtensions: ['siderolabs/qemu-guest-agent', 'siderolabs/iscsi-tools'],
      patches: [
        {
          name: 'lan-resolver',
          description: 'Resolve through the UniFi gateway, which serves omni.spaceships.work (split horizon)',
          documents: [{ apiVersion: 'v1alpha1', kind: 'ResolverConfig', nameservers: [{ address: '192.168.3.1' }] }],
        },
        {
          name: 'kubelet-lan',
          description: 'Kubelet node IPs from the Matrix LAN',
          documents: [{ machine: { kubelet: { nodeIP: { validSubnets: ['192.168.3.0/24'] } } } }],
        },
      ],
    },
  },
  dns: {
    zone: 'spaceships.work',
    records: [{ name: 'omni.spaceships.work', type: 'A', value: '192.168.10.20' }],
  },
  unifi: {
    site: 'default',
    networks: {
      quantum: { subnet: '192.168.10.0/24', gateway: '192.168.10.1' },
      matrix: { subnet: '192.168.3.0/24', gateway: '192.168.3.1' },
    },
  },
});
