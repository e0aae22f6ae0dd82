/**
 * The starter topology `talos-topology init` writes: a one-site lab (one Proxmox node, Omni on a VM, the Proxmox
 * infra provider in a container, one machine class, one small Talos cluster, the LAN DNS record on the UniFi
 * gateway), commented, in YAML and in TypeScript. Both validate as written and describe the same topology (a test
 * checks both).
 *
 * @module
 */

/**
 * The comment that points editors with the YAML language server at the topology's JSON Schema. The path resolves
 * from a topology in the project's root folder, where `npm install @talos-sdk/topology` puts `node_modules`.
 */
export const SCHEMA_COMMENT =
  '# yaml-language-server: $schema=./node_modules/@talos-sdk/topology/schema/topology.schema.json';

/** The starter topology as YAML, headed by {@link SCHEMA_COMMENT}. */
export const STARTER_YAML =
  `${SCHEMA_COMMENT}\n` +
  `#
# A starter topology for a one-site lab: one Proxmox node, Omni on a VM, the Proxmox infra provider in a container,
# one machine class, one small Talos cluster and the LAN DNS record on the UniFi gateway. It validates as written;
# change every value marked CHANGE to your own, then run \`talos-topology validate\` and \`talos-topology generate\`.
# Sizes: memory in MiB, disk sizes in GiB.

# The lab's name: lower-case letters, digits and dashes; it prefixes generated names.
name: homelab

# Your tailnet's MagicDNS suffix (Tailscale admin console, DNS page). CHANGE
tailnet:
  magicDnsSuffix: tail0000.ts.net

# The Proxmox cluster (a single node is a cluster of one).
proxmox:
  pve:
    api:
      url: https://192.168.1.10:8006/api2/json # CHANGE: your node's API address
    nodes:
      pve1:
        address: 192.168.1.10 # CHANGE
    networks:
      # The LAN the guests join, on the bridge vmbr0; the UniFi gateway is its gateway.
      lan:
        subnet: 192.168.1.0/24 # CHANGE
        gateway: 192.168.1.1 # CHANGE
        bridge: vmbr0
    storages:
      local-lvm:
        type: lvmthin
        content: [images, rootdir]
      local:
        type: dir
        content: [iso, vztmpl]

# The machines the SDK creates on Proxmox: a VM for Omni and a container for the infra provider.
guests:
  omni:
    type: qemu
    cluster: pve
    node: pve1
    vmid: 9001
    cores: 2
    memory: 4096
    disk:
      storage: local-lvm
      size: 32
    install:
      iso: local:iso/debian-12.8.0-amd64-netinst.iso # CHANGE: an installer ISO you uploaded
    lan:
      network: lan
      address: 192.168.1.20 # CHANGE
  provider:
    type: lxc
    cluster: pve
    node: pve1
    vmid: 9002
    template: local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst # CHANGE: a template you downloaded
    cores: 1
    memory: 1024
    rootfs:
      storage: local-lvm
      size: 8
    lan:
      network: lan
      address: 192.168.1.21 # CHANGE
    features:
      nesting: true
      keyctl: true

# Sidero Omni, in Docker on the omni VM, reached on the LAN and over the tailnet through its Tailscale sidecar.
omni:
  host: omni
  domain: omni.lab.example.com # CHANGE: the name Omni answers on (a certificate for it goes in tls)
  version: v1.10.2
  accountId: 00000000-0000-4000-8000-000000000000 # CHANGE: any UUID, fixed once Omni has started
  auth0:
    domain: example.eu.auth0.com # CHANGE: your Auth0 tenant
    clientId: CHANGEMEclientid00000000 # CHANGE: the Auth0 application's client ID
  initialUsers: [admin@lab.example.com] # CHANGE: who may log in first
  tls:
    certFile: /srv/omni/tls/fullchain.pem
    keyFile: /srv/omni/tls/privkey.pem
  etcdEncryptionKeyFile: /srv/omni/etcd.asc
  dataDir: /srv/omni/data
  siderolink:
    wireguardAddress: 192.168.1.20 # the omni VM's LAN address
  eula:
    name: Lab Admin # CHANGE
    email: admin@lab.example.com # CHANGE
  sidecar:
    name: ts-omni
    hostname: lab-omni
    tags: ['tag:lab-omni']
    authKey: { env: OMNI_TS_AUTHKEY } # secrets are never written here: the name of the variable that holds it
    version: v1.84.0

# The Proxmox infra provider, which creates Talos VMs for Omni; it runs in the provider container. With one Proxmox
# node, Omni and the Talos VMs share it: validate warns about that (plane-separation) and carries on.
providers:
  pve:
    host: provider
    cluster: pve
    version: v0.6.0
    sidecar:
      name: ts-provider
      hostname: lab-provider
      tags: ['tag:lab-provider']
      authKey: { env: PROVIDER_TS_AUTHKEY }
      version: v1.84.0
      # userspace networking needs no /dev/net/tun in the container; the provider shares the sidecar's network.
      mode: userspace
      network: shared-namespace
    serviceAccountKey: { env: OMNI_SERVICE_ACCOUNT_KEY }
    proxmoxAccess:
      user: omni@pve
      tokenName: omni
      tokenSecret: { env: PROXMOX_TOKEN_SECRET }
      role: OmniProvider

# What a Talos VM looks like: 2 cores, 4 GiB of memory (in MiB), a 20 GiB disk on local-lvm, on the LAN.
machineClasses:
  small:
    provider: pve
    cores: 2
    memory: 4096
    diskSize: 20
    storage: local-lvm
    network: lan

# One Talos cluster: one control-plane node and one worker, both of class small.
clusters:
  lab:
    talosVersion: v1.11.5
    kubernetesVersion: v1.34.1
    controlPlane:
      machineClass: small
      size: 1
    workers:
      workers:
        machineClass: small
        size: 1

# The LAN DNS record on the UniFi gateway, so everything on the LAN reaches Omni by its name.
dns:
  zone: lab.example.com # CHANGE
  records:
    - name: omni.lab.example.com
      value: 192.168.1.20

# The UniFi gateway and the network it serves.
unifi:
  site: default
  networks:
    lan:
      subnet: 192.168.1.0/24
      gateway: 192.168.1.1
`;

