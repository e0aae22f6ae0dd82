/**
 * The Omni client's own OpenPGP code (`src/pgp/`) checked against two independent implementations: OpenPGP.js (which
 * also made most of the keys read here) and GnuPG, when installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metadata } from '@grpc/grpc-js';
import * as openpgp from 'openpgp';
import { describe, expect, it } from 'vitest';
import {
  ServiceAccountKeyError,
  createRequestSigner,
  generateServiceAccountKey,
  parseServiceAccountKey,
  publicKeyId,
  usablePublicKey,
} from '../src/index.js';
import { armor, dearmor } from '../src/pgp/armor.js';
import { readEd25519PrivateKey } from '../src/pgp/ed25519-key.js';
import { PacketTag, readPackets, writePacket } from '../src/pgp/packets.js';

const DAY = 24 * 60 * 60;
const NOW = Date.UTC(2026, 10, 29, 12);
const USER = { name: 'automation', email: 'automation@serviceaccount.omni.sidero.dev' };

/** An OpenPGP.js key of the given kind, armored, created at NOW. */
async function openpgpKey(options: {
  curve?: 'ed25519Legacy' | 'nistP256';
  lifetimeSeconds?: number;
  passphrase?: string;
}): Promise<string> {
  const { privateKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: options.curve ?? 'ed25519Legacy',
    userIDs: [USER],
    date: new Date(NOW),
    ...(options.lifetimeSeconds ? { keyExpirationTime: options.lifetimeSeconds } : {}),
    ...(options.passphrase ? { passphrase: options.passphrase } : {}),
    format: 'armored',
  });
  return privateKey;
}

function serviceAccountKey(armoredPrivateKey: string): string {
  return Buffer.from(JSON.stringify({ name: 'automation', pgp_key: armoredPrivateKey })).toString('base64');
}

async function signedWith(armoredPrivateKey: string, now: () => number): Promise<Metadata> {
  const signer = await createRequestSigner(parseServiceAccountKey(serviceAccountKey(armoredPrivateKey), 'option'), {
    now,
  });
  const metadata = new Metadata();
  await signer.sign('/cosi.resource.State/List', metadata);
  return metadata;
}

/** Checks the request signature in `metadata` with OpenPGP.js against `armoredKey`'s public key. */
async function verifiesWithOpenpgp(metadata: Metadata, armoredKey: string): Promise<boolean> {
  const [, , fingerprint, signature] = String(metadata.get('x-sidero-signature')[0]).split(' ');
  const key = await openpgp.readKey({ armoredKey });
  expect(fingerprint).toBe(key.getFingerprint());
  const result = await openpgp.verify({
    message: await openpgp.createMessage({ binary: Buffer.from(String(metadata.get('x-sidero-payload')[0])) }),
    signature: await openpgp.readSignature({ binarySignature: Buffer.from(signature ?? '', 'base64') }),
    verificationKeys: key.toPublic(),
    date: new Date(NOW + 1000),
  });
  return result.signatures[0]!.verified.then(
    () => true,
    () => false,
  );
}

