/** An access token a credential exchange handed out (OAuth 2.0 client credentials), and how long it lives. */
export interface IssuedAccessToken {
  /** The token. */
  readonly value: string;
  /** Its lifetime in seconds, the token response's `expires_in`. */
  readonly expiresInSeconds: number;
}

/** A token in the cache: its value and when the cache stops handing it out, in milliseconds since the epoch. */
interface CachedAccessToken {
  readonly value: string;
  readonly renewAt: number;
}

/** Seconds before a token's expiry the cache stops handing it out (never more than half its lifetime). */
const RENEW_MARGIN_SECONDS = 60;

/**
 * Keeps the access token of an OAuth 2.0 client-credentials exchange (RFC 6749 §4.4) for its lifetime, so that a
 * client exchanges its credentials once, not once per request: the token is handed out until a minute before its
 * `expires_in` ends (or half its lifetime, for a short one), then exchanged again. Concurrent requests share one
 * exchange, and a token the server refused (401) is dropped once however many requests it failed, so they share the
 * next exchange too. The token value is never logged here; the client registers it with its secrets scrubber.
 *
 * @example
 * ```ts
 * import { AccessTokenCache } from '@talos-sdk/topology/http';
 *
 * const tokens = new AccessTokenCache(async () => ({ value: 'issued-token', expiresInSeconds: 3600 }));
 * const bearer = await tokens.token();
 * tokens.invalidate(bearer); // the server answered 401: the next call exchanges again
 * ```
 */
export class AccessTokenCache {
  readonly #exchange: (signal: AbortSignal | undefined) => Promise<IssuedAccessToken>;
  readonly #now: () => number;
  #current: Promise<CachedAccessToken> | undefined;
  #settled: CachedAccessToken | undefined;
  #exchanges = 0;

  /**
   * @param exchange - Exchanges the credentials for a token (one request to the token endpoint).
   * @param now - The clock, in milliseconds since the epoch; `Date.now` by default.
   */
  constructor(exchange: (signal: AbortSignal | undefined) => Promise<IssuedAccessToken>, now: () => number = Date.now) {
    this.#exchange = exchange;
    this.#now = now;
  }

  /** How many exchanges the cache started (for tests and benchmarks). */
  get exchanges(): number {
    return this.#exchanges;
  }

  /**
   * The current token: the cached one while it is fresh, else the result of one exchange shared by every caller.
   *
   * @param signal - Cancels the exchange this call starts.
   * @returns The token.
   * @throws What the exchange throws; the next call starts a new exchange.
   */
  async token(signal?: AbortSignal): Promise<string> {
    const cached = this.#current;
    if (cached) {
      const token = await cached.catch(() => undefined);
      // The shared exchange failed: its failure is this call's too (a later call exchanges again).
      if (!token) return (await cached).value;
      if (token.renewAt > this.#now()) return token.value;
      if (this.#current === cached) this.#drop();
    }
    // A fresh token is handed out even when its lifetime is shorter than the clock's step.
    return (await (this.#current ?? this.#start(signal))).value;
  }

  /**
   * Drops a token the server refused (401), so that the next {@link AccessTokenCache.token} exchanges again; a token
   * already replaced is ignored, so concurrent refusals of one token cause one exchange.
   *
   * @param value - The refused token.
   */
  invalidate(value: string): void {
    if (this.#settled?.value === value) this.#drop();
  }

  #drop(): void {
    this.#current = undefined;
    this.#settled = undefined;
  }

  #start(signal: AbortSignal | undefined): Promise<CachedAccessToken> {
    this.#exchanges++;
    const pending = this.#exchange(signal).then((issued) => {
      const lifetime = Math.max(issued.expiresInSeconds - RENEW_MARGIN_SECONDS, issued.expiresInSeconds / 2);
      const token = { value: issued.value, renewAt: this.#now() + lifetime * 1000 };
      if (this.#current === pending) this.#settled = token;
      return token;
    });
    pending.catch(() => {
      if (this.#current === pending) this.#drop();
    });
    this.#current = pending;
    return pending;
  }
}
