/**
 * Recognises secret values by their shape, wherever they appear (a patch document, a description, a name), and
 * removes them from text that is shown to a person.
 *
 * @module
 */

/** The recognisable shape of one kind of secret. */
export interface SecretShape {
  /** Matches the whole secret inside a string (global, so every occurrence can be found and redacted). */
  readonly pattern: RegExp;
  /** What the secret is, for messages (never the value). */
  readonly what: string;
}

/**
 * Names of settings that hold a credential (`password`, `API_KEY`, `tokenSecret`, `authKey`, …), as object keys in a
 * patch document and as the name of a `NAME=value` environment assignment.
 */
export const SECRET_NAME = /(secret|password|passwd|token|api_?key|auth_?key|private_?key)$/i;

/**
 * The base64 text that `text` becomes inside any longer base64 string, at each of the three byte alignments it can
 * have there, without the characters it shares with its neighbours: a base64 string holds `text` exactly when it
 * holds one of these (e.g. a password inside the base64 of `user:password`). Short texts give short or empty forms.
 *
 * @param text - The text to find inside base64.
 * @returns Three fragments of base64, one per alignment.
 */
export function base64Fragments(text: string): string[] {
  return [0, 1, 2].map((offset) => {
    const bytes = Buffer.concat([Buffer.alloc(offset), Buffer.from(text)]);
    return bytes.toString('base64').slice(offset === 0 ? 0 : 4, Math.floor(bytes.length / 3) * 4);
  });
}

const PGP_PRIVATE_KEY_HEADER = '-----BEGIN PGP PRIVATE KEY BLOCK-----';

/** Shapes of well-known secrets, each with a description that never includes the value. */
export const SECRET_SHAPES: readonly SecretShape[] = [
  { pattern: /tskey-(?:auth|client|api)-[A-Za-z0-9_-]{6,}/g, what: 'a Tailscale key' },
  {
    // An armored block, up to its end line (or the end of the text when it is cut off).
    pattern: /-----BEGIN PGP PRIVATE KEY BLOCK-----[\s\S]*?(?:-----END PGP PRIVATE KEY BLOCK-----|$)/g,
    what: 'a PGP private key',
  },
  {
    pattern:
      /-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----[\s\S]*?(?:-----END \1?PRIVATE KEY-----|$)/g,
    what: 'a private key',
  },
  {
    // `omnictl serviceaccount create` prints base64 of JSON `{"name", "pgp_key"}` whose pgp_key is an armored
    // private key block (see packages/omni-client/src/service-account-key.ts): base64 around the encoded block header.
    pattern: new RegExp(
      `[A-Za-z0-9+/]*(?:${base64Fragments(PGP_PRIVATE_KEY_HEADER).join('|')})[A-Za-z0-9+/]*={0,2}`,
      'g',
    ),
    what: 'an Omni service-account key',
  },
  {
    // GitHub's token formats: ghp_ (classic), gho_ (OAuth), ghu_ (user-to-server), ghs_ (server-to-server),
    // ghr_ (refresh), github_pat_ (fine-grained) ("Behind GitHub's new authentication token formats", GitHub blog).
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g,
    what: 'a GitHub token',
  },
  { pattern: /PVEAPIToken=\S+=[0-9a-fA-F-]{36}/g, what: 'a Proxmox API token' },
  { pattern: /PVE:[^:\s]+:[0-9A-F]{8}::\S*/g, what: 'a Proxmox ticket' },
  {
    // `API_KEY=…`, `DB_PASSWORD=…`: an environment assignment of a credential (an ExtensionServiceConfig
    // `environment` entry, a compose `environment` list). `$…` is a reference to be filled in, not a value.
    pattern: new RegExp(`\\b[A-Za-z0-9_]*?${SECRET_NAME.source.slice(0, -1)}=(?!\\$)[^\\s"']+`, 'gi'),
    what: 'a credential assignment',
  },
];

/**
 * The first secret shape found in a text.
 *
 * @param text - Any text.
 * @returns The shape, or `undefined` when nothing in the text looks like a secret.
 */
export function secretShapeIn(text: string): SecretShape | undefined {
  return testableShapes().find(({ test }) => test.test(text))?.shape;
}

let testable: readonly { readonly shape: SecretShape; readonly test: RegExp }[] | undefined;

/**
 * Each shape with its pattern compiled once without the `g` flag: a global pattern keeps `lastIndex` between `test`
 * calls, and compiling a copy per call made scanning a large topology spend most of its time in the RegExp
 * constructor.
 */
function testableShapes(): readonly { readonly shape: SecretShape; readonly test: RegExp }[] {
  testable ??= SECRET_SHAPES.map((shape) => ({
    shape,
    test: new RegExp(shape.pattern.source, shape.pattern.flags.replace('g', '')),
  }));
  return testable;
}

/**
 * Replaces every secret-shaped part of a text with what it is, e.g. `Proxmox cluster "tskey-auth-…" does not
 * exist` becomes `Proxmox cluster "[a Tailscale key]" does not exist`: a message may say what it found, never repeat it.
 *
 * @param text - Any text meant for a person (a message, a path).
 * @returns The text with each secret replaced by `[what it is]`.
 */
export function redactSecretShapes(text: string): string {
  // Each shape's `test` copy, which scanning has usually compiled already, tells whether to run the global pattern at
  // all: most messages hold no secret, and V8 compiles a pattern on its first run in each process.
  return testableShapes().reduce(
    (out, { shape, test }) => (test.test(out) ? out.replace(shape.pattern, `[${shape.what}]`) : out),
    text,
  );
}

/** Where a secret-shaped value was found. */
export interface SecretLiteral {
  /** Path segments to the string (or to the record entry whose key looks like a secret). */
  readonly path: readonly (string | number)[];
  /** What kind of secret it looks like. */
  readonly what: string;
}

/**
 * Walks a JSON-like value and reports every string, and every object key, that has the shape of a secret.
 *
 * @param value - The value to scan.
 * @returns The places where a secret-shaped string was found.
 */
export function findSecretLiterals(value: unknown): SecretLiteral[] {
  const found: SecretLiteral[] = [];
  const visit = (node: unknown, path: (string | number)[]): void => {
    if (typeof node === 'string') {
      const shape = secretShapeIn(node);
      if (shape) found.push({ path, what: shape.what });
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...path, index]));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) {
        const shape = secretShapeIn(key);
        if (shape) found.push({ path: [...path, key], what: shape.what });
        visit(item, [...path, key]);
      }
    }
  };
  visit(value, []);
  return found;
}
