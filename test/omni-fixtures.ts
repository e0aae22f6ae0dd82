import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import type { OmniClient, ResourceKind, RetryOptions } from '../src/clients/omni/index.js';
import { applyOmni, createOmniClient, omniKinds, planOmni } from '../src/clients/omni/index.js';
import type { ArtifactSet } from '../src/generators/artifact.js';
import { generate } from '../src/generators/generate.js';
import { manifestArtifact } from '../src/generators/manifest.js';
import { defineTopology } from '../src/models/define.js';
import { summarizePlan } from '../src/plan/index.js';
import type { OmniEmulator, OmniEmulatorOptions, TestServiceAccount } from '../src/testing/omni/index.js';
import { connectInfraProvider, seedInfraProviderStatus, startOmniEmulator } from '../src/testing/omni/index.js';
import { spaceshipsInput } from './fixtures.js';

/** Variations of the spaceships topology for the Omni tests and benchmark. */
export interface SpaceshipsOptions {
  /** Topology name. Defaults to `spaceships`. */
  readonly topology?: string;
  /** Cores of the worker class. Defaults to the example's 8. */
  readonly workerCores?: number;
  /** Worker machine count. Defaults to the example's 3. */
  readonly workers?: number;
  /** Extra machine classes `extra-<n>` (for scale tests). Defaults to 0. */
  readonly extraMachineClasses?: number;
  /** Extra cluster patches `extra-<n>` (for scale tests), 190 per cluster in further clusters. Defaults to 0. */
  readonly extraClusterPatches?: number;
  /** Leave out the worker set's `node-labels` patch (to test pruning). Defaults to `false`. */
  readonly withoutWorkerPatch?: boolean;
}

/** Extra cluster patches per cluster: below Omni's 200, leaving room for the example's own. */
const CLUSTER_PATCHES_PER_CLUSTER = 190;

/**
 * The Omni artifacts `talos-topology generate` writes for the spaceships example, with a control-plane and a worker
 * patch added so every patch scope is covered: the Omni tests push exactly what the generator produces.
 *
 * @param options - Size and variations.
 * @returns The Omni artifacts (resources, cluster template, patches), the compose files (which say where each
 * infra provider runs) and their manifest.
 */
export function spaceshipsArtifactSet(options: SpaceshipsOptions = {}): ArtifactSet {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the fixture edits the example freely
  const input = spaceshipsInput() as any;
  if (options.topology) input.name = options.topology;
  const cluster = input.clusters['talos-matrix'];
  if (options.workerCores) input.machineClasses['matrix-worker'].cores = options.workerCores;
  if (options.workers !== undefined) cluster.workers.workers.size = options.workers;
  cluster.features = { enableWorkloadProxy: true, useEmbeddedDiscoveryService: true, backupInterval: '6h' };
  cluster.controlPlane.patches = [
    {
      name: 'etcd-metrics',
      documents: [{ cluster: { etcd: { extraArgs: { 'listen-metrics-urls': 'http://0.0.0.0:2381' } } } }],
    },
  ];
  if (!options.withoutWorkerPatch) {
    cluster.workers.workers.patches = [
      { name: 'node-labels', documents: [{ machine: { nodeLabels: { 'topology.kubernetes.io/zone': 'rack-1' } } }] },
    ];
  }
  for (let index = 0; index < (options.extraMachineClasses ?? 0); index++) {
    input.machineClasses[`extra-${String(index).padStart(4, '0')}`] = {
      provider: 'proxmox',
      cores: 1 + (index % 8),
      memory: 2048,
      diskSize: 20,
      storage: 'vm_ssd',
      network: 'lan',
    };
  }
  // Omni gives cluster-wide patches weights 200–399, so a cluster holds at most 200: extra patches fill the example
  // cluster, then further clusters like it.
  const template = structuredClone(cluster);
  for (let index = 0; index < (options.extraClusterPatches ?? 0); index++) {
    const chunk = Math.floor(index / CLUSTER_PATCHES_PER_CLUSTER);
    const target =
      chunk === 0
        ? cluster
        : (input.clusters[`talos-extra-${chunk}`] ??= { ...structuredClone(template), patches: [] });
    target.patches.push({
      name: `extra-${index}`,
      documents: [{ machine: { sysctls: { 'net.core.somaxconn': String(1024 + index) } } }],
    });
  }
  const omniArtifacts = generate(defineTopology(input)).artifacts.filter(
    (artifact) => artifact.kind.startsWith('omni-') || artifact.kind === 'talos-patch' || artifact.kind === 'compose',
  );
  return {
    artifacts: [...omniArtifacts, manifestArtifact(input.name, omniArtifacts)].sort((a, b) =>
      a.path < b.path ? -1 : 1,
    ),
  };
}

/**
 * The fingerprint Omni lists for the key inside a base64 service-account key (`{"name", "pgp_key"}`), computed
 * here with openpgp directly rather than by the client under test.
 *
 * @param serviceAccountKey - The base64 key, e.g. as apply wrote it.
 * @returns The lower-case hex fingerprint.
 */