describe('reading an Ed25519 service-account key', () => {
  it('reads what OpenPGP.js reads: fingerprint, expiry, public key', async () => {
    const armored = await openpgpKey({ lifetimeSeconds: 30 * DAY });
    const reference = await openpgp.readPrivateKey({ armoredKey: armored });
    const key = readEd25519PrivateKey(armored, NOW);
    expect(key?.fingerprint.toString('hex')).toBe(reference.getFingerprint());
    expect(key?.expiresAt).toBe(((await reference.getExpirationTime()) as Date).getTime());
    const publicKey = await openpgp.readKey({ armoredKey: key!.armoredPublicKey });
    expect(publicKey.isPrivate()).toBe(false);
    expect(publicKey.getFingerprint()).toBe(reference.getFingerprint());
    expect(publicKey.getUserIDs()).toEqual(reference.getUserIDs());
  });

  it('leaves every other key to OpenPGP.js: expired, protected, another curve, revoked, tampered', async () => {
    const armored = await openpgpKey({ lifetimeSeconds: DAY });
    expect(readEd25519PrivateKey(armored, NOW + 2 * DAY * 1000)).toBeUndefined();
    expect(readEd25519PrivateKey(await openpgpKey({ passphrase: 'secret' }), NOW)).toBeUndefined();
    expect(readEd25519PrivateKey(await openpgpKey({ curve: 'nistP256' }), NOW)).toBeUndefined();
    const { privateKey: revoked } = await openpgp.revokeKey({
      key: await openpgp.readPrivateKey({ armoredKey: armored }),
      date: new Date(NOW),
      format: 'armored',
    });
    expect(readEd25519PrivateKey(revoked, NOW + 1000)).toBeUndefined();
    // The certification's last octet is part of its s: flipping it breaks that signature and nothing else.
    const packets = readPackets(dearmor(armored)!.data)!;
    const certification = packets.findIndex((packet) => packet.tag === PacketTag.Signature);
    const reframed = (change: (body: Buffer) => void): string =>
      armor(
        'PRIVATE KEY BLOCK',
        Buffer.concat(
          packets.map((packet, index) => {
            const body = Buffer.from(packet.body);
            if (index === certification) change(body);
            return writePacket(packet.tag, body);
          }),
        ),
      );
    const tampered = reframed((body) => void (body[body.length - 1]! ^= 0x01));
    await expect(
      (await openpgp.readPrivateKey({ armoredKey: tampered })).getSigningKey(undefined, new Date(NOW + 1000)),
    ).rejects.toThrow();
    expect(readEd25519PrivateKey(tampered, NOW + 1000)).toBeUndefined();
    expect(
      readEd25519PrivateKey(
        reframed(() => undefined),
        NOW + 1000,
      ),
    ).toBeDefined();
  });

  it('refuses a bad armor checksum', async () => {
    const armored = await openpgpKey({});
    const broken = armored.replace(/\n=[A-Za-z0-9+/]{4}\n/, '\n=AAAA\n');
    expect(broken).not.toBe(armored);
    expect(dearmor(broken)).toBeUndefined();
    expect(dearmor(armored.replace(/\n/g, '\r\n'))?.type).toBe('PRIVATE KEY BLOCK');
  });
});

describe('signing requests', () => {
  it('makes signatures OpenPGP.js verifies, with Ed25519 keys and with the others it signs itself', async () => {
    const clock = () => NOW;
    const ed25519 = await openpgpKey({});
    expect(await verifiesWithOpenpgp(await signedWith(ed25519, clock), ed25519)).toBe(true);
    const p256 = await openpgpKey({ curve: 'nistP256' });
    expect(await verifiesWithOpenpgp(await signedWith(p256, clock), p256)).toBe(true);
  });

  it('stops signing once the key expires, and refuses a revoked or protected key up front', async () => {
    const armored = await openpgpKey({ lifetimeSeconds: DAY });
    let now = NOW;
    const signer = await createRequestSigner(parseServiceAccountKey(serviceAccountKey(armored), 'option'), {
      now: () => now,
    });
    await signer.sign('/cosi.resource.State/List', new Metadata());
    now = NOW + 2 * DAY * 1000;
    await expect(signer.sign('/cosi.resource.State/List', new Metadata())).rejects.toMatchObject({
      problem: 'expired-pgp-key',
    });
    const { privateKey: revoked } = await openpgp.revokeKey({
      key: await openpgp.readPrivateKey({ armoredKey: armored }),
      date: new Date(NOW),
      format: 'armored',
    });
    await expect(signedWith(revoked, () => NOW + 1000)).rejects.toMatchObject({ problem: 'expired-pgp-key' });
    await expect(signedWith(await openpgpKey({ passphrase: 'secret' }), () => NOW)).rejects.toBeInstanceOf(
      ServiceAccountKeyError,
    );
  });
});

