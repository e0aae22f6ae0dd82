import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metadata } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OmniUnauthenticatedError,
  createOmniClient,
  createRequestSigner,
  omniKinds,
  parseServiceAccountKey,
} from '../src/index.js';
import type { OmniEmulator, TestServiceAccount } from '../../../src/testing/omni/index.js';
import { createTestServiceAccount, startOmniEmulator } from '../../../src/testing/omni/index.js';
import { SignatureRejection, SignatureVerifier } from '../../../src/testing/omni/signature-verifier.js';

const METHOD = '/cosi.resource.State/Create';
let account: TestServiceAccount;
let stranger: TestServiceAccount;

beforeAll(async () => {
  [account, stranger] = await Promise.all([
    createTestServiceAccount('automation'),
    createTestServiceAccount('stranger'),
  ]);
});

async function signed(method = METHOD, now?: () => number): Promise<Metadata> {
  const signer = await createRequestSigner(
    parseServiceAccountKey(account.serviceAccountKey, 'option'),
    now ? { now } : {},
  );
  const metadata = new Metadata();
  await signer.sign(method, metadata);
  return metadata;
}

async function verifier(): Promise<SignatureVerifier> {
  const result = new SignatureVerifier();
  await result.register(account.armoredPublicKey, 'Operator', 'automation');
  return result;
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SignatureRejection);
  return (error as SignatureRejection).reason;
}

describe('request signing (checked by the emulator verifier)', () => {
  it('sets the three headers in the reference format', async () => {
    const metadata = await signed();
    const [timestamp] = metadata.get('x-sidero-timestamp');
    expect(String(timestamp)).toMatch(/^\d{10}$/);
    expect(metadata.get('x-sidero-payload')).toEqual([
      `{"headers":{"authorization":null,"cluster":null,"context":null,"fieldSelectors":null,"namespace":null,"nodes":null,"runtime":null,"selectors":null,"uid":null,"x-sidero-timestamp":["${String(timestamp)}"]},"method":"${METHOD}"}`,
    ]);
    expect(String(metadata.get('x-sidero-signature')[0])).toMatch(
      new RegExp(`^siderov1 automation ${account.fingerprint} [A-Za-z0-9+/]+={0,2}$`),
    );
    await expect((await verifier()).verify(METHOD, metadata)).resolves.toMatchObject({ role: 'Operator' });
  });

  it('includes set headers such as runtime in the payload', async () => {
    const signer = await createRequestSigner(parseServiceAccountKey(account.serviceAccountKey, 'option'));
    const metadata = new Metadata();
    metadata.set('runtime', 'Omni');
    await signer.sign(METHOD, metadata);
    expect(String(metadata.get('x-sidero-payload')[0])).toContain('"runtime":["Omni"]');
    await expect((await verifier()).verify(METHOD, metadata)).resolves.toBeDefined();
  });

  it('is refused for another method', async () => {
    expect(await rejection((await verifier()).verify('/cosi.resource.State/Destroy', await signed()))).toMatch(
      /method/,
    );
  });

  it('is refused when the payload is altered', async () => {
    const metadata = await signed();
    metadata.set('x-sidero-payload', String(metadata.get('x-sidero-payload')[0]).replace('"uid":null', '"uid":null '));
    expect(await rejection((await verifier()).verify(METHOD, metadata))).toMatch(/does not verify/);
  });

  it('is refused when a covered header differs from the payload', async () => {
    const metadata = await signed();
    metadata.set('cluster', 'talos-matrix');
    expect(await rejection((await verifier()).verify(METHOD, metadata))).toMatch(/header cluster/);
  });

  it('is refused when the timestamp is more than 5 minutes off', async () => {
    const metadata = await signed(METHOD, () => Date.now() - 6 * 60_000);
    expect(await rejection((await verifier()).verify(METHOD, metadata))).toMatch(/timestamp/);
  });

  it('is refused when signed by another key', async () => {
    const strangerSigner = await createRequestSigner(parseServiceAccountKey(stranger.serviceAccountKey, 'option'));
    const metadata = new Metadata();
    await strangerSigner.sign(METHOD, metadata);
    expect(await rejection((await verifier()).verify(METHOD, metadata))).toMatch(/unknown key/);
    const header = String(metadata.get('x-sidero-signature')[0]).split(' ');
    metadata.set('x-sidero-signature', ['siderov1', 'automation', account.fingerprint, header[3]].join(' '));
    expect(await rejection((await verifier()).verify(METHOD, metadata))).toMatch(/does not verify/);
  });

  const gpg = spawnSync('gpg', ['--version']).status === 0;
  it.skipIf(!gpg)('produces a detached binary signature that gpg verifies', async () => {
    const home = mkdtempSync(join(tmpdir(), 'omni-gpg-'));
    try {
      const metadata = await signed();
      writeFileSync(join(home, 'key.asc'), account.armoredPublicKey);
      writeFileSync(join(home, 'payload.json'), String(metadata.get('x-sidero-payload')[0]));
      writeFileSync(
        join(home, 'payload.sig'),
        Buffer.from(String(metadata.get('x-sidero-signature')[0]).split(' ')[3] ?? '', 'base64'),
      );
      const run = (...args: string[]) =>
        spawnSync('gpg', ['--homedir', home, '--batch', ...args], { encoding: 'utf8' });
      expect(run('--import', join(home, 'key.asc')).status).toBe(0);
      const verified = run('--status-fd', '1', '--verify', join(home, 'payload.sig'), join(home, 'payload.json'));
      expect(verified.stdout).toContain('GOODSIG');
      expect(verified.stdout.toLowerCase()).toContain(account.fingerprint);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('signed calls over a loopback socket', () => {
  let omni: OmniEmulator;
  beforeAll(async () => {
    omni = await startOmniEmulator();
    await omni.registerPublicKey(account.armoredPublicKey, { role: 'Operator' });
  });
  afterAll(() => omni.close());

  it('signs unary and streaming calls', async () => {
    const client = await createOmniClient({ endpoint: omni.endpoint, serviceAccountKey: account.serviceAccountKey });
    try {
      omni.resetCalls();
      await client.create(omniKinds.InfraProvider, { id: 'proxmox', spec: {} });
      await client.list(omniKinds.InfraProvider);
      for await (const event of client.watch(omniKinds.InfraProvider, { timeoutMs: 5_000 })) {
        if (event.type === 'bootstrapped') break;
      }
      expect(omni.calls.map((call) => [call.method, call.code])).toEqual([
        ['/cosi.resource.State/Create', 0],
        ['/cosi.resource.State/List', 0],
        ['/cosi.resource.State/Watch', 0],
      ]);
    } finally {
      client.close();
    }
  });

  it('surfaces an unregistered key as OmniUnauthenticatedError', async () => {
    const client = await createOmniClient({ endpoint: omni.endpoint, serviceAccountKey: stranger.serviceAccountKey });
    try {
      const error = await client.list(omniKinds.Cluster).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OmniUnauthenticatedError);
      expect(String(error)).not.toContain(stranger.fingerprint.slice(8));
    } finally {
      client.close();
    }
  });

  it('surfaces a skewed client clock as OmniUnauthenticatedError', async () => {
    const client = await createOmniClient({
      endpoint: omni.endpoint,
      serviceAccountKey: account.serviceAccountKey,
      now: () => Date.now() - 10 * 60_000,
    });
    try {
      await expect(client.get(omniKinds.InfraProvider, 'proxmox')).rejects.toBeInstanceOf(OmniUnauthenticatedError);
      expect(omni.calls.at(-1)?.reason).toMatch(/timestamp/);
    } finally {
      client.close();
    }
  });
});
