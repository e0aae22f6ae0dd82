import { describe, expect, it } from 'vitest';
import { singleSiteInput, spaceshipsInput } from '../../test/fixtures.js';
import { defineTopology } from '../models/define.js';
import { generate } from '../generators/generate.js';
import { checkTopology, RULES } from './index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke values into the input
type Loose = any;

function findings(
  rule: string,
  mutate: (input: Loose) => void = () => {},
  base = spaceshipsInput,
): { path: string; message: string }[] {
  const input = base() as Loose;
  mutate(input);
  return checkTopology(defineTopology(input))
    .filter((issue) => issue.rule === rule)
    .map(({ path, message }) => ({ path, message }));
}

describe('the rule set', () => {
  it('has unique ids and passes both examples without errors', () => {
    expect(new Set(RULES.map((rule) => rule.id)).size).toBe(RULES.length);
    for (const base of [spaceshipsInput, singleSiteInput]) {
      expect(checkTopology(defineTopology(base())).filter((issue) => issue.severity === 'error')).toEqual([]);
    }
  });

  it('can skip a rule', () => {
    const input = singleSiteInput();
    expect(checkTopology(defineTopology(input), { skip: ['plane-separation'] })).toEqual([]);
  });
});

describe('l2-adjacency', () => {
  it('holds for the seed', () => expect(findings('l2-adjacency')).toEqual([]));

  it('is a warning that says the provider does not need the VMs on its segment', () => {
    const rule = RULES.find((candidate) => candidate.id === 'l2-adjacency');
    expect(rule?.severity).toBe('warning');
    const input = spaceshipsInput() as Loose;
    input.providers.proxmox.host = 'holly';
    input.providers.proxmox.sidecar.mode = 'userspace';
    const issues = checkTopology(defineTopology(input)).filter((issue) => issue.rule === 'l2-adjacency');
    expect(issues.map((issue) => issue.severity)).toEqual(['warning', 'warning']);
    expect(() => generate(defineTopology(input))).not.toThrow();
    expect(issues[0]?.message).toContain(
      'it reaches the VMs through the Proxmox API and the nocloud join config, not by broadcast; the VMs only need to reach Omni (rule siderolink-address)',
    );
  });

  it('fires when the provider runs on another cluster', () => {
    const result = findings('l2-adjacency', (input) => (input.providers.proxmox.host = 'holly'));
    expect(result).toEqual([
      {
        path: 'providers.proxmox.host',
        message: expect.stringContaining('machineClasses.matrix-control-plane.network'),
      },
      { path: 'providers.proxmox.host', message: expect.stringContaining('machineClasses.matrix-worker.network') },
    ]);
    expect(result[0]?.message).toContain('runs on Proxmox cluster quantum');
  });

  it('fires when the VMs are on another segment of the same cluster', () => {
    const result = findings('l2-adjacency', (input) => {
      input.proxmox.matrix.networks.storage = {
        subnet: '192.168.30.0/24',
        gateway: '192.168.30.1',
        bridge: 'vmbr1',
        vlan: 30,
      };
      input.unifi.networks.storage = { subnet: '192.168.30.0/24', gateway: '192.168.30.1' };
      input.machineClasses['matrix-worker'].network = 'storage';
    });
    expect(result).toEqual([
      {
        path: 'machineClasses.matrix-worker.network',
        message: expect.stringContaining('192.168.30.0/24 on vmbr1 VLAN 30'),
      },
    ]);
    expect(result[0]?.message).toContain('guests.ct-200.lan.network');
  });
});

describe('split-horizon', () => {
  it('holds for the seed', () => expect(findings('split-horizon')).toEqual([]));

  it('fires when the local record is missing', () => {
    expect(findings('split-horizon', (input) => (input.dns.records = []))).toEqual([
      { path: 'dns.records', message: expect.stringContaining("value: '192.168.10.20'") },
    ]);
  });

  it("fires when the record points elsewhere than the Omni host's LAN address", () => {
    expect(findings('split-horizon', (input) => (input.dns.records[0].value = '100.64.0.7'))).toEqual([
      { path: 'dns.records.0.value', message: expect.stringContaining('not to the Omni host') },
    ]);
  });
});

