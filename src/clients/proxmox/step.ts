import type { Change } from '../../plan/change.js';
import type { Environment } from '../http/env.js';
import type { ProxmoxClient } from './client.js';
import type { SecretDestination } from '../secret-destination.js';

/** Options shared by `planProxmox` and `applyProxmox`. */
export interface ProxmoxPlanOptions {
  /** The cluster whose artifacts to use; may be left out when the set holds one cluster. */
  readonly cluster?: string;
  /**
   * Where a newly created token's secret goes; creating a token without it is refused. When given, an existing token
   * whose secret is not found there is kept (its secret may be held elsewhere) unless {@link regenerateToken} is set.
   */
  readonly tokenSecret?: SecretDestination;
  /**
   * Replace an existing token whose secret is not found at {@link tokenSecret}: apply deletes it and creates it again,
   * so the old secret stops working and the token's ACL entries are granted again. Has no effect without
   * `tokenSecret`.
   */
  readonly regenerateToken?: boolean;
  /**
   * Take over an existing guest at a declared VMID that carries no `talos-sdk` tag (made by hand or by another
   * tool): its changes are planned as `adopt`, and apply refuses them unless this is set.
   */
  readonly adopt?: boolean;
  /** Where secret guest parameters (`secretParams`, e.g. `cipassword`) are read from; `process.env` by default. */
  readonly env?: Environment;
  /** Cancels the requests. */
  readonly signal?: AbortSignal;
  /** Receives one line per wait a person may notice (a locked guest whose task is still running). */
  readonly onProgress?: (message: string) => void;
}

/** What a step needs when it runs. */
export interface StepContext {
  /** The client. */
  readonly client: ProxmoxClient;
  /** Plan options. */
  readonly options: ProxmoxPlanOptions;
}

/** One planned change with what applying it does. */
export interface ProxmoxStep {
  /** The change as the plan shows it. */
  readonly change: Change;
  /** Apply order: storage, role, user, token, ACL, guests, root@pam steps, guest starts. */
  readonly phase: number;
  /** Needs root@pam; a token client refuses it. */
  readonly rootOnly: boolean;
  /** `true` when the step creates an API token (its secret needs a destination). */
  readonly createsToken: boolean;
  /**
   * Why apply cannot make this change (a token secret Proxmox will not show again, a secret parameter whose variable
   * is not set): apply refuses with it before changing anything.
   */
  readonly refusal?: string;
  /**
   * `true` for a change left for a person because one it follows is (a guest's start after root@pam settings this
   * client cannot make): apply reports it as skipped, like the root@pam steps.
   */
  readonly deferred?: boolean;
  /** Performs the change; absent for `no-op`, refused, deferred, and root@pam steps this client cannot run. */
  readonly run?: (context: StepContext) => Promise<void>;
}

/**
 * The request option carrying a signal, or nothing when there is none (`exactOptionalPropertyTypes`).
 *
 * @param signal - Cancels the request.
 * @returns `{ signal }` or `{}`.
 */
export function signalOf(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}
