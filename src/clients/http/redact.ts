/** What replaces a credential wherever one would be stored or printed. */
export const REDACTED = '[REDACTED]';

/** Request headers that carry credentials (compared lower-case). */
const SECRET_HEADERS = new Set([
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'csrfpreventiontoken',
  'x-csrf-token',
  'x-updated-csrf-token',
]);

/** Query and body fields that carry credentials (compared lower-case). */
const SECRET_FIELDS = new Set([
  'password',
  'new-password',
  'confirmation-password',
  'tokensecret',
  'token_secret',
  'secret',
  'ticket',
  'csrfpreventiontoken',
  'otp',
  'tfa-challenge',
  'apikey',
  'api_key',
  'x-api-key',
]);

/**
 * Tells whether a header carries a credential.
 *
 * @param name - The header name, any case.
 * @returns `true` for Authorization, Cookie, X-API-KEY and the CSRF headers.
 */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

/**
 * Copies headers with every credential replaced by {@link REDACTED}.
 *
 * @param headers - The headers as sent.
 * @returns A new object safe to store on an error.
 */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = isSecretHeader(name) ? REDACTED : value;
  return out;
}

/**
 * Copies a JSON-like body with the values of credential fields (password, ticket, tokenSecret, …) replaced.
 *
 * @param body - A request body (object, array or scalar).
 * @param extraFields - More field names to treat as credentials for this request, e.g. `value` of a token.
 * @returns A deep copy safe to store on an error.
 */
export function redactBody(body: unknown, extraFields: readonly string[] = []): unknown {
  const extra = new Set(extraFields.map((field) => field.toLowerCase()));
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value !== 'object' || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const lower = key.toLowerCase();
      out[key] = SECRET_FIELDS.has(lower) || extra.has(lower) ? REDACTED : walk(item);
    }
    return out;
  };
  return walk(body);
}

/**
 * Redacts credential fields in the query string of a path.
 *
 * @param path - A path with an optional `?query`.
 * @returns The same path with secret query values replaced.
 */
export function redactPath(path: string): string {
  const mark = path.indexOf('?');
  if (mark < 0) return path;
  const query = new URLSearchParams(path.slice(mark + 1));
  const parts: string[] = [];
  for (const [key, value] of query) {
    const shown = SECRET_FIELDS.has(key.toLowerCase()) ? REDACTED : value;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(shown)}`);
  }
  return `${path.slice(0, mark)}?${parts.join('&')}`;
}

/**
 * Remembers the credential values a client holds (passwords, token secrets, tickets, CSRF tokens) and removes them
 * from any text before it is stored on an error, so even an upstream message echoing a secret stays clean.
 */
export class SecretScrubber {
  readonly #secrets = new Set<string>();

  /**
   * Adds a value to scrub; values shorter than 4 characters are ignored, they would mangle ordinary text.
   *
   * @param value - The credential, as it may appear in text.
   */
  add(value: string | undefined): void {
    if (value === undefined || value.length < 4) return;
    this.#secrets.add(value);
    this.#secrets.add(encodeURIComponent(value));
  }

  /**
   * Replaces every remembered credential in a text.
   *
   * @param text - Any text.
   * @returns The text with credentials replaced by {@link REDACTED}.
   */
  scrub(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join(REDACTED);
    return out;
  }

  /**
   * Scrubs every string inside a JSON-like value.
   *
   * @param value - Any JSON-like value.
   * @returns A copy with credentials replaced.
   */
  scrubValue(value: unknown): unknown {
    if (typeof value === 'string') return this.scrub(value);
    if (Array.isArray(value)) return value.map((item) => this.scrubValue(item));
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.scrubValue(item)]));
  }
}