/** Moves the Talos VMs of the seed onto a lab subnet behind a second router at 192.168.3.254, outside UniFi. */
function talosBehindLabRouter(input: Loose): void {
  input.proxmox.matrix.networks.lab = { subnet: '10.50.0.0/24', gateway: '10.50.0.1', bridge: 'vmbr2' };
  input.machineClasses['matrix-worker'].network = 'lab';
}

describe('routes-both-ways', () => {
  it('holds for the seed with no static route: the UniFi gateway serves both subnets', () => {
    expect(spaceshipsInput().routes ?? []).toEqual([]);
    expect(findings('routes-both-ways')).toEqual([]);
  });

  it('holds for a Talos subnet behind another router when a route leads there', () => {
    const routed = (input: Loose): void => {
      talosBehindLabRouter(input);
      input.routes = [{ name: 'lab', network: '10.50.0.0/24', nexthop: '192.168.3.254' }];
    };
    expect(findings('routes-both-ways', routed)).toEqual([]);
    expect(findings('siderolink-address', routed)).toEqual([]);
    expect(findings('siderolink-address', talosBehindLabRouter)).toEqual([
      {
        path: 'omni.siderolink.wireguardAddress',
        message: expect.stringContaining('not reachable from the Talos subnet 10.50.0.0/24'),
      },
    ]);
  });

  it('fires for the Talos subnet the gateway neither serves nor routes to', () => {
    expect(findings('routes-both-ways', talosBehindLabRouter)).toEqual([
      {
        path: 'routes',
        message: expect.stringContaining(
          'no way into the Talos subnet 10.50.0.0/24 (machineClasses.matrix-worker.network) from the Omni subnet 192.168.10.0/24 (guests.holly.lan): the UniFi gateway does not serve it (unifi.networks) and no static route',
        ),
      },
    ]);
  });

  it('fires for the way back when the Omni subnet is not served', () => {
    expect(findings('routes-both-ways', (input) => delete input.unifi.networks.quantum)).toEqual([
      {
        path: 'routes',
        message: expect.stringContaining('no way back into the Omni subnet 192.168.10.0/24 (guests.holly.lan)'),
      },
    ]);
  });

  it('does not count a route through the gateway itself as a way in', () => {
    expect(
      findings('routes-both-ways', (input) => {
        talosBehindLabRouter(input);
        input.routes = [{ name: 'lab', network: '10.50.0.0/24', nexthop: '192.168.3.1' }];
      }),
    ).toEqual([{ path: 'routes', message: expect.stringContaining('no way into the Talos subnet 10.50.0.0/24') }]);
  });

  it('does not ask for anything on a single subnet', () => {
    expect(findings('routes-both-ways', () => {}, singleSiteInput)).toEqual([]);
  });
});

