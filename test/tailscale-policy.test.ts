// The tailnet policy file through the Tailscale target, over HTTPS against the emulator: the generated entries are
// merged into a new tailnet's policy before the nodes are tagged, a person's comments and entries survive, a policy
// someone saves between the read and the write is never overwritten, and a second plan finds nothing to do.
import { afterEach, describe, expect, it } from 'vitest';
import { applyTailscale } from '../src/clients/tailscale/apply.js';
import { planTailscale } from '../src/clients/tailscale/plan.js';
import type { TailscaleEmulator } from '../src/testing/tailscale/index.js';
import { startTailscaleEmulator } from '../src/testing/tailscale/index.js';
import { API_KEY, EXAMPLE_MEMBERS, OAUTH_CLIENT, clientFor, spaceshipsSet } from './tailscale-fixtures.js';

const set = spaceshipsSet();
let tailnet: TailscaleEmulator | undefined;
afterEach(async () => {
  await tailnet?.close();
  tailnet = undefined;
});

/** A new tailnet: Tailscale's allow-all starting policy, with its comments. */
async function newTailnet(): Promise<TailscaleEmulator> {
  tailnet = await startTailscaleEmulator({ apiKey: API_KEY, oauthClient: OAUTH_CLIENT, members: EXAMPLE_MEMBERS });
  return tailnet;
}

describe('tailscale policy file', () => {
  it('merges the generated entries into a new tailnet’s policy first, keeps its comments, and then tags the nodes', async () => {
    const live = await newTailnet();
    const starting = live.state.policy;
    const omni = live.joinDevice({ hostname: 'omni', tags: [] });
    const client = clientFor(live);
    const plan = await planTailscale(set, client);
    const policy = plan.changes.find((change) => change.kind === 'policy');
    expect(policy?.action).toBe('update');
    expect(policy?.fields.map((field) => field.path)).toEqual(
      expect.arrayContaining(['tagOwners.tag:omni', 'tagOwners.tag:pve-infra']),
    );

    const { applied } = await applyTailscale(set, client);
    expect(applied.map((change) => `${change.kind} ${change.id}`)).toEqual(['policy policy', 'device omni']);
    // The tag could be set only because the policy, written first, defines it.
    expect(omni.tags).toEqual(['tag:omni']);
    const written = live.state.policy;
    for (const line of starting.split('\n').filter((text) => text.trim().startsWith('//')))
      expect(written).toContain(line);
    expect(written).toContain('// talos-topology:spaceships');
    expect(written).toContain('"lister@spaceships.work"');

    const again = await planTailscale(set, client);
    expect(again.changes.every((change) => change.action === 'no-op')).toBe(true);
    await client.close();
  });

  it('never overwrites a policy someone saved between the read and the write: it merges into theirs', async () => {
    const live = await newTailnet();
    const theirs = live.state.policy.replace(
      '"acls": [',
      '"groups": { "group:ops": ["ops@spaceships.work"] }, // added by a person meanwhile\n  "acls": [',
    );
    let edited = false;
    live.setFaults({
      // The person saves just as the SDK validates its merge: the SDK's write then carries a stale If-Match.
      loseAnswer: (request) => {
        if (!edited && request.path.endsWith('/acl/validate')) {
          edited = true;
          live.editPolicy(theirs);
        }
        return false;
      },
    });
    const client = clientFor(live);
    await applyTailscale(set, client);
    expect(edited).toBe(true);
    const writes = live.state.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/acl'));
    expect(writes).toHaveLength(2);
    expect(live.state.policy).toContain('"group:ops": ["ops@spaceships.work"] }, // added by a person meanwhile');
    expect(live.state.policy).toContain('// talos-topology:spaceships');
    await client.close();
  });

  it('reads the policy and the nodes concurrently with one OAuth token exchange', async () => {
    const live = await newTailnet();
    const client = clientFor(live, { kind: 'oauth', clientId: OAUTH_CLIENT.id, clientSecret: OAUTH_CLIENT.secret });
    await planTailscale(set, client);
    expect(client.tokenExchanges).toBe(1);
    expect(live.state.requests.map((request) => `${request.method} ${request.path}`).sort()).toEqual([
      'GET /api/v2/tailnet/-/acl',
      'GET /api/v2/tailnet/-/devices',
      'POST /api/v2/oauth/token',
    ]);
    await client.close();
  });
});
