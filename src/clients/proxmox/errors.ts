/** A Proxmox task (UPID) ended with an error status. */
export class ProxmoxTaskError extends Error {
  /** The task's UPID. */
  readonly upid: string;
  /** The exit status text, e.g. `unable to create CT 200 - …`. */
  readonly exitStatus: string;
  /** The last lines of the task log. */
  readonly logTail: readonly string[];

  /**
   * @param upid - The task.
   * @param exitStatus - Its exit status.
   * @param logTail - Its last log lines.
   */
  constructor(upid: string, exitStatus: string, logTail: readonly string[]) {
    super(`task ${upid} failed: ${exitStatus}${logTail.length ? `\n  log:\n    ${logTail.join('\n    ')}` : ''}`);
    this.name = 'ProxmoxTaskError';
    this.upid = upid;
    this.exitStatus = exitStatus;
    this.logTail = logTail;
  }
}

/** A Proxmox task was still running when the wait ran out. */
export class ProxmoxTaskTimeoutError extends Error {
  /** The task's UPID. */
  readonly upid: string;

  /**
   * @param upid - The task.
   * @param timeoutMs - How long the client waited.
   */
  constructor(upid: string, timeoutMs: number) {
    super(`task ${upid} still running after ${timeoutMs} ms; check it in the Proxmox task log before retrying`);
    this.name = 'ProxmoxTaskTimeoutError';
    this.upid = upid;
  }
}

/** The plan needs root@pam but the client cannot act as root@pam (an API token, or a password login as another user). */
export class ProxmoxRootRequiredError extends Error {
  /** One line per refused step: object and the keys a token cannot set. */
  readonly steps: readonly string[];

  /**
   * @param steps - The refused steps.
   * @param how - Who the client acts as and what to do instead.
   */
  constructor(steps: readonly string[], how: string) {
    super(
      `refusing to apply: these steps need root@pam, which this client cannot act as:\n  ${steps.join('\n  ')}\n${how}`,
    );
    this.name = 'ProxmoxRootRequiredError';
    this.steps = steps;
  }
}

/** Apply cannot make some planned changes (e.g. write a token secret Proxmox will not show again); nothing was changed. */
export class ProxmoxApplyRefusedError extends Error {
  /** One line per change apply cannot make: the object, why, and what to do. */
  readonly reasons: readonly string[];

  /**
   * @param reasons - The changes apply cannot make, with what to do.
   */
  constructor(reasons: readonly string[]) {
    super(`refusing to apply, nothing was changed:\n  ${reasons.join('\n  ')}`);
    this.name = 'ProxmoxApplyRefusedError';
    this.reasons = reasons;
  }
}

/** The live cluster cannot hold what the artifacts ask for (storage missing, not shared, wrong content…). */
export class ProxmoxPreconditionError extends Error {
  /** Every problem found. */
  readonly problems: readonly string[];

  /**
   * @param problems - The problems, one line each, saying what to fix.
   */
  constructor(problems: readonly string[]) {
    super(`the Proxmox cluster does not meet the artifacts' needs:\n  ${problems.join('\n  ')}`);
    this.name = 'ProxmoxPreconditionError';
    this.problems = problems;
  }
}