describe('route-nexthop', () => {
  it('holds for the real route of the single-site example', () => {
    expect(singleSiteInput().routes).toEqual([expect.objectContaining({ nexthop: '10.20.0.2' })]);
    expect(findings('route-nexthop', () => {}, singleSiteInput)).toEqual([]);
  });

  it("fires for a next hop that is the gateway's own address (the old seed's routes)", () => {
    expect(
      findings('route-nexthop', (input) => {
        input.routes = [
          { name: 'quantum-to-matrix', network: '192.168.3.0/24', nexthop: '192.168.10.1' },
          { name: 'matrix-to-quantum', network: '192.168.10.0/24', nexthop: '192.168.3.1' },
        ];
      }),
    ).toEqual([
      {
        path: 'routes.0.nexthop',
        message:
          "192.168.10.1 is the UniFi gateway's own address on unifi.networks.quantum (192.168.10.0/24); the next hop must be another router on that network",
      },
      { path: 'routes.1.nexthop', message: expect.stringContaining("the UniFi gateway's own address") },
    ]);
  });

  it('fires for a next hop off every served network, one inside the destination, and one with nothing served', () => {
    expect(
      findings('route-nexthop', (input) => {
        input.routes = [
          { name: 'far', network: '10.50.0.0/24', nexthop: '10.9.9.9' },
          { name: 'loop', network: '10.50.0.0/24', nexthop: '10.50.0.1' },
        ];
      }),
    ).toEqual([
      {
        path: 'routes.0.nexthop',
        message: expect.stringContaining(
          '10.9.9.9 is on none of the networks the UniFi gateway serves (unifi.networks.matrix 192.168.3.0/24, unifi.networks.quantum 192.168.10.0/24)',
        ),
      },
      { path: 'routes.1.nexthop', message: "10.50.0.1 lies inside the route's own destination 10.50.0.0/24" },
    ]);
    expect(
      findings(
        'route-nexthop',
        (input) => {
          input.unifi.networks = {};
        },
        singleSiteInput,
      ),
    ).toEqual([{ path: 'routes.0.nexthop', message: expect.stringContaining('unifi.networks declares none') }]);
  });
});

describe('route-destination', () => {
  it('holds for both examples', () => {
    expect(findings('route-destination')).toEqual([]);
    expect(findings('route-destination', () => {}, singleSiteInput)).toEqual([]);
  });

  it('fires for a route into a subnet the gateway serves, not for a summary that covers one', () => {
    expect(
      findings('route-destination', (input) => {
        input.routes = [
          { name: 'into-matrix', network: '192.168.3.0/24', nexthop: '192.168.10.5' },
          { name: 'summary', network: '192.168.0.0/16', nexthop: '192.168.10.5' },
        ];
      }),
    ).toEqual([
      {
        path: 'routes.0.network',
        message:
          '192.168.3.0/24 is served by the UniFi gateway itself (unifi.networks.matrix 192.168.3.0/24, gateway 192.168.3.1); it already routes there, so remove this route',
      },
    ]);
  });
});

describe('unifi-networks', () => {
  it('holds for both examples', () => {
    expect(findings('unifi-networks')).toEqual([]);
    expect(findings('unifi-networks', () => {}, singleSiteInput)).toEqual([]);
  });

  it('fires for overlapping networks and for a Proxmox network whose gateway is another address', () => {
    expect(
      findings('unifi-networks', (input) => {
        input.unifi.networks.wide = { subnet: '192.168.0.0/16', gateway: '192.168.0.1' };
        input.proxmox.matrix.networks.lan.gateway = '192.168.3.254';
      }),
    ).toEqual([
      {
        path: 'proxmox.matrix.networks.lan.gateway',
        message: expect.stringContaining("192.168.3.254 is not the UniFi gateway's address 192.168.3.1"),
      },
      {
        path: 'unifi.networks.wide.subnet',
        message:
          '192.168.0.0/16 overlaps unifi.networks.matrix (192.168.3.0/24); each network the gateway serves has its own subnet',
      },
    ]);
  });
});

describe('plane-separation', () => {
  it('is quiet when Omni and the workloads use different clusters', () =>
    expect(findings('plane-separation')).toEqual([]));

  it('warns when Omni runs on the cluster it provisions into', () => {
    const issues = checkTopology(defineTopology(singleSiteInput()));
    expect(issues).toEqual([
      expect.objectContaining({ rule: 'plane-separation', severity: 'warning', path: 'omni.host' }),
    ]);
  });
});

describe('address-in-subnet', () => {
  it('holds for the seed', () => expect(findings('address-in-subnet')).toEqual([]));

  it('fires for an address outside its subnet and for a broadcast address', () => {
    expect(
      findings('address-in-subnet', (input) => {
        input.guests.holly.lan.address = '192.168.3.20';
        input.proxmox.matrix.networks.lan.gateway = '192.168.3.255';
        input.unifi.networks.matrix.gateway = '192.168.30.1';
      }),
    ).toEqual([
      {
        path: 'guests.holly.lan.address',
        message: '192.168.3.20 is outside 192.168.10.0/24 (proxmox.quantum.networks.lan.subnet)',
      },
      { path: 'proxmox.matrix.networks.lan.gateway', message: expect.stringContaining('broadcast') },
      {
        path: 'unifi.networks.matrix.gateway',
        message: '192.168.30.1 is outside 192.168.3.0/24 (unifi.networks.matrix.subnet)',
      },
    ]);
  });
});