export async function keyIdOf(serviceAccountKey: string): Promise<string> {
  const { pgp_key: armoredKey } = JSON.parse(Buffer.from(serviceAccountKey, 'base64').toString('utf8')) as {
    pgp_key: string;
  };
  return (await openpgp.readKey({ armoredKey })).getFingerprint().toLowerCase();
}

/** What one apply under injected faults left behind. */
export interface FaultedApply {
  /** The apply finished and a plan afterwards (without faults) is all no-ops. */
  readonly converged: boolean;
  /** Why the apply failed, when it did. */
  readonly error?: unknown;
  /** Keys registered for the provider's service account (more than one is a duplicate registration). */
  readonly providerKeys: number;
  /** Resources created more than once: a kind's resources whose version says they were written again. */
  readonly duplicates: readonly string[];
  /** The key the apply wrote authenticates as the provider (it can write its status and heartbeat). */
  readonly keyAuthenticates: boolean;
}

/**
 * Runs one apply of the spaceships example (provider registration included) against a fresh emulator that fails a
 * share of all calls with `UNAVAILABLE`, half of the failing writes after they took effect (a lost answer).
 *
 * @param admin - An Admin service account.
 * @param seed - Seed of the emulator's fault generator.
 * @param rate - Share of calls (0..1) that fail.
 * @returns What the apply left behind.
 */
export async function applyUnderFaults(admin: TestServiceAccount, seed: number, rate: number): Promise<FaultedApply> {
  const omni = await startOmniEmulator({ seed });
  await omni.registerPublicKey(admin.armoredPublicKey, { role: 'Admin', name: admin.name });
  seedInfraProviderStatus(omni.state);
  const client = await createOmniClient({
    endpoint: omni.endpoint,
    serviceAccountKey: admin.serviceAccountKey,
    retry: { baseDelayMs: 1, maxDelayMs: 10 },
  });
  const dir = await mkdtemp(join(tmpdir(), 'omni-faults-'));
  const file = join(dir, 'provider.key');
  const set = spaceshipsArtifactSet();
  try {
    omni.setFaults({ unavailableRate: rate, lostResponseRate: 0.5 });
    const error = await applyOmni(set, client, { providerKey: { file }, providerTimeoutMs: 5_000 }).then(
      () => undefined,
      (caught: unknown) => caught ?? new Error('apply failed'),
    );
    omni.setFaults({});
    const plan = summarizePlan(await planOmni(set, client));
    const account = (await client.listServiceAccounts()).find((sa) => sa.name === 'infra-provider:proxmox');
    const key = await readFile(file, 'utf8').catch(() => '');
    const keyAuthenticates =
      key !== '' &&
      (await connectInfraProvider(omni.endpoint, key.trim()).then(
        () => true,
        () => false,
      ));
    const written: ResourceKind<unknown>[] = [
      omniKinds.MachineClass,
      omniKinds.ExtensionsConfiguration,
      omniKinds.ConfigPatch,
    ];
    const duplicates = written.flatMap((kind) =>
      omni.state
        .list(kind)
        .filter((resource) => resource.metadata.version !== 1)
        .map((resource) => `${kind.kind}/${resource.metadata.id}`),
    );
    return {
      converged: error === undefined && plan.create + plan.update + plan.delete === 0,
      ...(error === undefined ? {} : { error }),
      providerKeys: account?.publicKeyIds.length ?? 0,
      duplicates,
      keyAuthenticates,
    };
  } finally {
    client.close();
    await omni.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** An emulator and a client signed by an Admin key. */
export interface AdminSession {
  /** The emulator. */
  readonly omni: OmniEmulator;
  /** A client with the Admin key. */
  readonly client: OmniClient;
}

/**
 * Starts an emulator, registers the Admin account (registering a provider's service account needs Admin) and
 * connects a client with quick retries.
 *
 * @param admin - The Admin service account.
 * @param options - Emulator options.
 * @param providerStarted - Seed the status and a fresh heartbeat of provider `proxmox`. Defaults to `true`.
 * @param retry - Client retry options. Defaults to 12 attempts, 1..20 ms apart.
 * @returns The emulator and the client; close both after the test.
 */
export async function startAdminSession(
  admin: TestServiceAccount,
  options: OmniEmulatorOptions = {},
  providerStarted = true,
  retry: RetryOptions = { attempts: 12, baseDelayMs: 1, maxDelayMs: 20 },
): Promise<AdminSession> {
  const omni = await startOmniEmulator(options);
  await omni.registerPublicKey(admin.armoredPublicKey, { role: 'Admin', name: admin.name });
  if (providerStarted) seedInfraProviderStatus(omni.state);
  const client = await createOmniClient({ endpoint: omni.endpoint, serviceAccountKey: admin.serviceAccountKey, retry });
  return { omni, client };
}
