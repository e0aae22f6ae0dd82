// The HTTP clients load undici's Agent, connector and request call from undici's own files (src/clients/http/
// undici-core.ts): they must be the very objects undici's index exports, and loading them must not load the index.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as undici from 'undici';
import { describe, expect, it } from 'vitest';
import { Agent, buildConnector, dispatchRequest } from '../src/clients/http/undici-core.js';

const require = createRequire(import.meta.url);

describe('undici core', () => {
  it("is undici's own Agent, buildConnector and request, from the files the index takes them from", () => {
    expect(Agent).toBe(undici.Agent);
    expect(buildConnector).toBe(undici.buildConnector);
    expect(require('undici/lib/api/api-request.js')).toBe(undici.Dispatcher.prototype.request);
  });

  it("loads neither undici's index nor Node's bundled undici", () => {
    const script = [
      "const { createRequire } = await import('node:module');",
      "await import('./src/clients/http/undici-core.ts');",
      'const cache = Object.keys(createRequire(import.meta.url).cache);',
      "console.log(JSON.stringify({ index: cache.some((file) => file.endsWith('/node_modules/undici/index.js')), agent: cache.some((file) => file.endsWith('/undici/lib/dispatcher/agent.js')), bundled: process.moduleLoadList.some((name) => name.includes('deps/undici')) }));",
    ].join('\n');
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({ index: false, agent: true, bundled: false });
  });

  it('sends a request through an agent, as dispatcher.request does', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_request, response) => response.writeHead(201, 'Made').end('{"ok":true}'));
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const { port } = server.address() as { port: number };
    const agent = new Agent();
    try {
      const response = await dispatchRequest(agent, { origin: `http://127.0.0.1:${port}`, path: '/', method: 'GET' });
      expect(response.statusCode).toBe(201);
      expect(response.statusText).toBe('Made');
      expect(await response.body.json()).toEqual({ ok: true });
    } finally {
      await agent.close();
      await new Promise((closed) => server.close(closed));
    }
  });
});
