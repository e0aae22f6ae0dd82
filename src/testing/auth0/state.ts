/** A Machine-to-Machine application allowed to get Management API tokens. */
export interface EmulatedM2mApplication {
  /** Its client ID. */
  readonly clientId: string;
  /** Its client secret. */
  readonly clientSecret: string;
  /** The Management API scopes of its client grant, e.g. `read:clients update:clients read:users`. */
  scopes: string[];
}

/** An issued access token. */
export interface EmulatedAuth0Token {
  /** Scopes granted. */
  readonly scopes: readonly string[];
  /** Expiry, milliseconds since the epoch. */
  readonly expiresAt: number;
}

/** A user of the tenant, as `users-by-email` returns it. */
export interface EmulatedAuth0User {
  /** E.g. `auth0|abc` or `github|123`. */
  readonly user_id: string;
  /** The e-mail as stored: lower case for Auth0's own database users, as the IdP sent it for others. */
  readonly email: string;
  /** Any other profile field. */
  readonly [field: string]: unknown;
}

/** One request as the Auth0 emulator saw it. */
export interface Auth0RequestRecord {
  /** Method. */
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  /** The status it answered. */
  readonly status: number;
}

/** Everything the Auth0 emulator holds; tests read and seed it directly. */
export interface Auth0EmulatorState {
  /** Applications by client ID, as the Management API stores and returns them (client secret included). */
  readonly clients: Map<string, Record<string, unknown>>;
  /** Machine-to-Machine applications that may use the client credentials grant. */
  readonly m2m: EmulatedM2mApplication[];
  /** Issued tokens by value. */
  readonly tokens: Map<string, EmulatedAuth0Token>;
  /** Users. */
  readonly users: EmulatedAuth0User[];
  /** How many coming requests are refused with `429` (every endpoint, the token endpoint included). */
  throttle: number;
  /** Every request, in order. */
  readonly requests: Auth0RequestRecord[];
}
