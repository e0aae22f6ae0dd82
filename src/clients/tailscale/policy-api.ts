import { HttpRequestError } from '../http/errors.js';

/** The tailnet policy file as the API returns it. */
export interface TailnetPolicyFile {
  /** The policy as HuJSON text, comments and formatting as stored (the API keeps HuJSON text verbatim). */
  readonly text: string;
  /** ETag header value, quotes included. */
  readonly etag: string;
}

/** The policy-file endpoints a policy step needs (the tailscale engineer's TailscaleClient implements it). */
export interface TailnetPolicyApi {
  /**
   * GET /api/v2/tailnet/{tailnet}/acl with Accept: application/hujson.
   *
   * @param signal - Cancels the request.
   * @returns The policy text and its ETag.
   */
  readPolicy(signal?: AbortSignal): Promise<TailnetPolicyFile>;
  /**
   * POST /api/v2/tailnet/{tailnet}/acl/validate; throws TailnetPolicyInvalidError (message from the API) when refused.
   *
   * @param text - The whole policy file to check, HuJSON.
   * @param signal - Cancels the request.
   */
  validatePolicy(text: string, signal?: AbortSignal): Promise<void>;
  /**
   * POST /api/v2/tailnet/{tailnet}/acl with If-Match: etag; throws TailnetPolicyConflictError on 412.
   *
   * @param text - The whole policy file to store, HuJSON.
   * @param etag - The ETag of the version the text was merged into, quotes included.
   * @param signal - Cancels the request.
   * @returns The stored policy and its new ETag.
   */
  writePolicy(text: string, etag: string, signal?: AbortSignal): Promise<TailnetPolicyFile>;
}

/**
 * The tailnet refused a policy file: it does not parse, names something unknown, or one of its `tests` fails. The
 * message is the API's own.
 */
export class TailnetPolicyInvalidError extends HttpRequestError {}

/**
 * The policy file changed since it was read (`412 Precondition Failed` on `If-Match`): someone else saved it
 * meanwhile. Nothing was written; read it again and merge into the new version.
 */
export class TailnetPolicyConflictError extends HttpRequestError {}
