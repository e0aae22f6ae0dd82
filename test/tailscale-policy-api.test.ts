import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TailnetPolicyConflictError, TailnetPolicyInvalidError } from '../src/clients/tailscale/policy-api.js';
import { HttpRequestError } from '../src/clients/http/errors.js';
import type { TailscaleEmulator } from '../src/testing/tailscale/index.js';
import { startTailscaleEmulator } from '../src/testing/tailscale/index.js';
import { API_KEY, OWNED_TAGS_POLICY, clientFor, startTailnet } from './tailscale-fixtures.js';

let tailnet: TailscaleEmulator;
beforeEach(async () => {
  tailnet = await startTailnet();
});
afterEach(async () => {
  await tailnet.close();
});

const EDITED = OWNED_TAGS_POLICY.replace('"tcp:443"', '"tcp:443", "tcp:8100"');

describe('tailscale policy file endpoints', () => {
  it('reads the HuJSON as stored, comments included, with its ETag', async () => {
    const client = clientFor(tailnet);
    const policy = await client.readPolicy();
    expect(policy.text).toBe(OWNED_TAGS_POLICY);
    expect(policy.etag).toBe(tailnet.policyEtag());
    expect(policy.etag).toMatch(/^".+"$/);
    await client.close();
  });

  it('keeps a policy that is plain JSON as text, as stored', async () => {
    const plain = await startTailscaleEmulator({ apiKey: API_KEY, policy: '{"tagOwners": {"tag:omni": []}}' });
    const client = clientFor(plain);
    expect((await client.readPolicy()).text).toBe('{"tagOwners": {"tag:omni": []}}');
    await client.close();
    await plain.close();
  });

  it('writes with If-Match, and refuses a write made from a version someone else changed since (412)', async () => {
    const client = clientFor(tailnet);
    const read = await client.readPolicy();
    tailnet.editPolicy(`${OWNED_TAGS_POLICY}// a person's edit\n`);
    const error = await client.writePolicy(EDITED, read.etag).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TailnetPolicyConflictError);
    expect(tailnet.state.policy).toContain("a person's edit");
    const fresh = await client.readPolicy();
    const written = await client.writePolicy(EDITED, fresh.etag);
    expect(tailnet.state.policy).toBe(EDITED);
    expect(written.etag).toBe(tailnet.policyEtag());
    expect(written.etag).not.toBe(fresh.etag);
    await client.close();
  });

  it('takes If-Match "ts-default" only while the policy was never written', async () => {
    const fresh = await startTailscaleEmulator({ apiKey: API_KEY });
    const client = clientFor(fresh);
    await client.writePolicy(OWNED_TAGS_POLICY, '"ts-default"');
    expect(fresh.state.policy).toBe(OWNED_TAGS_POLICY);
    await expect(client.writePolicy(EDITED, '"ts-default"')).rejects.toBeInstanceOf(TailnetPolicyConflictError);
    await client.close();
    await fresh.close();
  });

  it.each([
    ['malformed HuJSON', '{ "grants": [ }', 'invalid HuJSON'],
    ['an unknown top-level section', '{ "grantz": [] }', 'unknown field "grantz"'],
    [
      'a tag no tagOwners entry defines',
      '{ "grants": [{ "src": ["autogroup:admin"], "dst": ["tag:nobody"], "ip": ["*"] }] }',
      'tag "tag:nobody" not found',
    ],
    [
      'a grant without ip or app',
      '{ "tagOwners": { "tag:omni": [] }, "grants": [{ "src": ["*"], "dst": ["tag:omni"] }] }',
      'one of ip or app is required',
    ],
    [
      'a test the grants fail',
      OWNED_TAGS_POLICY.replace(
        '"grants"',
        '"tests": [{ "src": "lister@spaceships.work", "accept": ["tag:omni:8100"] }],\n  "grants"',
      ),
      'test(s) failed; lister@spaceships.work: address "tag:omni:8100": want: Accept, got: Drop',
    ],
    [
      'an autogroup as a test source (tailscale/tailscale#12370)',
      OWNED_TAGS_POLICY.replace(
        '"grants"',
        '"tests": [{ "src": "autogroup:admin", "accept": ["tag:omni:443"] }],\n  "grants"',
      ),
      'tests[0]: unknown user or host: autogroup:admin',
    ],
  ])('validation refuses %s with the API’s message, and so does the write', async (_name, text, message) => {
    const client = clientFor(tailnet);
    const refusal = (await client.validatePolicy(text).catch((caught: unknown) => caught)) as Error;
    expect(refusal).toBeInstanceOf(TailnetPolicyInvalidError);
    expect(refusal.message).toContain(message);
    const { etag } = await client.readPolicy();
    await expect(client.writePolicy(text, etag)).rejects.toBeInstanceOf(TailnetPolicyInvalidError);
    expect(tailnet.state.policy).toBe(OWNED_TAGS_POLICY);
    await client.close();
  });

  it('validates a good policy, tests included (an admin by role reaches what autogroup:admin is granted)', async () => {
    const client = clientFor(tailnet);
    const withTest = EDITED.replace(
      '"grants"',
      '"tests": [{ "src": "lister@spaceships.work", "accept": ["tag:omni:8100"], "deny": ["tag:pve-infra:22"] }],\n  "grants"',
    );
    await expect(client.validatePolicy(withTest)).resolves.toBeUndefined();
    await client.close();
  });
});

describe('tailscale emulator device rules', () => {
  it('refuses an address outside 100.64.0.0/10, one another node holds, and a tag nobody owns', async () => {
    const one = tailnet.joinDevice({ hostname: 'one' });
    const two = tailnet.joinDevice({ hostname: 'two' });
    const client = clientFor(tailnet);
    await expect(client.setDeviceIpv4(one.id, '10.0.0.1')).rejects.toThrow(/100\.64\.0\.0\/10/);
    await expect(client.setDeviceIpv4(one.id, two.addresses[0]!)).rejects.toThrow(/already in use/);
    await expect(client.setDeviceTags(one.id, ['tag:nobody'])).rejects.toBeInstanceOf(HttpRequestError);
    await expect(client.setDeviceTags(one.id, ['tag:nobody'])).rejects.toThrow(/invalid or not permitted/);
    await client.setDeviceIpv4(one.id, '100.64.0.9');
    expect(one.addresses[0]).toBe('100.64.0.9');
    await client.close();
  });
});
