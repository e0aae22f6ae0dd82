import { inspect } from 'node:util';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyProxmox } from '../src/clients/proxmox/apply.js';
import { ProxmoxClient } from '../src/clients/proxmox/client.js';
import type { TlsOptions } from '../src/clients/http/tls.js';
import type { ProxmoxCredentials } from '../src/clients/proxmox/credentials.js';
import { planProxmox } from '../src/clients/proxmox/plan.js';
import { formatPlan, planToJson } from '../src/plan/format.js';
import type { ProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { startProxmoxEmulator } from '../src/testing/proxmox/index.js';
import { exampleProxmoxArtifactSet } from './client-fixtures.js';
import { captureOutput } from './output-capture.js';

const ROOT_PASSWORD = 'root-password-must-not-leak';
const TOKEN = { tokenId: 'root@pam!sdk', secret: 'aaaaaaaa-1111-4222-8333-token-secret' };

const { printed, record } = captureOutput();
const open: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

function client(pve: ProxmoxEmulator, credentials: ProxmoxCredentials, tls: TlsOptions): ProxmoxClient {
  const pveClient = new ProxmoxClient({ url: pve.url, credentials, tls, taskPollMs: 5, retry: { baseDelayMs: 1 } });
  open.push(pveClient);
  return pveClient;
}

describe('Proxmox credentials never reach output, logs or errors', () => {
  it('keeps passwords, token secrets, tickets and CSRF tokens out of everything printed, logged or thrown', async () => {
    const pve = await startProxmoxEmulator({ rootPassword: ROOT_PASSWORD, tokens: [TOKEN], taskDurationMs: 5 });
    open.push(pve);
    const set = exampleProxmoxArtifactSet();
    const tokenSecret = { envFile: join(await mkdtemp(join(tmpdir(), 'pve-')), 'provider.env') };

    const root = client(
      pve,
      { kind: 'password', username: 'root@pam', password: ROOT_PASSWORD },
      { insecureSkipVerify: true },
    );
    const plan = await planProxmox(set, root, { cluster: 'matrix', tokenSecret });
    console.log(formatPlan(plan, { showUnchanged: true }));
    console.log(JSON.stringify(planToJson(plan)));
    const result = await applyProxmox(set, root, { cluster: 'matrix', tokenSecret });
    console.log(result);
    console.log(formatPlan(await planProxmox(set, root, { cluster: 'matrix', tokenSecret })));
    console.log(inspect(root, { depth: 10, showHidden: true }));
    const echoed = await root
      .request('POST', '/access/users', { form: { userid: 'x@pve', enable: ROOT_PASSWORD } })
      .catch((error: unknown) => error);
    expect((echoed as Error).message).toContain("type check ('boolean') failed - got '[REDACTED]'");
    record(echoed);

    const token = client(pve, { kind: 'token', ...TOKEN }, { ca: pve.caPem });
    record(await applyProxmox(set, token, { cluster: 'matrix', tokenSecret }).catch((error: unknown) => error));
    record(
      await token
        .request('PUT', '/nodes/foxtrot/lxc/200/config', { form: { dev0: 'path=/dev/net/tun' } })
        .catch((error: unknown) => error),
    );

    const wrongPassword = client(
      pve,
      { kind: 'password', username: 'root@pam', password: `${ROOT_PASSWORD}-wrong` },
      { ca: pve.caPem },
    );
    record(await wrongPassword.version().catch((error: unknown) => error));
    const wrongToken = client(
      pve,
      { kind: 'token', tokenId: TOKEN.tokenId, secret: `${TOKEN.secret}-wrong` },
      { fingerprint256: pve.fingerprint256 },
    );
    record(await wrongToken.version().catch((error: unknown) => error));

    const secrets = [
      ROOT_PASSWORD,
      TOKEN.secret,
      ...[...pve.state.tokens.values()].map((item) => item.secret),
      ...[...pve.state.tickets].flatMap(([ticket, session]) => [ticket, session.csrf]),
    ];
    expect(pve.state.tickets.size).toBeGreaterThan(0);
    expect(printed.join('\n')).toMatch(/verification is disabled/);
    const everything = printed.join('\n');
    for (const secret of secrets) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(encodeURIComponent(secret));
    }
  });
});
