import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { singleSiteInput, spaceshipsInput } from '../../test/fixtures.js';
import { defineTopology, safeDefineTopology } from '../models/define.js';
import type { ArtifactSet } from './artifact.js';
import { generate } from './generate.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read parsed YAML and poke values into inputs
type Loose = any;

function file(set: ArtifactSet, path: string): string {
  const artifact = set.artifacts.find((candidate) => candidate.path === path);
  if (!artifact) throw new Error(`no artifact ${path}; have ${set.artifacts.map((a) => a.path).join(', ')}`);
  return artifact.content;
}

function generated(mutate: (input: Loose) => void, base = spaceshipsInput): ArtifactSet {
  const input = base() as Loose;
  mutate(input);
  return generate(defineTopology(input));
}

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('the shared-namespace form', () => {
  const set = generated((input) => (input.omni.sidecar.network = 'shared-namespace'));
  const holly = load(file(set, 'hosts/holly/omni/compose.yaml')) as Loose;
  const sidecar = holly.services['omni-tailscale'];

  it('puts Omni into the sidecar, started when the sidecar is healthy and restarted with it', () => {
    expect(holly.services.omni.network_mode).toBe('service:omni-tailscale');
    expect(holly.services.omni.depends_on).toEqual({
      'omni-tailscale': { condition: 'service_healthy', restart: true },
    });
    expect(holly.services.omni.ports).toBeUndefined();
    expect(sidecar.network_mode).toBeUndefined();
    expect(sidecar.hostname).toBe('omni');
    expect(sidecar.ports).toEqual([
      '192.168.10.20:443:443/tcp',
      '192.168.10.20:8090:8090/tcp',
      '192.168.10.20:8100:8100/tcp',
      '192.168.10.20:50180:50180/udp',
    ]);
  });

  it("probes containerboot's /healthz, which it enables on loopback", () => {
    expect(sidecar.environment).toMatchObject({ TS_ENABLE_HEALTH_CHECK: 'true', TS_LOCAL_ADDR_PORT: '127.0.0.1:9002' });
    expect(sidecar.healthcheck.test).toEqual(['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:9002/healthz']);
  });

  it('is used by the provider of single-site, which keeps its key mapping', () => {
    const lab = generate(defineTopology(singleSiteInput()));
    const stack = load(file(lab, 'hosts/provisioner/provider-pve-lab/compose.yaml')) as Loose;
    expect(stack.services['pve-lab-provider'].network_mode).toBe('service:ts-provider');
    expect(stack.services['ts-provider'].healthcheck).toBeDefined();
  });
});

describe('host networking', () => {
  it('keeps the host resolver (split horizon) and has no healthcheck or ports', () => {
    const holly = load(
      file(
        generated(() => {}),
        'hosts/holly/omni/compose.yaml',
      ),
    ) as Loose;
    const sidecar = holly.services['omni-tailscale'];
    expect(sidecar.environment.TS_ACCEPT_DNS).toBe('false');
    expect(sidecar.healthcheck).toBeUndefined();
    expect(sidecar.environment.TS_ENABLE_HEALTH_CHECK).toBeUndefined();
  });
});

describe('the serve config', () => {
  const lab = generate(defineTopology(singleSiteInput()));
  const mgmt = load(file(lab, 'hosts/mgmt/omni/compose.yaml')) as Loose;

  it('is inline in the compose file of a userspace sidecar, mounted where TS_SERVE_CONFIG points', () => {
    expect(JSON.parse(mgmt.configs['ts-omni-serve'].content)).toEqual({
      TCP: {
        '8100': { TCPForward: '127.0.0.1:8100' },
        '8443': { TCPForward: '127.0.0.1:8443' },
      },
    });
    expect(mgmt.services['ts-omni'].configs).toEqual([{ source: 'ts-omni-serve', target: '/config/serve.json' }]);
    expect(mgmt.services['ts-omni'].environment.TS_SERVE_CONFIG).toBe('/config/serve.json');
    expect(lab.artifacts.some((artifact) => artifact.path.startsWith('tailscale/serve'))).toBe(false);
  });

  it('is refused in kernel mode, where the app listens on the tailnet address itself', () => {
    const input = spaceshipsInput() as Loose;
    input.omni.sidecar.serve = true;
    const result = safeDefineTopology(input);
    expect(result.success ? [] : result.issues.map(({ path, rule }) => `${path} ${rule}`)).toEqual([
      'omni.sidecar.serve sidecar-serve',
    ]);
  });

  it('is required for a userspace Omni node with a tailnet address', () => {
    const input = singleSiteInput() as Loose;
    input.omni.sidecar.serve = false;
    const result = safeDefineTopology(input);
    expect(result.success ? [] : result.issues.map(({ path, rule }) => `${path} ${rule}`)).toEqual([
      'omni.sidecar.serve tailnet-reachable',
    ]);
  });
});

describe('Docker Compose version', () => {
  it('is named in the header and .env.example of every stack that uses configs: content:', () => {
    const lab = generate(defineTopology(singleSiteInput()));
    for (const dir of ['hosts/mgmt/omni', 'hosts/provisioner/provider-pve-lab']) {
      expect(file(lab, `${dir}/compose.yaml`).split('\n')[1]).toBe(
        '# Needs Docker Compose 2.23.1 or later (configs: content:); check with docker compose version.',
      );
      expect(file(lab, `${dir}/.env.example`)).toContain('# Needs Docker Compose 2.23.1 or later');
    }
    expect(
      file(
        generated(() => {}),
        'hosts/holly/omni/compose.yaml',
      ),
    ).not.toContain('Needs Docker Compose');
  });
});

