// The CLI loads the clients of a run's targets a piece at a time, each right after an HTTP request was written
// (src/cli/client-modules.ts): the pieces must still exist in the installed packages, and the loading must follow
// what undici really publishes.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PACKAGE_FILES_FIRST, loadClientModulesWhileWaiting } from '../src/cli/client-modules.js';
import { Agent, dispatchRequest } from '../src/clients/http/undici-core.js';

const require = createRequire(import.meta.url);

const loaded = (name: string): boolean =>
  Object.keys(require.cache).some((file) => file.includes(`/node_modules/${name}/`));

describe('client modules loaded while requests wait', () => {
  it('names files that the installed packages have', () => {
    const files = Object.values(PACKAGE_FILES_FIRST).flat();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(() => require.resolve(file), file).not.toThrow();
  });

  it('loads nothing until undici writes a request, then a piece after it', async () => {
    const server = createServer((_request, response) => response.end('{}'));
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const { port } = server.address() as { port: number };
    const agent = new Agent();
    try {
      expect(loaded('jsonc-parser')).toBe(false);
      loadClientModulesWhileWaiting([{ id: 'tailscale', target: 'tailscale', needs: [] }]);
      await sleep(50);
      expect(loaded('jsonc-parser')).toBe(false);
      const response = await dispatchRequest(agent, { origin: `http://127.0.0.1:${port}`, path: '/', method: 'GET' });
      await response.body.text();
      for (let wait = 0; wait < 100 && !loaded('jsonc-parser'); wait++) await sleep(10);
      expect(loaded('jsonc-parser')).toBe(true);
    } finally {
      await agent.close();
      await new Promise((closed) => server.close(closed));
    }
  });
});