/** The starter topology as TypeScript: the import of `defineTopology` gives editors its types. */
export const STARTER_TYPESCRIPT = `/*
 * A starter topology for a one-site lab: one Proxmox node, Omni on a VM, the Proxmox infra provider in a container,
 * one machine class, one small Talos cluster and the LAN DNS record on the UniFi gateway. It validates as written;
 * change every value marked CHANGE to your own, then run \`talos-topology validate\` and \`talos-topology generate\`.
 * Sizes: memory in MiB, disk sizes in GiB.
 */
import { defineTopology } from '@talos-sdk/topology';

export default defineTopology({
  // The lab's name: lower-case letters, digits and dashes; it prefixes generated names.
  name: 'homelab',

  // Your tailnet's MagicDNS suffix (Tailscale admin console, DNS page). CHANGE
  tailnet: {
    magicDnsSuffix: 'tail0000.ts.net',
  },

  // The Proxmox cluster (a single node is a cluster of one).
  proxmox: {
    pve: {
      api: {
        url: 'https://192.168.1.10:8006/api2/json', // CHANGE: your node's API address
      },
      nodes: {
        pve1: {
          address: '192.168.1.10', // CHANGE
        },
      },
      networks: {
        // The LAN the guests join, on the bridge vmbr0; the UniFi gateway is its gateway.
        lan: {
          subnet: '192.168.1.0/24', // CHANGE
          gateway: '192.168.1.1', // CHANGE
          bridge: 'vmbr0',
        },
      },
      storages: {
        'local-lvm': {
          type: 'lvmthin',
          content: ['images', 'rootdir'],
        },
        local: {
          type: 'dir',
          content: ['iso', 'vztmpl'],
        },
      },
    },
  },

  // The machines the SDK creates on Proxmox: a VM for Omni and a container for the infra provider.
  guests: {
    omni: {
      type: 'qemu',
      cluster: 'pve',
      node: 'pve1',
      vmid: 9001,
      cores: 2,
      memory: 4096,
      disk: {
        storage: 'local-lvm',
        size: 32,
      },
      install: {
        iso: 'local:iso/debian-12.8.0-amd64-netinst.iso', // CHANGE: an installer ISO you uploaded
      },
      lan: {
        network: 'lan',
        address: '192.168.1.20', // CHANGE
      },
    },
    provider: {
      type: 'lxc',
      cluster: 'pve',
      node: 'pve1',
      vmid: 9002,
      template: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst', // CHANGE: a template you downloaded
      cores: 1,
      memory: 1024,
      rootfs: {
        storage: 'local-lvm',
        size: 8,
      },
      lan: {
        network: 'lan',
        address: '192.168.1.21', // CHANGE
      },
      features: {
        nesting: true,
        keyctl: true,
      },
    },
  },

  // Sidero Omni, in Docker on the omni VM, reached on the LAN and over the tailnet through its Tailscale sidecar.
  omni: {
    host: 'omni',
    domain: 'omni.lab.example.com', // CHANGE: the name Omni answers on (a certificate for it goes in tls)
    version: 'v1.10.2',
    accountId: '00000000-0000-4000-8000-000000000000', // CHANGE: any UUID, fixed once Omni has started
    auth0: {
      domain: 'example.eu.auth0.com', // CHANGE: your Auth0 tenant
      clientId: 'CHANGEMEclientid00000000', // CHANGE: the Auth0 application's client ID
    },
    initialUsers: ['admin@lab.example.com'], // CHANGE: who may log in first
    tls: {
      certFile: '/srv/omni/tls/fullchain.pem',
      keyFile: '/srv/omni/tls/privkey.pem',
    },
    etcdEncryptionKeyFile: '/srv/omni/etcd.asc',
    dataDir: '/srv/omni/data',
    siderolink: {
      wireguardAddress: '192.168.1.20', // the omni VM's LAN address
    },
    eula: {
      name: 'Lab Admin', // CHANGE
      email: 'admin@lab.example.com', // CHANGE
    },
    sidecar: {
      name: 'ts-omni',
      hostname: 'lab-omni',
      tags: ['tag:lab-omni'],
      authKey: { env: 'OMNI_TS_AUTHKEY' }, // secrets are never written here: the name of the variable that holds it
      version: 'v1.84.0',
    },
  },

  // The Proxmox infra provider, which creates Talos VMs for Omni; it runs in the provider container. With one Proxmox
  // node, Omni and the Talos VMs share it: validate warns about that (plane-separation) and carries on.
  providers: {
    pve: {
      host: 'provider',
      cluster: 'pve',
      version: 'v0.6.0',
      sidecar: {
        name: 'ts-provider',
        hostname: 'lab-provider',
        tags: ['tag:lab-provider'],
        authKey: { env: 'PROVIDER_TS_AUTHKEY' },
        version: 'v1.84.0',
        // userspace networking needs no /dev/net/tun in the container; the provider shares the sidecar's network.
        mode: 'userspace',
        network: 'shared-namespace',
      },
      serviceAccountKey: { env: 'OMNI_SERVICE_ACCOUNT_KEY' },
      proxmoxAccess: {
        user: 'omni@pve',
        tokenName: 'omni',
        tokenSecret: { env: 'PROXMOX_TOKEN_SECRET' },
        role: 'OmniProvider',
      },
    },
  },

  // What a Talos VM looks like: 2 cores, 4 GiB of memory (in MiB), a 20 GiB disk on local-lvm, on the LAN.
  machineClasses: {
    small: {
      provider: 'pve',
      cores: 2,
      memory: 4096,
      diskSize: 20,
      storage: 'local-lvm',
      network: 'lan',
    },
  },

  // One Talos cluster: one control-plane node and one worker, both of class small.
  clusters: {
    lab: {
      talosVersion: 'v1.11.5',
      kubernetesVersion: 'v1.34.1',
      controlPlane: {
        machineClass: 'small',
        size: 1,
      },
      workers: {
        workers: {
          machineClass: 'small',
          size: 1,
        },
      },
    },
  },

  // The LAN DNS record on the UniFi gateway, so everything on the LAN reaches Omni by its name.
  dns: {
    zone: 'lab.example.com', // CHANGE
    records: [{ name: 'omni.lab.example.com', value: '192.168.1.20' }],
  },

  // The UniFi gateway and the network it serves.
  unifi: {
    site: 'default',
    networks: {
      lan: {
        subnet: '192.168.1.0/24',
        gateway: '192.168.1.1',
      },
    },
  },
});
`;
