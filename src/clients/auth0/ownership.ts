import { createHash } from 'node:crypto';
import type { UrlField } from './artifacts.js';
import { URL_FIELDS } from './artifacts.js';

/**
 * The `client_metadata` key where the SDK records which URLs of the application it owns. Auth0 allows at most 10
 * `client_metadata` keys, names of at most 255 characters (letters, digits and `:,-+=_*?"/()<>@`, tab, space) and
 * string values of at most 255 characters (node-auth0 `ClientUpdate.client_metadata`; Auth0 docs, "Metadata Field
 * Names and Data Types"), so the record is one key holding a compact list.
 */
export const OWNERSHIP_KEY = 'talos-sdk:owned-urls';

/** Longest `client_metadata` value Auth0 accepts. */
const MAX_VALUE_LENGTH = 255;

/** Hex characters kept of each SHA-256: 48 bits, ample to tell a handful of URLs apart, 19 of them fit in a value. */
const HASH_LENGTH = 12;

/**
 * The ownership mark of one URL in one field: the first 12 hex characters of SHA-256 over `<field> <url>`. A mark
 * per field, so a URL the SDK owns in `callbacks` that a person also entered in `web_origins` stays theirs there.
 *
 * @param field - The client field, e.g. `callbacks`.
 * @param url - The URL exactly as stored.
 * @returns 12 hex characters.
 */
export function ownershipMark(field: UrlField, url: string): string {
  return createHash('sha256').update(`${field} ${url}`).digest('hex').slice(0, HASH_LENGTH);
}

/**
 * Reads the ownership record from a client's `client_metadata`.
 *
 * @param metadata - The client's `client_metadata`, as the API returns it.
 * @returns The marks recorded; empty when there is no record.
 */
export function readOwnership(metadata: Readonly<Record<string, unknown>> | undefined): ReadonlySet<string> {
  const value = metadata?.[OWNERSHIP_KEY];
  return new Set(typeof value === 'string' ? value.split(' ').filter(Boolean) : []);
}

/**
 * Writes the ownership record for the URLs the topology generates: the sorted marks, space-separated.
 *
 * @param urls - Each field's generated URLs.
 * @returns The `client_metadata` value.
 * @throws Error when the record would not fit Auth0's 255 characters (more than 19 generated URLs).
 */
export function formatOwnership(urls: Readonly<Record<UrlField, readonly string[]>>): string {
  const marks = new Set<string>();
  for (const field of URL_FIELDS) for (const url of urls[field]) marks.add(ownershipMark(field, url));
  const value = [...marks].sort().join(' ');
  if (value.length > MAX_VALUE_LENGTH) {
    throw new Error(
      `the Auth0 application lists ${marks.size} generated URLs; their ownership record in client_metadata would ` +
        `exceed Auth0's ${MAX_VALUE_LENGTH} characters (19 URLs at most)`,
    );
  }
  return value;
}