describe('unique-addresses', () => {
  it('holds for the seed', () => expect(findings('unique-addresses')).toEqual([]));

  it('fires when a guest takes a node address', () => {
    expect(findings('unique-addresses', (input) => (input.guests['ct-200'].lan.address = '192.168.3.2'))).toEqual([
      {
        path: 'guests.ct-200.lan.address',
        message: '192.168.3.2 is already used by proxmox.matrix.nodes.foxtrot.address',
      },
    ]);
  });
});

describe('unique-sidecar-hostnames', () => {
  it('holds for the seed', () => expect(findings('unique-sidecar-hostnames')).toEqual([]));

  it("fires when a provider's sidecar takes Omni's sidecar hostname", () => {
    expect(
      findings('unique-sidecar-hostnames', (input) => (input.providers.proxmox.sidecar.hostname = 'omni')),
    ).toEqual([
      {
        path: 'providers.proxmox.sidecar.hostname',
        message: 'hostname omni is already the tailnet name of omni.sidecar.hostname; give each sidecar its own',
      },
    ]);
  });
});

describe('unique-vmids', () => {
  it('holds for the seed', () => expect(findings('unique-vmids')).toEqual([]));

  it('fires for a VMID used twice in one cluster, not across clusters', () => {
    const twice = findings('unique-vmids', (input) => {
      input.guests.extra = {
        ...structuredClone(input.guests['ct-200']),
        lan: { network: 'lan', address: '192.168.3.11' },
      };
    });
    expect(twice).toEqual([
      { path: 'guests.extra.vmid', message: 'VMID 200 is already used by guests.ct-200 in Proxmox cluster matrix' },
    ]);
    expect(findings('unique-vmids', (input) => (input.guests.holly.vmid = 200))).toEqual([]);
  });
});

describe('storage-exists', () => {
  it('holds for the seed', () => expect(findings('storage-exists')).toEqual([]));

  it('fires for an unknown storage, missing content and a local storage on several nodes', () => {
    expect(
      findings('storage-exists', (input) => {
        input.machineClasses['matrix-worker'].storage = 'fast_nvme';
        input.machineClasses['matrix-control-plane'].storage = 'local';
        input.proxmox.matrix.storages.local.content.push('images');
      }),
    ).toEqual([
      { path: 'machineClasses.matrix-control-plane.storage', message: expect.stringContaining('is not shared') },
      {
        path: 'machineClasses.matrix-worker.storage',
        message: expect.stringContaining('storage fast_nvme does not exist on Proxmox cluster matrix'),
      },
    ]);
  });

  it('fires when the storage of the install image does not hold imports', () => {
    expect(findings('storage-exists', (input) => (input.proxmox.quantum.storages.local.content = ['iso']))).toEqual([
      {
        path: 'guests.holly.install.importFrom',
        message: 'storage local does not offer content import (proxmox.quantum.storages.local.content)',
      },
    ]);
  });

  it('fires when a container rootfs storage cannot hold containers', () => {
    expect(findings('storage-exists', (input) => (input.proxmox.matrix.storages.vm_ssd.content = ['images']))).toEqual([
      {
        path: 'guests.ct-200.rootfs.storage',
        message: 'storage vm_ssd does not offer content rootdir (proxmox.matrix.storages.vm_ssd.content)',
      },
    ]);
  });
});

