import type { Environment } from '../http/env.js';
import { readSecretFromEnv, tlsOptionsFromEnv } from '../http/env.js';
import type { TlsOptions } from '../http/tls.js';

/**
 * How a client authenticates to the Auth0 Management API.
 *
 * - `token`: a Management API access token as is (`Authorization: Bearer`); it is not renewed.
 * - `client-credentials`: a Machine-to-Machine application authorised for the Management API; the client exchanges its
 *   ID and secret for a token at `POST https://<domain>/oauth/token` (grant `client_credentials`, audience
 *   `https://<domain>/api/v2/`) and caches it for its `expires_in` (Auth0 docs, "Get Management API Access Tokens for
 *   Production").
 */
export type Auth0Credentials =
  | {
      /** A ready token. */
      readonly kind: 'token';
      /** The Management API access token. */
      readonly token: string;
    }
  | {
      /** Client credentials grant. */
      readonly kind: 'client-credentials';
      /** The Machine-to-Machine application's client ID. */
      readonly clientId: string;
      /** Its client secret. */
      readonly clientSecret: string;
    };

/** Connection settings read from the environment. */
export interface Auth0EnvOptions {
  /** `AUTH0_DOMAIN`, the tenant's host name, e.g. `spaceships.us.auth0.com` (a port is allowed, for emulators). */
  readonly domain: string;
  /** From `AUTH0_MANAGEMENT_TOKEN`, or `AUTH0_CLIENT_ID` + `AUTH0_CLIENT_SECRET`. */
  readonly credentials: Auth0Credentials;
  /** From `AUTH0_CA_FILE`, `AUTH0_FINGERPRINT`, `AUTH0_INSECURE_SKIP_VERIFY`; system CAs when none is set. */
  readonly tls: TlsOptions;
}

/** A host name with an optional port: what Auth0 calls the tenant's domain. */
const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i;

/**
 * Reads Auth0 Management API settings from the environment; secrets may come from `<NAME>_FILE` instead.
 *
 * | variable | meaning |
 * | --- | --- |
 * | `AUTH0_DOMAIN` | tenant domain, e.g. `spaceships.us.auth0.com` (required) |
 * | `AUTH0_MANAGEMENT_TOKEN` | a Management API token; wins over client credentials |
 * | `AUTH0_CLIENT_ID`, `AUTH0_CLIENT_SECRET` | a Machine-to-Machine application authorised for the Management API |
 * | `AUTH0_CA_FILE` / `AUTH0_FINGERPRINT` / `AUTH0_INSECURE_SKIP_VERIFY=1` | TLS trust (tests and proxies) |
 *
 * @param env - The environment, `process.env` by default.
 * @returns Domain, credentials and TLS options.
 * @throws Error naming the missing or malformed variables (never their values, except the domain).
 */
export function auth0OptionsFromEnv(env: Environment = process.env): Auth0EnvOptions {
  const domain = env['AUTH0_DOMAIN'];
  if (!domain) throw new Error('AUTH0_DOMAIN is not set (the tenant domain, e.g. spaceships.us.auth0.com)');
  if (!DOMAIN.test(domain))
    throw new Error(`AUTH0_DOMAIN '${domain}' is not a host name: give the tenant domain without https:// or a path`);
  const token = readSecretFromEnv(env, 'AUTH0_MANAGEMENT_TOKEN');
  const clientId = env['AUTH0_CLIENT_ID'];
  const clientSecret = readSecretFromEnv(env, 'AUTH0_CLIENT_SECRET');
  let credentials: Auth0Credentials;
  if (token !== undefined) credentials = { kind: 'token', token };
  else if (clientId && clientSecret !== undefined) credentials = { kind: 'client-credentials', clientId, clientSecret };
  else
    throw new Error(
      'no Auth0 credentials: set AUTH0_MANAGEMENT_TOKEN (or AUTH0_MANAGEMENT_TOKEN_FILE), or AUTH0_CLIENT_ID and ' +
        'AUTH0_CLIENT_SECRET (or AUTH0_CLIENT_SECRET_FILE) of a Machine-to-Machine application',
    );
  return { domain: domain.toLowerCase(), credentials, tls: tlsOptionsFromEnv(env, 'AUTH0') };
}