describe('generating a service-account key as omnictl does', () => {
  it('makes an Ed25519 key with a Curve25519 subkey that OpenPGP.js reads, signs with and encrypts to', async () => {
    const key = generateServiceAccountKey('infra-provider:proxmox', { now: NOW });
    const decoded = parseServiceAccountKey(key.serviceAccountKey, 'option');
    expect(decoded.name).toBe('infra-provider:proxmox');
    const privateKey = await openpgp.readPrivateKey({ armoredKey: decoded.armoredPrivateKey });
    const publicKey = await openpgp.readKey({ armoredKey: key.armoredPublicKey });
    expect(publicKey.isPrivate()).toBe(false);
    expect(privateKey.getFingerprint()).toBe(key.publicKeyId);
    expect(await publicKeyId(key.armoredPublicKey)).toBe(key.publicKeyId);
    expect(publicKey.getUserIDs()).toEqual([
      expect.stringMatching(
        /^proxmox \([a-z0-9]+\/[a-z0-9]+\) <proxmox@infra-provider\.serviceaccount\.omni\.sidero\.dev>$/,
      ),
    ]);
    const at = new Date(NOW + 1000);
    expect((await privateKey.getSigningKey(undefined, at)).getFingerprint()).toBe(key.publicKeyId);
    expect((await publicKey.getExpirationTime()) as Date).toEqual(new Date(NOW + 365 * DAY * 1000));
    expect((await publicKey.getEncryptionKey(undefined, at)).getAlgorithmInfo()).toEqual({
      algorithm: 'ecdh',
      curve: 'curve25519Legacy',
    });
    const encrypted = await openpgp.encrypt({
      message: await openpgp.createMessage({ text: 'reaches the subkey' }),
      encryptionKeys: publicKey,
      date: at,
    });
    const decrypted = await openpgp.decrypt({
      message: await openpgp.readMessage({ armoredMessage: encrypted }),
      decryptionKeys: privateKey,
      date: at,
    });
    expect(decrypted.data).toBe('reaches the subkey');
    expect(
      await verifiesWithOpenpgp(await signedWith(decoded.armoredPrivateKey, () => NOW + 1000), key.armoredPublicKey),
    ).toBe(true);
  });

  it('names a plain account <name>@serviceaccount.omni.sidero.dev and gives back its public half when usable', async () => {
    const key = generateServiceAccountKey('automation', { now: NOW, lifetimeSeconds: DAY });
    const armoredPrivateKey = parseServiceAccountKey(key.serviceAccountKey, 'option').armoredPrivateKey;
    const usable = await usablePublicKey(armoredPrivateKey, NOW + 1000);
    expect(usable?.publicKeyId).toBe(key.publicKeyId);
    expect((await openpgp.readKey({ armoredKey: usable!.armoredPublicKey })).getUserIDs()[0]).toMatch(
      /<automation@serviceaccount\.omni\.sidero\.dev>$/,
    );
    expect(await usablePublicKey(armoredPrivateKey, NOW + 2 * DAY * 1000)).toBeUndefined();
    expect(await usablePublicKey(await openpgpKey({ passphrase: 'secret' }), NOW)).toBeUndefined();
    const p256 = await openpgpKey({ curve: 'nistP256' });
    expect((await usablePublicKey(p256, NOW + 1000))?.publicKeyId).toBe(await publicKeyId(p256));
  });

  const gpg = spawnSync('gpg', ['--version']).status === 0;
  it.skipIf(!gpg)('makes keys GnuPG imports, with the primary key to sign and the subkey to encrypt', () => {
    const home = mkdtempSync(join(tmpdir(), 'omni-gpg-'));
    try {
      const key = generateServiceAccountKey('infra-provider:proxmox');
      const armoredPrivateKey = parseServiceAccountKey(key.serviceAccountKey, 'option').armoredPrivateKey;
      writeFileSync(join(home, 'secret.asc'), armoredPrivateKey);
      const run = (...args: string[]) =>
        spawnSync('gpg', ['--homedir', home, '--batch', '--with-colons', ...args], { encoding: 'utf8' });
      expect(run('--import', join(home, 'secret.asc')).status).toBe(0);
      const listed = run('--list-secret-keys').stdout.split('\n');
      const primary = listed.find((line) => line.startsWith('sec:'))?.split(':');
      const subkey = listed.find((line) => line.startsWith('ssb:'))?.split(':');
      // Field 4 is the algorithm (22 EdDSA, 18 ECDH), 12 the capabilities (the key's own in lower case, the whole
      // key's in upper case), 17 the curve.
      expect([primary?.[3], primary?.[11], primary?.[16]]).toEqual(['22', 'scESC', 'ed25519']);
      expect([subkey?.[3], subkey?.[11], subkey?.[16]]).toEqual(['18', 'e', 'cv25519']);
      expect(
        listed
          .find((line) => line.startsWith('fpr:'))
          ?.split(':')[9]
          ?.toLowerCase(),
      ).toBe(key.publicKeyId);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