describe('lxc-docker-host', () => {
  it('holds for both examples', () => {
    expect(findings('lxc-docker-host')).toEqual([]);
    expect(findings('lxc-docker-host', () => {}, singleSiteInput)).toEqual([]);
  });

  it('fires for a kernel-mode sidecar without /dev/net/tun and for Docker without keyctl', () => {
    expect(
      findings('lxc-docker-host', (input) => {
        input.guests['ct-200'].tun = false;
        input.guests['ct-200'].features.keyctl = false;
      }),
    ).toEqual([
      { path: 'guests.ct-200.features', message: expect.stringContaining('needs features nesting and keyctl') },
      { path: 'guests.ct-200.tun', message: expect.stringContaining('providers.proxmox needs /dev/net/tun') },
    ]);
  });
});

describe('siderolink-address', () => {
  it('holds for the seed', () => expect(findings('siderolink-address')).toEqual([]));

  it('fires for an address that is not the host and not routed', () => {
    const result = findings('siderolink-address', (input) => (input.omni.siderolink.wireguardAddress = '100.100.1.1'));
    expect(result.map((finding) => finding.path)).toEqual([
      'omni.siderolink.wireguardAddress',
      'omni.siderolink.wireguardAddress',
    ]);
    expect(result.map((finding) => finding.message)).toEqual([
      expect.stringContaining('not reachable from the Talos subnet 192.168.3.0/24'),
      expect.stringContaining("not the Omni host's LAN address 192.168.10.20"),
    ]);
  });
});

describe('qemu-guest-agent', () => {
  it('holds for the seed', () => expect(findings('qemu-guest-agent')).toEqual([]));

  it('fires for an explicit list without the agent', () => {
    expect(
      findings('qemu-guest-agent', (input) => {
        input.clusters['talos-matrix'].systemExtensions = ['siderolabs/iscsi-tools'];
        input.clusters['talos-matrix'].workers.workers.systemExtensions = ['siderolabs/util-linux-tools'];
      }),
    ).toEqual([
      {
        path: 'clusters.talos-matrix.systemExtensions',
        message: expect.stringContaining('add siderolabs/qemu-guest-agent'),
      },
      {
        path: 'clusters.talos-matrix.workers.workers.systemExtensions',
        message: expect.stringContaining('matrix-worker'),
      },
    ]);
  });
});

describe('qemu-install', () => {
  it('holds for both examples', () => {
    expect(findings('qemu-install')).toEqual([]);
    expect(findings('qemu-install', () => {}, singleSiteInput)).toEqual([]);
  });

  it('warns about a VM with nothing to boot', () => {
    expect(findings('qemu-install', (input) => delete input.guests.holly.install)).toEqual([
      { path: 'guests.holly.install', message: expect.stringContaining('a new VM 101 would get an empty boot disk') },
    ]);
  });
});

describe('patch-omni-owned', () => {
  it('holds for the seed', () => expect(findings('patch-omni-owned')).toEqual([]));

  it('fires for owned fields, owned documents and os:admin', () => {
    const result = findings('patch-omni-owned', (input) => {
      input.clusters['talos-matrix'].patches[1].documents = [
        {
          machine: {
            install: { disk: '/dev/sda' },
            features: { kubernetesTalosAPIAccess: { allowedRoles: ['os:admin'] } },
          },
        },
        { apiVersion: 'v1alpha1', kind: 'UnattendedInstallConfig' },
      ];
    });
    expect(result.map((finding) => finding.path)).toEqual([
      'clusters.talos-matrix.patches.1.documents.0.machine.features.kubernetesTalosAPIAccess.allowedRoles',
      'clusters.talos-matrix.patches.1.documents.0.machine.install.disk',
      'clusters.talos-matrix.patches.1.documents.1',
    ]);
  });
});

describe('patch-duplicate-document', () => {
  it('holds for the seed', () => expect(findings('patch-duplicate-document')).toEqual([]));

  it('fires for the same document twice in one patch', () => {
    expect(
      findings('patch-duplicate-document', (input) => {
        const documents = input.clusters['talos-matrix'].patches[0].documents;
        documents.push(structuredClone(documents[0]));
      }),
    ).toEqual([
      {
        path: 'clusters.talos-matrix.patches.0.documents.1',
        message:
          'duplicate document v1alpha1/ResolverConfig (first at clusters.talos-matrix.patches.0.documents.0); merge them',
      },
    ]);
  });
});

