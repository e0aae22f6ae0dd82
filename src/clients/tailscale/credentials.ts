import type { Environment } from '../http/env.js';
import { readSecretFromEnv, tlsOptionsFromEnv } from '../http/env.js';
import type { TlsOptions } from '../http/tls.js';

/**
 * How a client authenticates to the Tailscale API (tailscale-client-go-v2 `client.go`, `oauth.go`):
 *
 * - `api-key`: an API access token (`tskey-api-…`, 1 to 90 days, the rights of the user who made it), sent as a
 *   Bearer token;
 * - `oauth`: an OAuth client (`tskey-client-…`, does not expire, scoped), exchanged with `client_credentials` at
 *   `POST /api/v2/oauth/token` for an access token that lives `expires_in` seconds (one hour).
 */
export type TailscaleCredentials =
  | {
      /** API access token. */
      readonly kind: 'api-key';
      /** The token. */
      readonly apiKey: string;
    }
  | {
      /** OAuth client. */
      readonly kind: 'oauth';
      /** Client id. */
      readonly clientId: string;
      /** Client secret. */
      readonly clientSecret: string;
    };

/** Connection settings read from the environment. */
export interface TailscaleEnvOptions {
  /** `TS_API_URL`, default `https://api.tailscale.com`. */
  readonly url: string;
  /** `TS_TAILNET`, default `-` (the credential's own tailnet). */
  readonly tailnet: string;
  /** From `TS_API_KEY`, or `TS_OAUTH_CLIENT_ID` + `TS_OAUTH_CLIENT_SECRET`. */
  readonly credentials: TailscaleCredentials;
  /** From `TS_API_CA_FILE`, `TS_API_FINGERPRINT`, `TS_API_INSECURE_SKIP_VERIFY` (system CAs when none is set). */
  readonly tls: TlsOptions;
}

/** The public API's origin. */
export const TAILSCALE_API_URL = 'https://api.tailscale.com';

/**
 * Reads Tailscale connection settings from the environment; secrets may come from `<NAME>_FILE` instead.
 *
 * | variable | meaning |
 * | --- | --- |
 * | `TS_API_KEY` | API access token; wins over an OAuth client |
 * | `TS_OAUTH_CLIENT_ID`, `TS_OAUTH_CLIENT_SECRET` | OAuth client (scopes `devices:core`, `auth_keys`, `policy_file`) |
 * | `TS_TAILNET` | tailnet name; `-` (the default) is the credential's own |
 * | `TS_API_URL` | API origin, default `https://api.tailscale.com` |
 * | `TS_API_CA_FILE` / `TS_API_FINGERPRINT` / `TS_API_INSECURE_SKIP_VERIFY=1` | TLS trust |
 *
 * @param env - The environment, `process.env` by default.
 * @returns URL, tailnet, credentials and TLS options.
 * @throws Error naming the missing variables (never their values).
 */
export function tailscaleOptionsFromEnv(env: Environment = process.env): TailscaleEnvOptions {
  const apiKey = readSecretFromEnv(env, 'TS_API_KEY');
  const clientId = env['TS_OAUTH_CLIENT_ID'];
  const clientSecret = readSecretFromEnv(env, 'TS_OAUTH_CLIENT_SECRET');
  let credentials: TailscaleCredentials;
  if (apiKey !== undefined) credentials = { kind: 'api-key', apiKey };
  else if (clientId && clientSecret !== undefined) credentials = { kind: 'oauth', clientId, clientSecret };
  else
    throw new Error(
      'no Tailscale credentials: set TS_API_KEY (or TS_API_KEY_FILE), or TS_OAUTH_CLIENT_ID and TS_OAUTH_CLIENT_SECRET',
    );
  return {
    url: env['TS_API_URL'] || TAILSCALE_API_URL,
    tailnet: env['TS_TAILNET'] || '-',
    credentials,
    tls: tlsOptionsFromEnv(env, 'TS_API'),
  };
}
