import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, Metadata } from '@grpc/grpc-js';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateClient } from '@talos-sdk/omni-client/generated/cosi/state.js';
import type { GetResponse } from '@talos-sdk/omni-client/generated/cosi/state.js';
import {
  applyOmni,
  createOmniClient,
  createRequestSigner,
  parseServiceAccountKey,
  signingInterceptor,
} from '../src/clients/omni/index.js';
import type { OmniClient } from '../src/clients/omni/index.js';
import type { OmniEmulator } from '../src/testing/omni/index.js';
import { createTestServiceAccount, seedInfraProviderStatus, startOmniEmulator } from '../src/testing/omni/index.js';
import { spaceshipsArtifactSet } from './omni-fixtures.js';

type Field = { number: number; wireType: WireType; value: number | Uint8Array };

/** Reads one protobuf message into its top-level fields, by field number. */
function fields(bytes: Uint8Array): Field[] {
  const reader = new BinaryReader(bytes);
  const out: Field[] = [];
  while (reader.pos < reader.len) {
    const [number, wireType] = reader.tag();
    if (wireType === WireType.Varint) out.push({ number, wireType, value: Number(reader.uint64()) });
    else if (wireType === WireType.LengthDelimited) out.push({ number, wireType, value: reader.bytes() });
    else throw new Error(`unexpected wire type ${wireType} for field ${number}`);
  }
  return out;
}
const text = (value: Field['value'] | undefined): string => Buffer.from(value as Uint8Array).toString('utf8');
const field = (list: Field[], number: number): Field['value'] | undefined =>
  list.find((item) => item.number === number)?.value;

let omni: OmniEmulator;
let client: OmniClient;
let raw: StateClient;
let dir: string;
const set = spaceshipsArtifactSet();

beforeAll(async () => {
  const account = await createTestServiceAccount();
  dir = await mkdtemp(join(tmpdir(), 'omni-wire-'));
  omni = await startOmniEmulator();
  await omni.registerPublicKey(account.armoredPublicKey, { role: 'Admin' });
  seedInfraProviderStatus(omni.state);
  client = await createOmniClient({ endpoint: omni.endpoint, serviceAccountKey: account.serviceAccountKey });
  await applyOmni(set, client, { providerKey: { file: join(dir, 'provider.key') } });
  const signer = await createRequestSigner(parseServiceAccountKey(account.serviceAccountKey, 'option'));
  raw = new StateClient(omni.endpoint.replace('http://', ''), credentials.createInsecure(), {
    interceptors: [signingInterceptor(signer)],
  });
});
afterAll(async () => {
  raw.close();
  client.close();
  await omni.close();
  await rm(dir, { recursive: true, force: true });
});

function getRaw(type: string, id: string, namespace = 'default'): Promise<GetResponse> {
  return new Promise((resolve, reject) =>
    raw.get({ namespace, type, id, options: {} }, new Metadata(), (error, response) =>
      error ? reject(error) : resolve(response),
    ),
  );
}

describe('what the client writes, read back at the byte level', () => {
  it('sends proto_spec with an empty yaml_spec, a numeric version and phase running', async () => {
    const { resource } = await getRaw('Clusters.omni.sidero.dev', 'talos-matrix');
    expect(resource?.spec?.yamlSpec).toBe('');
    expect(resource?.metadata?.phase).toBe('running');
    expect(resource?.metadata?.version).toMatch(/^\d+$/);
    const spec = fields(resource?.spec?.protoSpec ?? new Uint8Array());
    expect(spec.map((item) => item.number)).toEqual([2, 3, 4, 5]);
    expect(text(field(spec, 2))).toBe('1.35.0');
    expect(text(field(spec, 3))).toBe('1.13.9');
    const features = fields(field(spec, 4) as Uint8Array);
    expect(features).toEqual([
      { number: 1, wireType: WireType.Varint, value: 1 },
      { number: 3, wireType: WireType.Varint, value: 1 },
    ]);
    const backup = fields(field(spec, 5) as Uint8Array);
    expect(fields(field(backup, 1) as Uint8Array)).toEqual([{ number: 1, wireType: WireType.Varint, value: 21600 }]);
    expect(field(backup, 2)).toBe(1);
  });

  it('encodes MachineClassSpec.auto_provision as field 2 with provider_id 1 and provider_data 4', async () => {
    const { resource } = await getRaw('MachineClasses.omni.sidero.dev', 'matrix-worker');
    const spec = fields(resource?.spec?.protoSpec ?? new Uint8Array());
    expect(spec.map((item) => item.number)).toEqual([2]);
    const provision = fields(field(spec, 2) as Uint8Array);
    expect(text(field(provision, 1))).toBe('proxmox');
    expect(text(field(provision, 4))).toBe(
      'cores: 8\ndisk_discard: true\ndisk_iothread: true\ndisk_size: 100\ndisk_ssd: true\nmemory: 16384\nnetwork_bridge: vmbr0\nsockets: 1\nstorage_selector: name == "vm_ssd"\n',
    );
  });

  it('encodes MachineSetSpec with update_strategy 1 = Rolling and machine_allocation as field 7', async () => {
    const { resource } = await getRaw('MachineSets.omni.sidero.dev', 'talos-matrix-workers');
    expect(resource?.metadata?.labels).toMatchObject({
      'omni.sidero.dev/cluster': 'talos-matrix',
      'omni.sidero.dev/role-worker': '',
    });
    const spec = fields(resource?.spec?.protoSpec ?? new Uint8Array());
    expect(field(spec, 1)).toBe(1);
    expect(field(spec, 2)).toBeUndefined();
    const allocation = fields(field(spec, 7) as Uint8Array);
    expect(text(field(allocation, 1))).toBe('matrix-worker');
    expect(field(allocation, 2)).toBe(3);
  });

  it('sends ConfigPatchSpec.data (field 1) byte for byte from the patch artifact', async () => {
    const { resource } = await getRaw('ConfigPatches.omni.sidero.dev', '200-cluster-talos-matrix-lan-resolver');
    const artifact = set.artifacts.find(
      (item) => item.path === 'omni/clusters/talos-matrix/patches/200-lan-resolver.yaml',
    );
    const spec = fields(resource?.spec?.protoSpec ?? new Uint8Array());
    expect(spec.map((item) => item.number)).toEqual([1]);
    expect(Buffer.from(field(spec, 1) as Uint8Array).equals(Buffer.from(artifact?.content ?? '', 'utf8'))).toBe(true);
    expect(resource?.metadata?.annotations).toMatchObject({
      name: 'lan-resolver',
      'talos-sdk.dev/managed-by': 'spaceships',
    });
  });

  it('encodes InfraProviderSpec as empty bytes in namespace infra-provider', async () => {
    const { resource } = await getRaw('InfraProviders.omni.sidero.dev', 'proxmox', 'infra-provider');
    expect(resource?.spec?.protoSpec.length).toBe(0);
  });
});
