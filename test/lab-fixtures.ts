/**
 * The whole seed lab on emulators: Proxmox, the two hosts over SSH with the fake docker, UniFi, Auth0, Tailscale and
 * Omni, with a simulated infra provider that starts when the provider's stack comes up on CT 200. Used by the
 * whole-lab tests and by `bench/lab-apply.ts`.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unquoteDotenvValue } from '../src/clients/dotenv-value.js';
import { manifestArtifact } from '../src/generators/manifest.js';
import { writeArtifacts } from '../src/generators/output-folder.js';
import type { PlanTarget } from '../src/plan/change.js';
import type { Auth0Emulator } from '../src/testing/auth0/index.js';
import { startAuth0Emulator } from '../src/testing/auth0/index.js';
import type { OmniEmulator, SimulatedProvider } from '../src/testing/omni/index.js';
import { createTestServiceAccount, startInfraProvider, startOmniEmulator } from '../src/testing/omni/index.js';
import type { ProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';
import type { RoundTripLog } from '../src/testing/round-trips.js';
import type { TailscaleEmulator } from '../src/testing/tailscale/index.js';
import type { UnifiEmulator } from '../src/testing/unifi/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import { AUTH0_SCOPES, auth0ArtifactSet } from './auth0-fixtures.js';
import type { HostsLab } from './hosts-fixtures.js';
import { CLIENT_KEY, SECRETS, startHostsLab } from './hosts-fixtures.js';
import { API_KEY as TS_API_KEY, startTailnet } from './tailscale-fixtures.js';

const ROOT_PASSWORD = 'emulated-root-password-1';
const UNIFI_API_KEY = 'emulated-unifi-api-key-0002';
/** Where the provider's stack lives in `out/` and on CT 200. */
const PROVIDER_STACK = 'hosts/ct-200/provider-proxmox';

/** Options of {@link startEmulatedLab}. */
export interface EmulatedLabOptions {
  /** Latency injected into every request of every emulator, and into every Proxmox task, in ms. Defaults to 0. */
  readonly latencyMs?: number;
  /** How long an emulated Proxmox task runs before the injected latency, in ms. Defaults to 5. */
  readonly taskDurationMs?: number;
}

/** The seed lab on emulators, its artifacts in `out`, and what the CLI needs to reach it. */
export interface EmulatedLab {
  /** Matrix's Proxmox API (`PROXMOX_URL`): Foxtrot, Golf and Hotel, where CT 200 and the provider's access live. */
  readonly pve: ProxmoxEmulator;
  /** Quantum's Proxmox API (`PROXMOX_URL__QUANTUM`): its one node, where Holly lives. */
  readonly quantum: ProxmoxEmulator;
  /** Holly and CT 200 over SSH. */
  readonly hosts: HostsLab;
  /** The UniFi console. */
  readonly unifi: UnifiEmulator;
  /** The Auth0 tenant, holding Omni's application. */
  readonly auth0: Auth0Emulator;
  /** The tailnet. */
  readonly tailnet: TailscaleEmulator;
  /** Omni. */
  readonly omni: OmniEmulator;
  /** The temporary output folder holding the lab's artifacts. */
  readonly out: string;
  /** Every credential and endpoint, as the CLI reads them from the environment. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * The flags that say where apply writes the secrets it creates: the provider's Proxmox token secret into its
   * stack's `.env` in `out/`, and its Omni key carried to CT 200 over SSH (`--provider-key-host`).
   */
  readonly secretFlags: readonly string[];
  /** Every secret the lab holds now, including those apply created: none may be printed. */
  secrets(): Promise<string[]>;
  /** The round trips each target's clients made, by target (the two hosts together). */
  roundTrips(): Readonly<Record<PlanTarget, readonly RoundTripLog[]>>;
  /** Stops every emulator and the simulated provider, and removes the temporary folders. */
  close(): Promise<void>;
}

/**
 * Starts the whole seed lab (`examples/spaceships`) on emulators and writes its artifacts into a temporary `out/`.
 * Two things are adjusted so the lab is reachable on loopback, as `hosts-fixtures.ts` and the Auth0 tests do: each
 * guest's `ssh` points at its SSH emulator, and the Auth0 artifact names the emulated tenant and its application.
 *
 * @param options - Injected latency and the Proxmox task duration.
 * @returns The lab.
 */
