import type { Environment } from '../http/env.js';
import { readSecretFromEnv, tlsOptionsFromEnv } from '../http/env.js';
import type { TlsOptions } from '../http/tls.js';

/**
 * How a client authenticates to a UniFi OS console.
 *
 * - `api-key`: header `X-API-KEY` (Network > Settings > Control Plane > Integrations); no session, no CSRF.
 * - `login`: `POST /api/auth/login` for a local admin without 2FA; session cookie `TOKEN` plus `X-CSRF-Token`.
 */
export type UnifiCredentials =
  | {
      /** API key auth. */
      readonly kind: 'api-key';
      /** The key. */
      readonly apiKey: string;
    }
  | {
      /** Session login. */
      readonly kind: 'login';
      /** Local admin user name. */
      readonly username: string;
      /** Its password. */
      readonly password: string;
    };

/** Connection settings read from the environment. */
export interface UnifiEnvOptions {
  /** `UNIFI_URL`, the console origin, e.g. `https://192.0.2.1`. */
  readonly url: string;
  /** From `UNIFI_API_KEY`, or `UNIFI_USERNAME` + `UNIFI_PASSWORD`. */
  readonly credentials: UnifiCredentials;
  /** From `UNIFI_CA_FILE`, `UNIFI_FINGERPRINT`, `UNIFI_INSECURE_SKIP_VERIFY`. */
  readonly tls: TlsOptions;
}

/**
 * Reads UniFi connection settings from the environment; secrets may come from `<NAME>_FILE` instead.
 *
 * | variable | meaning |
 * | --- | --- |
 * | `UNIFI_URL` | console origin (required) |
 * | `UNIFI_API_KEY` | API key; wins over a login |
 * | `UNIFI_USERNAME`, `UNIFI_PASSWORD` | local admin login |
 * | `UNIFI_CA_FILE` / `UNIFI_FINGERPRINT` / `UNIFI_INSECURE_SKIP_VERIFY=1` | TLS trust |
 *
 * @param env - The environment, `process.env` by default.
 * @returns URL, credentials and TLS options.
 * @throws Error naming the missing variables (never their values).
 */
export function unifiOptionsFromEnv(env: Environment = process.env): UnifiEnvOptions {
  const url = env['UNIFI_URL'];
  if (!url) throw new Error('UNIFI_URL is not set (the console origin, e.g. https://unifi.example)');
  const apiKey = readSecretFromEnv(env, 'UNIFI_API_KEY');
  const username = env['UNIFI_USERNAME'];
  const password = readSecretFromEnv(env, 'UNIFI_PASSWORD');
  let credentials: UnifiCredentials;
  if (apiKey !== undefined) credentials = { kind: 'api-key', apiKey };
  else if (username && password !== undefined) credentials = { kind: 'login', username, password };
  else
    throw new Error(
      'no UniFi credentials: set UNIFI_API_KEY (or UNIFI_API_KEY_FILE), or UNIFI_USERNAME and UNIFI_PASSWORD',
    );
  return { url, credentials, tls: tlsOptionsFromEnv(env, 'UNIFI') };
}