describe('patch-style', () => {
  it('holds for both examples', () => {
    expect(findings('patch-style')).toEqual([]);
    expect(findings('patch-style', () => {}, singleSiteInput)).toEqual([]);
  });

  it('fires for legacy nameservers on a 1.13 cluster, and for mixing forms', () => {
    const result = findings('patch-style', (input) => {
      input.clusters['talos-matrix'].patches.push({
        name: 'legacy-dns',
        documents: [{ machine: { network: { nameservers: ['192.168.3.1'] } } }],
      });
    });
    expect(result.map((finding) => finding.path)).toEqual([
      'clusters.talos-matrix.patches.2.documents.0.machine.network',
      'clusters.talos-matrix.patches.2.documents.0.machine.network.nameservers',
      'clusters.talos-matrix.patches.2.documents.0.machine.network.nameservers',
    ]);
    expect(result.map((finding) => finding.message).join('\n')).toContain(
      'Talos refuses machine.network.nameservers together with ResolverConfig',
    );
  });

  it('fires for a kind newer than the running Talos and for Kube kinds over a legacy base', () => {
    const result = findings('patch-style', (input) => {
      input.clusters['talos-matrix'].patches[0].documents = [{ apiVersion: 'v1alpha1', kind: 'KubeletConfig' }];
      input.clusters['talos-matrix'].talosVersion = 'v1.14.1';
      input.clusters['talos-matrix'].initialTalosVersion = 'v1.13.9';
    });
    expect(result).toEqual([
      {
        path: 'clusters.talos-matrix.patches.0.documents.0.kind',
        message: expect.stringContaining('legacy base config of a cluster created on Talos 1.13'),
      },
    ]);
    expect(
      findings('patch-style', (input) => {
        input.clusters['talos-matrix'].patches[0].documents = [{ apiVersion: 'v1alpha1', kind: 'KubeNodeConfig' }];
      }),
    ).toEqual([
      {
        path: 'clusters.talos-matrix.patches.0.documents.0.kind',
        message: 'KubeNodeConfig needs Talos 1.14 or later; clusters.talos-matrix.talosVersion is v1.13.9',
      },
    ]);
  });

  it('fires for an unknown kind and a document that is neither form', () => {
    const result = findings('patch-style', (input) => {
      input.clusters['talos-matrix'].patches[0].documents = [{ apiVersion: 'v1alpha1', kind: 'Resolver' }, { foo: 1 }];
    });
    expect(result.map((finding) => finding.message)).toEqual([
      'Resolver is not a Talos config document kind',
      'a document without kind must be the v1alpha1 config (machine, cluster, debug or persist)',
    ]);
  });
});

describe('no-literal-secrets', () => {
  it('holds for the seed', () => expect(findings('no-literal-secrets')).toEqual([]));

  it('fires for a password written into a patch', () => {
    expect(
      findings('no-literal-secrets', (input) => {
        input.clusters['talos-matrix'].patches[0].documents.push({
          apiVersion: 'v1alpha1',
          kind: 'RegistryAuthConfig',
          name: 'registry.lan',
          username: 'ci',
          password: 'hunter22',
        });
      }),
    ).toEqual([
      {
        path: 'clusters.talos-matrix.patches.0.documents.1.password',
        message: 'password holds a literal value; keep credentials out of patches',
      },
    ]);
  });

  it('fires for a credential assignment in an ExtensionServiceConfig environment list', () => {
    // The model refuses this too (secret-literal); the rule also guards a topology built without defineTopology.
    const topology = structuredClone(defineTopology(spaceshipsInput())) as Loose;
    topology.clusters['talos-matrix'].patches[0].documents.push({
      apiVersion: 'v1alpha1',
      kind: 'ExtensionServiceConfig',
      name: 'agent',
      environment: ['LOG_LEVEL=info', 'API_KEY=s3cr3t-value'],
    });
    expect(
      checkTopology(topology)
        .filter((issue) => issue.rule === 'no-literal-secrets')
        .map(({ path, message }) => ({ path, message })),
    ).toEqual([
      {
        path: 'clusters.talos-matrix.patches.0.documents.1.environment.1',
        message: 'holds what looks like a credential assignment; keep credentials out of patches',
      },
    ]);
  });
});

