import { base64Fragments } from '../../models/secret-patterns.js';

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
  'token',
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

/** Escapes the characters a regular expression gives a meaning to. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Below this length a remembered value is only scrubbed where it stands alone (see {@link SecretScrubber.add}). */
const SHORT_SECRET = 4;

/**
 * Below this length a base64 fragment from the middle of a longer base64 text is too likely to occur by chance to
 * be scrubbed; a fragment that ends the text (padding included) is matched as the end of a base64 word instead.
 */
const SHORTEST_BASE64_FRAGMENT = 8;

const BASE64_CHAR = '[A-Za-z0-9+/]';

/**
 * The patterns that find a value in every form it takes on the wire or in an upstream echo: as is; as a URI
 * component (`%20`); form-urlencoded (`+` for a space, as `URLSearchParams` and HTML forms send it) and the same with
 * `%20`; JSON-escaped (`"` and `\` escaped, and `\u003c`/`\u003e`/`\u0026` for `<`, `>`, `&` as Go's
 * `encoding/json` writes them); and base64, where the value may follow other bytes: HTTP basic auth sends base64 of
 * `user:password` (RFC 7617), so a base64 word that ends with the value is replaced whole.
 */
function patternsOf(value: string): RegExp[] {
  const form = new URLSearchParams([['', value]]).toString().slice(1);
  const json = JSON.stringify(value).slice(1, -1);
  const texts = [
    value,
    encodeURIComponent(value),
    form,
    form.replaceAll('+', '%20'),
    json,
    json.replaceAll('<', '\\u003c').replaceAll('>', '\\u003e').replaceAll('&', '\\u0026'),
  ];
  const textPatterns = texts.map((text) =>
    text.length >= SHORT_SECRET
      ? new RegExp(escapeRegExp(text), 'g')
      : new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(text)}(?![\\p{L}\\p{N}])`, 'gu'),
  );
  const inner = base64Fragments(value)
    .filter((fragment) => fragment.length >= SHORTEST_BASE64_FRAGMENT)
    .map((fragment) => new RegExp(escapeRegExp(fragment), 'g'));
  const endings = [0, 1, 2]
    .map((offset) =>
      Buffer.concat([Buffer.alloc(offset), Buffer.from(value)])
        .toString('base64')
        .slice(offset && 4),
    )
    .filter((ending) => ending.length >= SHORT_SECRET)
    .map((ending) => new RegExp(`${BASE64_CHAR}*${escapeRegExp(ending)}(?![A-Za-z0-9+/=])`, 'g'));
  return [...textPatterns, ...inner, ...endings];
}

/**
 * Remembers the credential values a client holds (passwords, token secrets, tickets, CSRF tokens) and removes them,
 * in every encoding they are sent in, from any text before it is stored on an error, so even an upstream message
 * echoing a secret stays clean.
 */
export class SecretScrubber {
  /** Every remembered pattern by its source, longest first so a form that contains another is replaced whole. */
  #patterns = new Map<string, RegExp>();

  /**
   * Adds a value to scrub, in every encoding it may be sent or echoed in. A value shorter than 4 characters is
   * scrubbed only where it stands alone (not inside a longer word or number), since replacing every `ab` or `1`
   * would mangle ordinary text; where such a value is sent (credential headers, and query or form fields named
   * password, secret, token, …), {@link redactHeaders}, {@link redactBody} and {@link redactPath} replace it
   * whatever its length.
   *
   * @param value - The credential, as it may appear in text.
   */
  add(value: string | undefined): void {
    if (value === undefined || value === '') return;
    const all = [...this.#patterns.values(), ...patternsOf(value)];
    this.#patterns = new Map(
      all.sort((a, b) => b.source.length - a.source.length).map((pattern) => [pattern.source, pattern]),
    );
  }

  /**
   * Replaces every remembered credential in a text.
   *
   * @param text - Any text.
   * @returns The text with credentials replaced by {@link REDACTED}.
   */
  scrub(text: string): string {
    let out = text;
    for (const pattern of this.#patterns.values()) out = out.replace(pattern, REDACTED);
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
