import { describe, expect, it } from 'vitest';
import { createTestServiceAccount } from '../../../src/testing/omni/service-account.js';
import { createRequestSigner } from '../src/signer.js';
import {
  ServiceAccountKeyError,
  parseServiceAccountKey,
  resolveServiceAccountKey,
} from '../src/service-account-key.js';

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');

describe('resolveServiceAccountKey', () => {
  it('prefers the option, then SIDERO_SERVICE_ACCOUNT_KEY, then OMNI_SERVICE_ACCOUNT_KEY', () => {
    const key = (name: string): string => encode({ name, pgp_key: '-----BEGIN PGP PRIVATE KEY BLOCK-----\n' });
    const env = { SIDERO_SERVICE_ACCOUNT_KEY: key('sidero'), OMNI_SERVICE_ACCOUNT_KEY: key('omni') };
    expect(resolveServiceAccountKey({ serviceAccountKey: key('option'), env }).name).toBe('option');
    expect(resolveServiceAccountKey({ env }).name).toBe('sidero');
    expect(resolveServiceAccountKey({ env: { ...env, SIDERO_SERVICE_ACCOUNT_KEY: '' } }).name).toBe('omni');
  });

  it('says which variables it looked at when no key is set', () => {
    expect(() => resolveServiceAccountKey({ env: {} })).toThrow(
      /SIDERO_SERVICE_ACCOUNT_KEY or OMNI_SERVICE_ACCOUNT_KEY/,
    );
  });
});

describe('service account key errors never contain key material', () => {
  it.each([
    ['not base64', 'this is not base64!', 'not-base64'],
    ['not JSON', Buffer.from('secret-token-123').toString('base64'), 'not-json'],
    ['no name', encode({ pgp_key: '-----BEGIN PGP PRIVATE KEY BLOCK-----secret-token-123' }), 'missing-name'],
    ['no key', encode({ name: 'automation', pgp_key: 'secret-token-123' }), 'missing-pgp-key'],
  ])('%s', (_, value, problem) => {
    let error: unknown;
    try {
      parseServiceAccountKey(value, 'OMNI_SERVICE_ACCOUNT_KEY');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ServiceAccountKeyError);
    expect((error as ServiceAccountKeyError).problem).toBe(problem);
    const shown = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ''}`;
    expect(shown).not.toContain('secret-token-123');
    expect(shown).not.toContain(value.slice(0, 12));
  });

  it('a corrupted PGP block', async () => {
    const account = await createTestServiceAccount();
    const corrupted = account.armoredPrivateKey.replace(/\n([A-Za-z0-9+/]{20})/, '\n$1!!');
    const key = parseServiceAccountKey(encode({ name: 'automation', pgp_key: corrupted }), 'option');
    const error = await createRequestSigner(key).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceAccountKeyError);
    const body = account.armoredPrivateKey.split('\n').filter((line) => line.length > 40);
    const shown = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ''}`;
    for (const line of body) expect(shown).not.toContain(line.slice(0, 30));
  });

  it('an expired key', async () => {
    const account = await createTestServiceAccount('automation', 60);
    const key = parseServiceAccountKey(account.serviceAccountKey, 'OMNI_SERVICE_ACCOUNT_KEY');
    const error = await createRequestSigner(key, { now: () => Date.now() + 3_600_000 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ problem: 'expired-pgp-key', source: 'OMNI_SERVICE_ACCOUNT_KEY' });
    expect(String(error)).toContain('service account key (OMNI_SERVICE_ACCOUNT_KEY)');
  });
});
