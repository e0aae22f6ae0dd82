/**
 * The policy-file endpoints of the Tailscale API a policy step needs, as an interface, so that the merge and its step
 * can be written and tested without the client.
 *
 * @module
 */

/** The tailnet policy file as the API returns it. */
export interface TailnetPolicyFile {
  /** The HuJSON text, comments and formatting as stored. */
  readonly text: string;
  /** ETag header value, quotes included */
  readonly etag: string;
}

/** The policy-file endpoints a policy step needs (the tailscale engineer's TailscaleClient implements it). */
export interface TailnetPolicyApi {
  /** GET /api/v2/tailnet/{tailnet}/acl with Accept: application/hujson. */
  readPolicy(signal?: AbortSignal): Promise<TailnetPolicyFile>;
  /** POST /api/v2/tailnet/{tailnet}/acl/validate; throws TailnetPolicyInvalidError (message from the API) when refused. */
  validatePolicy(text: string, signal?: AbortSignal): Promise<void>;
  /** POST /api/v2/tailnet/{tailnet}/acl with If-Match: etag; throws TailnetPolicyConflictError on 412. */
  writePolicy(text: string, etag: string, signal?: AbortSignal): Promise<TailnetPolicyFile>;
}

/** The control plane refused a policy file (`acl/validate` or the write): the message is the API's. */
export class TailnetPolicyInvalidError extends Error {
  /**
   * @param message - What the API said was wrong.
   * @param options - The underlying error.
   */
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'TailnetPolicyInvalidError';
  }
}

/** The policy file changed since it was read (`412` on `If-Match`): someone else wrote it; read it again. */
export class TailnetPolicyConflictError extends Error {
  /**
   * @param message - What happened.
   * @param options - The underlying error.
   */
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'TailnetPolicyConflictError';
  }
}
