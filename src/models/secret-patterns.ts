/**
 * Recognises secret values by their shape, wherever they appear (a patch document, a description).
 *
 * @module
 */

/** The recognisable shape of one kind of secret. */
export interface SecretShape {
  /** Matches the secret inside a string. */
  readonly pattern: RegExp;
  /** What the secret is, for messages (never the value). */
  readonly what: string;
}

/** Shapes of well-known secrets, each with a description that never includes the value. */
export const SECRET_SHAPES: readonly SecretShape[] = [
  {
    pattern: /tskey-(auth|client|api)-[A-Za-z0-9_-]{6,}/,
    what: 'a Tailscale key',
  },
  {
    pattern: /-----BEGIN PGP PRIVATE KEY BLOCK-----/,
    what: 'a PGP private key',
  },
  {
    pattern: /-----BEGIN (RSA |EC |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/,
    what: 'a private key',
  },
  { pattern: /PVEAPIToken=\S+=[0-9a-fA-F-]{36}/, what: 'a Proxmox API token' },
  { pattern: /PVE:[^:\s]+:[0-9A-F]{8}::/, what: 'a Proxmox ticket' },
];

/** Where a secret-shaped value was found. */
export interface SecretLiteral {
  /** Path segments to the string. */
  readonly path: readonly (string | number)[];
  /** What kind of secret it looks like. */
  readonly what: string;
}

/**
 * Walks a JSON-like value and reports every string that has the shape of a secret.
 *
 * @param value - The value to scan.
 * @returns The places where a secret-shaped string was found.
 */
export function findSecretLiterals(value: unknown): SecretLiteral[] {
  const found: SecretLiteral[] = [];
  const visit = (node: unknown, path: (string | number)[]): void => {
    if (typeof node === 'string') {
      const shape = SECRET_SHAPES.find(({ pattern }) => pattern.test(node));
      if (shape) found.push({ path, what: shape.what });
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...path, index]));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) visit(item, [...path, key]);
    }
  };
  visit(value, []);
  return found;
}
