/**
 * The variables the CLI reads its credentials from, for the emulators a test started: one place that knows each
 * target's variable names, so tests across targets build their environment the same way.
 */

/** The emulators (and their credentials) a test started; each one given adds its target's variables. */
export interface EmulatorCredentials {
  /** A Proxmox emulator and its root@pam password. */
  readonly proxmox?: { readonly url: string; readonly fingerprint256: string; readonly rootPassword: string };
  /** A UniFi emulator and its API key. */
  readonly unifi?: { readonly url: string; readonly fingerprint256: string; readonly apiKey: string };
  /** An Auth0 emulator and a machine-to-machine application's credentials. */
  readonly auth0?: {
    readonly domain: string;
    readonly fingerprint256: string;
    readonly clientId: string;
    readonly clientSecret: string;
  };
  /** A Tailscale emulator and its API key. */
  readonly tailscale?: { readonly url: string; readonly fingerprint256: string; readonly apiKey: string };
  /** An Omni emulator and a service account's key. */
  readonly omni?: { readonly endpoint: string; readonly serviceAccountKey: string };
}

/**
 * The CLI's environment for the emulators given.
 *
 * @param credentials - The emulators and their credentials.
 * @returns The variables, each target's pinned to its emulator's certificate.
 */
export function emulatorEnv(credentials: EmulatorCredentials): Record<string, string> {
  const { proxmox, unifi, auth0, tailscale, omni } = credentials;
  return {
    ...(proxmox && {
      PROXMOX_URL: proxmox.url,
      PROXMOX_ROOT_PASSWORD: proxmox.rootPassword,
      PROXMOX_FINGERPRINT: proxmox.fingerprint256,
    }),
    ...(unifi && { UNIFI_URL: unifi.url, UNIFI_API_KEY: unifi.apiKey, UNIFI_FINGERPRINT: unifi.fingerprint256 }),
    ...(auth0 && {
      AUTH0_DOMAIN: auth0.domain,
      AUTH0_CLIENT_ID: auth0.clientId,
      AUTH0_CLIENT_SECRET: auth0.clientSecret,
      AUTH0_FINGERPRINT: auth0.fingerprint256,
    }),
    ...(tailscale && {
      TS_API_URL: tailscale.url,
      TS_API_KEY: tailscale.apiKey,
      TS_API_FINGERPRINT: tailscale.fingerprint256,
    }),
    ...(omni && { OMNI_ENDPOINT: omni.endpoint, OMNI_SERVICE_ACCOUNT_KEY: omni.serviceAccountKey }),
  };
}
