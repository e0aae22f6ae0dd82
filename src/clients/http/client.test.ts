import { afterEach, describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import type { EmulatorReply, HttpsEmulator } from '../../testing/https-emulator.js';
import { startHttpsEmulator } from '../../testing/https-emulator.js';
import { HttpClient } from './client.js';
import {
  HttpAbortError,
  HttpConnectionError,
  HttpRateLimitError,
  HttpServerError,
  HttpTimeoutError,
  HttpTlsError,
} from './errors.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

async function server(
  replies: (count: number) => EmulatorReply | Promise<EmulatorReply>,
): Promise<HttpsEmulator & { hits: () => number }> {
  let count = 0;
  const emulator = await startHttpsEmulator(() => replies(++count));
  open.push(emulator);
  return Object.assign(emulator, { hits: () => count });
}

function client(target: HttpsEmulator, extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}): HttpClient {
  const http = new HttpClient({ baseUrl: target.url, tls: { ca: target.caPem }, retry: { baseDelayMs: 1 }, ...extra });
  open.push(http);
  return http;
}

describe('HttpClient TLS', () => {
  it('refuses a server whose certificate does not match the pinned fingerprint, before sending anything', async () => {
    const target = await server(() => ({ status: 200, body: { ok: true } }));
    const other = await server(() => ({ status: 200, body: {} }));
    const http = new HttpClient({ baseUrl: target.url, tls: { fingerprint256: other.fingerprint256 } });
    open.push(http);
    const error = await http.request({ method: 'GET', path: '/' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpTlsError);
    expect((error as Error).message).toMatch(/does not match the pinned fingerprint/);
    expect(target.hits()).toBe(0);
  });

  it('accepts the pinned certificate, or the certificate trusted as a CA, and rejects it by default', async () => {
    const target = await server(() => ({ status: 200, body: { ok: true } }));
    const pinned = new HttpClient({
      baseUrl: target.url,
      tls: { fingerprint256: target.fingerprint256.replaceAll(':', '').toLowerCase() },
    });
    open.push(pinned);
    expect((await pinned.request({ method: 'GET', path: '/' })).body).toEqual({ ok: true });
    expect((await client(target).request({ method: 'GET', path: '/' })).body).toEqual({ ok: true });
    const strict = new HttpClient({ baseUrl: target.url, retry: { retries: 0 } });
    open.push(strict);
    await expect(strict.request({ method: 'GET', path: '/' })).rejects.toBeInstanceOf(HttpTlsError);
  });

  it('warns through the logger every time a client skips verification', async () => {
    const target = await server(() => ({ status: 200, body: {} }));
    const warnings: string[] = [];
    const logger = { warn: (message: string) => void warnings.push(message) };
    client(target, { tls: { insecureSkipVerify: true }, logger });
    const second = client(target, { tls: { insecureSkipVerify: true }, logger });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/verification is disabled/);
    await expect(second.request({ method: 'GET', path: '/' })).resolves.toMatchObject({ status: 200 });
  });
});

describe('HttpClient retries', () => {
  it('retries 5xx for GET but not for POST unless marked idempotent', async () => {
    const target = await server((count) =>
      count % 2 === 1 ? { status: 503, body: { message: 'busy' } } : { status: 200, body: { count } },
    );
    const http = client(target);
    expect((await http.request({ method: 'GET', path: '/' })).body).toEqual({ count: 2 });
    const error = await http.request({ method: 'POST', path: '/', json: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpServerError);
    expect((error as HttpServerError).status).toBe(503);
    expect((error as HttpServerError).upstreamMessage).toBe('busy');
    expect((await http.request({ method: 'POST', path: '/', json: {}, idempotent: true })).body).toEqual({ count: 4 });
    expect(http.stats).toEqual({ requests: 4, retries: 1 });
  });

  it('retries 429 for any method, honouring Retry-After, and gives up when it is too long', async () => {
    const target = await server((count) =>
      count === 1 ? { status: 429, headers: { 'retry-after': '0' }, body: {} } : { status: 200, body: {} },
    );
    await expect(client(target).request({ method: 'POST', path: '/', json: {} })).resolves.toMatchObject({
      status: 200,
    });
    const patient = await server(() => ({ status: 429, headers: { 'retry-after': '3600' }, body: {} }));
    const error = await client(patient)
      .request({ method: 'GET', path: '/' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpRateLimitError);
    expect((error as HttpRateLimitError).retryAfterMs).toBe(3_600_000);
    expect(patient.hits()).toBe(1);
  });

  it('retries connection resets for idempotent requests only', async () => {
    const target = await server(() => ({ status: 200, body: { ok: true } }));
    target.setFaults({ resetRate: 1, seed: 7 });
    const http = client(target, { retry: { retries: 2, baseDelayMs: 1 } });
    const error = await http.request({ method: 'POST', path: '/', json: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpConnectionError);
    expect(http.stats.requests).toBe(1);
    await expect(http.request({ method: 'GET', path: '/' })).rejects.toBeInstanceOf(HttpConnectionError);
    expect(http.stats.requests).toBe(4);
  });

  it('times out each attempt and stops at once when the caller aborts', async () => {
    const target = await server(async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { status: 200, body: {} };
    });
    const http = client(target, { timeoutMs: 20, retry: { retries: 1, baseDelayMs: 1 } });
    await expect(http.request({ method: 'GET', path: '/' })).rejects.toBeInstanceOf(HttpTimeoutError);
    const controller = new AbortController();
    const pending = http.request({ method: 'GET', path: '/', signal: controller.signal, timeoutMs: 5_000 });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(HttpAbortError);
  });
});

describe('HttpClient errors', () => {
  it.each(['pass word', 'pa+ss&x=y', 'quo"te\\back', 'ab'])(
    'keep the password %j out of an error whose server echoes the request form-encoded and JSON-escaped',
    async (password) => {
      // A server that quotes what it received: the raw form body, and the fields as JSON inside its message.
      const target = await server((count) => ({
        status: 400,
        body: {
          message: `rejected request ${count}: ${new URLSearchParams({ username: 'me', password }).toString()} ${JSON.stringify({ password })}`,
        },
      }));
      const http = client(target, { retry: { retries: 0 } });
      http.secrets.add(password);
      const error = await http
        .request({ method: 'POST', path: '/login', form: { username: 'me', password } })
        .catch((caught: unknown) => caught);
      const shown = [(error as Error).message, JSON.stringify(error), inspect(error, { depth: 10 })].join('\n');
      expect(shown).toContain('[REDACTED]');
      for (const form of [password, encodeURIComponent(password), new URLSearchParams({ password }).toString()]) {
        expect(shown).not.toContain(form);
      }
      expect(shown).not.toContain(JSON.stringify(password).slice(1, -1));
    },
  );
});
