/** One request as the UniFi emulator saw it. */
export interface UnifiRequestRecord {
  /** Method. */
  readonly method: string;
  /** Path. */
  readonly path: string;
  /** How it authenticated. */
  readonly auth: 'api-key' | 'session' | 'none';
}

/** A login session. */
export interface UnifiSession {
  /** The latest CSRF token; every write issues a new one. */
  csrf: string;
  /** Every CSRF token issued in this session, the login's first. */
  readonly issued: string[];
  /** `false` once expired or logged out. */
  valid: boolean;
}

/** Everything the UniFi emulator holds; tests read and seed it directly. */
export interface UnifiEmulatorState {
  /** Site short names, e.g. `default`. */
  readonly sites: string[];
  /** Networks (`rest/networkconf`), as the v1 API returns them. */
  readonly networks: Record<string, unknown>[];
  /** Static DNS records, as the v2 API returns them. */
  readonly dnsRecords: Record<string, unknown>[];
  /** Static routes, as the v1 API returns them. */
  readonly routes: Record<string, unknown>[];
  /** Sessions by `TOKEN` cookie value (a JWT). */
  readonly sessions: Map<string, UnifiSession>;
  /** How many coming logins are refused with 429. */
  throttleLogins: number;
  /** Every request, in order. */
  readonly requests: UnifiRequestRecord[];
  /** Successful creations in order, as `kind/name`. */
  readonly creations: string[];
}
