import { describe, expect, it } from 'vitest';
import { AccessTokenCache } from './access-token.js';

/** A token endpoint that counts its exchanges and hands out `token-1`, `token-2`, … */
function endpoint(expiresInSeconds = 3600) {
  let issued = 0;
  const exchange = async () => {
    issued++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { value: `token-${issued}`, expiresInSeconds };
  };
  return { exchange, issued: () => issued };
}

describe('AccessTokenCache', () => {
  it('shares one exchange between concurrent callers and keeps the token until a minute before it expires', async () => {
    let now = 0;
    const server = endpoint(3600);
    const tokens = new AccessTokenCache(server.exchange, () => now);
    expect(await Promise.all([tokens.token(), tokens.token(), tokens.token()])).toEqual([
      'token-1',
      'token-1',
      'token-1',
    ]);
    now += 3539_000;
    expect(await tokens.token()).toBe('token-1');
    now += 2_000; // 59 s before expiry
    expect(await tokens.token()).toBe('token-2');
    expect(tokens.exchanges).toBe(2);
  });

  it('renews a short-lived token at half its lifetime', async () => {
    let now = 0;
    const tokens = new AccessTokenCache(endpoint(60).exchange, () => now);
    expect(await tokens.token()).toBe('token-1');
    now += 29_000;
    expect(await tokens.token()).toBe('token-1');
    now += 2_000;
    expect(await tokens.token()).toBe('token-2');
  });

  it('drops a refused token once, however many requests it failed, and ignores one already replaced', async () => {
    const server = endpoint();
    const tokens = new AccessTokenCache(server.exchange);
    const refused = await tokens.token();
    tokens.invalidate(refused);
    tokens.invalidate(refused);
    expect(await Promise.all([tokens.token(), tokens.token()])).toEqual(['token-2', 'token-2']);
    tokens.invalidate(refused);
    expect(await tokens.token()).toBe('token-2');
    expect(server.issued()).toBe(2);
  });

  it('hands every waiter the failure of an exchange, and the next call exchanges again', async () => {
    let fail = true;
    const tokens = new AccessTokenCache(async () => {
      if (fail) throw new Error('token endpoint unreachable');
      return { value: 'token-ok', expiresInSeconds: 3600 };
    });
    const results = await Promise.allSettled([tokens.token(), tokens.token()]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await tokens.token()).toBe('token-ok');
    expect(tokens.exchanges).toBe(2);
  });
});