export async function startEmulatedLab(options: EmulatedLabOptions = {}): Promise<EmulatedLab> {
  const latencyMs = options.latencyMs ?? 0;
  const faults = { latencyMs };
  const taskDurationMs = options.taskDurationMs ?? 5;
  const [hosts, pve, quantum, unifi, auth0, tailnet, omni, admin] = await Promise.all([
    startHostsLab({ holly: { latencyMs }, ct200: { latencyMs } }),
    // The example's two clusters, each behind its own API as two Proxmox clusters are (one cluster's API lists only
    // its own guests: a single API for both would show each cluster the other's tagged guest as one it does not
    // declare), the default storages (local with its import content, local-lvm, vm_ssd) on each.
    startProxmoxEmulator({
      rootPassword: ROOT_PASSWORD,
      nodes: ['foxtrot', 'golf', 'hotel'],
      taskDurationMs,
      faults,
    }),
    startProxmoxEmulator({ rootPassword: ROOT_PASSWORD, nodes: ['quantum-1'], taskDurationMs, faults }),
    startUnifiEmulator({ apiKey: UNIFI_API_KEY, faults }),
    startAuth0Emulator({ faults }),
    startTailnet({ faults }),
    startOmniEmulator({ faults }),
    createTestServiceAccount(),
  ]);
  await omni.registerPublicKey(admin.armoredPublicKey, { role: 'Admin' });
  const clientId = auth0.addApplication({ name: 'Omni', callbacks: ['http://localhost:3000/cb'] })['client_id'];
  const m2m = auth0.addM2mApplication(AUTH0_SCOPES);
  const tenantApplication = auth0ArtifactSet(auth0, clientId as string).artifacts.filter(
    (artifact) => artifact.kind === 'auth0-application',
  );
  const artifacts = [
    ...hosts
      .artifacts()
      .artifacts.filter((artifact) => artifact.kind !== 'auth0-application' && artifact.kind !== 'manifest'),
    ...tenantApplication,
  ];
  const work = await mkdtemp(join(tmpdir(), 'emulated-lab-'));
  const out = join(work, 'out');
  await writeArtifacts({ artifacts: [...artifacts, manifestArtifact('spaceships', artifacts)] }, out);
  const keyFile = join(work, 'id_ed25519');
  await writeFile(keyFile, CLIENT_KEY.private, { mode: 0o600 });
  const provider = simulateProvider(hosts, omni);
  const env = {
    PROXMOX_URL: pve.url,
    PROXMOX_ROOT_PASSWORD: ROOT_PASSWORD,
    PROXMOX_FINGERPRINT: pve.fingerprint256,
    PROXMOX_URL__QUANTUM: quantum.url,
    PROXMOX_FINGERPRINT__QUANTUM: quantum.fingerprint256,
    HOSTS_SSH_KEY_FILE: keyFile,
    TS_AUTHKEY: SECRETS.TS_AUTHKEY,
    UNIFI_URL: unifi.url,
    UNIFI_API_KEY,
    UNIFI_FINGERPRINT: unifi.fingerprint256,
    AUTH0_DOMAIN: auth0.domain,
    AUTH0_CLIENT_ID: m2m.clientId,
    AUTH0_CLIENT_SECRET: m2m.clientSecret,
    AUTH0_FINGERPRINT: auth0.fingerprint256,
    TS_API_URL: tailnet.url,
    TS_API_KEY,
    TS_API_FINGERPRINT: tailnet.fingerprint256,
    OMNI_ENDPOINT: omni.endpoint,
    OMNI_SERVICE_ACCOUNT_KEY: admin.serviceAccountKey,
  };
  return {
    pve,
    quantum,
    hosts,
    unifi,
    auth0,
    tailnet,
    omni,
    out,
    env,
    secretFlags: ['--token-secret-env-file', join(out, PROVIDER_STACK, '.env'), '--provider-key-host'],
    async secrets() {
      const created = [pve, quantum].flatMap((api) => [...api.state.tokens.values()].map((token) => token.secret));
      const providerKey = await hostProviderKey(hosts).catch(() => undefined);
      return [
        ...created,
        ...(providerKey ? [providerKey] : []),
        ROOT_PASSWORD,
        UNIFI_API_KEY,
        m2m.clientSecret,
        TS_API_KEY,
        SECRETS.TS_AUTHKEY,
        admin.serviceAccountKey,
      ];
    },
    roundTrips: () => ({
      proxmox: [pve.roundTrips, quantum.roundTrips],
      hosts: [hosts.holly.roundTrips, hosts.ct200.roundTrips],
      unifi: [unifi.roundTrips],
      auth0: [auth0.roundTrips],
      tailscale: [tailnet.roundTrips],
      omni: [omni.roundTrips],
    }),
    async close() {
      await provider.stop();
      await Promise.all([
        hosts.close(),
        pve.close(),
        quantum.close(),
        unifi.close(),
        auth0.close(),
        tailnet.close(),
        omni.close(),
        rm(work, { recursive: true, force: true }),
      ]);
    },
  };
}

/** The Omni key the provider's stack on CT 200 reads, as apply delivered it. */
async function hostProviderKey(hosts: HostsLab): Promise<string | undefined> {
  const text = await readFile(join(hosts.ct200.root, 'opt/talos-sdk/provider-proxmox/.env'), 'utf8');
  const value = /^OMNI_SERVICE_ACCOUNT_KEY=(.*)$/m.exec(text)?.[1];
  return value === undefined ? undefined : unquoteDotenvValue(value);
}

/**
 * Plays the provider's container: once the fake docker on CT 200 runs it with its Omni key on the host, a simulated
 * provider connects to Omni with that key and heartbeats, as the real one does after `docker compose up`.
 */
function simulateProvider(hosts: HostsLab, omni: OmniEmulator): { stop(): Promise<void> } {
  let provider: Promise<SimulatedProvider | undefined> | undefined;
  const watcher = setInterval(() => {
    const running = hosts.ct200.docker.projects.get('omni-infra-provider-proxmox')?.get('proxmox-provider');
    if (provider || !running) return;
    provider = hostProviderKey(hosts).then((key) => (key ? startInfraProvider(omni.endpoint, key) : undefined));
  }, 5);
  return {
    async stop() {
      clearInterval(watcher);
      await (await provider?.catch(() => undefined))?.stop();
    },
  };
}