describe('stacks on one guest', () => {
  it('Omni and a provider on the same guest each keep their own compose.yaml and .env.example', () => {
    const set = generated((input) => (input.providers['pve-lab'].host = 'mgmt'), singleSiteInput);
    const paths = set.artifacts.map((artifact) => artifact.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths.filter((path) => path.startsWith('hosts/'))).toEqual([
      'hosts/mgmt/omni/.env.example',
      'hosts/mgmt/omni/compose.yaml',
      'hosts/mgmt/provider-pve-lab/.env.example',
      'hosts/mgmt/provider-pve-lab/compose.yaml',
      'hosts/mgmt/provider-pve-lab/provider-config.yaml',
      'hosts/mgmt/ssh.json',
    ]);
    expect((load(file(set, 'hosts/mgmt/omni/compose.yaml')) as Loose).services.omni).toBeDefined();
    expect(
      (load(file(set, 'hosts/mgmt/provider-pve-lab/compose.yaml')) as Loose).services['pve-lab-provider'],
    ).toBeDefined();
    expect(file(set, 'hosts/mgmt/omni/.env.example')).toMatch(/^OMNI_TS_AUTHKEY=$/m);
    expect(file(set, 'hosts/mgmt/provider-pve-lab/.env.example')).toMatch(/^LAB_OMNI_KEY=$/m);
  });

  it('a provider named omni still gets a folder of its own', () => {
    const set = generated((input) => {
      input.providers.omni = { ...input.providers['pve-lab'], host: 'mgmt' };
      delete input.providers['pve-lab'];
      for (const machineClass of Object.values(input.machineClasses) as Loose[]) machineClass.provider = 'omni';
    }, singleSiteInput);
    const composes = set.artifacts.filter((artifact) => artifact.kind === 'compose').map((artifact) => artifact.path);
    expect(composes).toEqual(['hosts/mgmt/omni/compose.yaml', 'hosts/mgmt/provider-omni/compose.yaml']);
  });
});

describe('images', () => {
  it('are pinned by digest when the model gives one', () => {
    const set = generated((input) => {
      input.omni.digest = DIGEST;
      input.omni.sidecar.digest = DIGEST;
      input.providers.proxmox.digest = DIGEST;
    });
    const holly = load(file(set, 'hosts/holly/omni/compose.yaml')) as Loose;
    expect(holly.services.omni.image).toBe(`ghcr.io/siderolabs/omni:v1.10.4@${DIGEST}`);
    expect(holly.services['omni-tailscale'].image).toBe(`tailscale/tailscale:v1.84.0@${DIGEST}`);
    const ct200 = load(file(set, 'hosts/ct-200/provider-proxmox/compose.yaml')) as Loose;
    expect(ct200.services['proxmox-provider'].image).toBe(
      `ghcr.io/siderolabs/omni-infra-provider-proxmox:latest@${DIGEST}`,
    );
  });

  it('refuses a malformed digest', () => {
    const input = spaceshipsInput() as Loose;
    input.providers.proxmox.digest = 'sha256:ABC';
    const result = safeDefineTopology(input);
    expect(result.success ? [] : result.issues.map(({ path, rule }) => `${path} ${rule}`)).toEqual([
      'providers.proxmox.digest format',
    ]);
  });
});

describe('the provider key', () => {
  it('reaches the provider as OMNI_SERVICE_ACCOUNT_KEY whatever variable the topology names', () => {
    const lab = generate(defineTopology(singleSiteInput()));
    const stack = load(file(lab, 'hosts/provisioner/provider-pve-lab/compose.yaml')) as Loose;
    expect(stack.services['pve-lab-provider'].environment).toEqual({
      OMNI_SERVICE_ACCOUNT_KEY: '${LAB_OMNI_KEY:?LAB_OMNI_KEY must be set (see .env.example)}',
    });
    expect(file(lab, 'hosts/provisioner/provider-pve-lab/.env.example')).toMatch(/^LAB_OMNI_KEY=$/m);
  });
});

describe('remote access artifacts', () => {
  it('points the Omni domain at its tailnet address in public DNS, with the reason', () => {
    const records = JSON.parse(
      file(
        generated(() => {}),
        'dns/public-records.json',
      ),
    ) as Loose;
    expect(records.records).toEqual([{ name: 'omni.spaceships.work', type: 'A', value: '100.101.12.20' }]);
    expect(records.reason).toContain('UniFi local record');
    const without = generated((input) => delete input.omni.tailnetAddress);
    expect(without.artifacts.some((artifact) => artifact.kind === 'public-dns-records')).toBe(false);
  });

  it('refuses a tailnet address outside 100.64.0.0/10', () => {
    const input = spaceshipsInput() as Loose;
    input.omni.tailnetAddress = '192.168.10.20';
    const result = safeDefineTopology(input);
    expect(result.success ? [] : result.issues.map(({ path, rule }) => `${path} ${rule}`)).toEqual([
      'omni.tailnetAddress format',
    ]);
  });

  it("writes the Auth0 application's URLs as a Management API PATCH body, with the API port when not 443, and Omni's initial users", () => {
    expect(
      JSON.parse(
        file(
          generated(() => {}),
          'auth0/omni-application.json',
        ),
      ),
    ).toEqual({
      tenant: 'spaceships.us.auth0.com',
      clientId: 'Xq7vN2pL9sK4mR8tW1yZ3bC6dF5gH0jA',
      body: {
        app_type: 'spa',
        callbacks: ['https://omni.spaceships.work'],
        allowed_logout_urls: ['https://omni.spaceships.work'],
        web_origins: ['https://omni.spaceships.work'],
      },
      initialUsers: ['admin@spaceships.work'],
    });
    const lab = JSON.parse(file(generate(defineTopology(singleSiteInput())), 'auth0/omni-application.json'));
    expect(lab.body.callbacks).toEqual(['https://omni.lab.example.net:8443']);
  });
});