describe('provider-tls-verify', () => {
  it('holds for a provider that verifies the Proxmox certificate', () =>
    expect(
      findings('provider-tls-verify', (input) => (input.providers.proxmox.proxmoxAccess.insecureSkipVerify = false)),
    ).toEqual([]));

  it('warns about a provider that skips verification, naming what its config allows instead', () => {
    const [finding] = findings('provider-tls-verify');
    expect(finding?.path).toBe('providers.proxmox.proxmoxAccess.insecureSkipVerify');
    expect(finding?.message).toMatch(/^provider proxmox accepts any certificate from Proxmox cluster matrix/);
    expect(finding?.message).toContain('no CA-file or fingerprint option');
    expect(finding?.message).toContain('SSL_CERT_DIR');
  });
});

describe('image-pinned', () => {
  it('warns for the seed provider image, which has only a moving tag', () => {
    expect(findings('image-pinned')).toEqual([
      { path: 'providers.proxmox.version', message: expect.stringContaining('omni-infra-provider-proxmox:latest') },
    ]);
    expect(RULES.find((rule) => rule.id === 'image-pinned')?.severity).toBe('warning');
  });

  it("warns for Tailscale's stable channel tag", () => {
    const result = findings('image-pinned', (input) => delete input.omni.sidecar.version);
    expect(result.map((finding) => finding.path)).toEqual(['omni.sidecar.version', 'providers.proxmox.version']);
    expect(result[0]?.message).toContain('tailscale/tailscale:stable is unpinned');
  });

  it('holds once a moving tag is pinned by digest, and for release tags', () => {
    const digest = `sha256:${'0'.repeat(64)}`;
    expect(findings('image-pinned', (input) => (input.providers.proxmox.digest = digest))).toEqual([]);
    expect(findings('image-pinned', () => {}, singleSiteInput)).toEqual([]);
  });
});

describe('stacks-side-by-side', () => {
  const beside = (input: Loose): void => {
    input.providers['pve-lab'].host = 'mgmt';
  };

  it('holds for Omni and a provider on one guest with userspace sidecars', () => {
    expect(findings('stacks-side-by-side', beside, singleSiteInput)).toEqual([]);
  });

  it('refuses two kernel-mode sidecars in one host namespace', () => {
    const result = findings(
      'stacks-side-by-side',
      (input) => {
        beside(input);
        input.omni.sidecar.mode = 'kernel';
        input.omni.sidecar.serve = false;
        input.providers['pve-lab'].sidecar.mode = 'kernel';
        input.providers['pve-lab'].sidecar.network = 'host';
      },
      singleSiteInput,
    );
    expect(result).toEqual([
      { path: 'providers.pve-lab.sidecar.mode', message: expect.stringContaining('already runs omni.sidecar') },
    ]);
  });

  it('refuses two containers of one name on a guest', () => {
    const result = findings(
      'stacks-side-by-side',
      (input) => {
        beside(input);
        input.providers['pve-lab'].sidecar.name = 'ts-omni';
      },
      singleSiteInput,
    );
    expect(result).toEqual([
      { path: 'providers.pve-lab.sidecar.name', message: expect.stringContaining("omni.sidecar.name's container") },
    ]);
    expect(findings('stacks-side-by-side', (input) => (input.omni.sidecar.name = 'omni'))).toEqual([
      { path: 'omni.sidecar.name', message: expect.stringContaining('container omni on guest holly') },
    ]);
  });
});
