import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { applyUnifi } from '../src/clients/unifi/apply.js';
import { UnifiClient } from '../src/clients/unifi/client.js';
import type { UnifiCredentials } from '../src/clients/unifi/credentials.js';
import { planUnifi } from '../src/clients/unifi/plan.js';
import { formatPlan } from '../src/plan/format.js';
import type { UnifiEmulator } from '../src/testing/unifi/index.js';
import { startUnifiEmulator } from '../src/testing/unifi/index.js';
import { exampleUnifiArtifactSet } from './client-fixtures.js';
import { captureOutput } from './output-capture.js';

const API_KEY = 'unifi-api-key-must-not-leak';
const ADMIN = { username: 'sdk-admin', password: 'unifi-password-must-not-leak' };
const { printed, record } = captureOutput();
const open: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

function client(unifi: UnifiEmulator, credentials: UnifiCredentials): UnifiClient {
  const warnings = { warn: (message: string) => void printed.push(message) };
  const unifiClient = new UnifiClient({
    url: unifi.url,
    credentials,
    tls: { ca: unifi.caPem },
    logger: warnings,
    retry: { baseDelayMs: 1 },
  });
  open.push(unifiClient);
  return unifiClient;
}

describe('UniFi credentials never reach output, logs or errors', () => {
  it('keeps the API key, password, session cookie and CSRF tokens out of everything printed, logged or thrown', async () => {
    const unifi = await startUnifiEmulator({ apiKey: API_KEY, admin: ADMIN });
    open.push(unifi);
    const set = exampleUnifiArtifactSet();
    const login = client(unifi, { kind: 'login', ...ADMIN });
    console.log(formatPlan(await planUnifi(set, login)));
    console.log(await applyUnifi(set, login));
    unifi.expireSessions();
    console.log(formatPlan(await planUnifi(set, login), { showUnchanged: true }));
    console.log(inspect(login, { depth: 10, showHidden: true }));
    record(
      await login
        .v2('POST', '/site/default/static-dns', {
          json: { key: 'x.spaceships.work', record_type: 'A', value: ADMIN.password },
        })
        .catch((error: unknown) => error),
    );
    record(await login.v1('GET', '/s/nosuchsite/rest/routing').catch((error: unknown) => error));

    const apiKey = client(unifi, { kind: 'api-key', apiKey: API_KEY });
    console.log(await applyUnifi(set, apiKey));
    record(
      await planUnifi(
        set,
        client(unifi, { kind: 'login', username: ADMIN.username, password: 'wrong-password-must-not-leak' }),
      ).catch((error: unknown) => error),
    );
    record(
      await planUnifi(set, client(unifi, { kind: 'api-key', apiKey: 'wrong-api-key-must-not-leak' })).catch(
        (error: unknown) => error,
      ),
    );

    const secrets = [
      API_KEY,
      ADMIN.password,
      'wrong-password-must-not-leak',
      'wrong-api-key-must-not-leak',
      ...[...unifi.state.sessions].flatMap(([token, session]) => [token, session.csrf]),
    ];
    expect(unifi.state.sessions.size).toBe(2);
    const everything = printed.join('\n');
    expect(everything).toContain('omni.spaceships.work');
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});
