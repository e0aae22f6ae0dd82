/** Thrown when a host cannot be reached, refuses the login, or presents a key that does not verify. */
export class HostConnectionError extends Error {
  /** The guest whose host failed. */
  readonly guest: string;

  /**
   * @param guest - The guest.
   * @param message - What failed and what to do.
   * @param options - The underlying cause.
   */
  constructor(guest: string, message: string, options?: { cause?: unknown }) {
    super(`${guest}: ${message}`, options);
    this.name = 'HostConnectionError';
    this.guest = guest;
  }
}

/** Thrown when the host presented a key the policy does not accept; nothing was sent to it. */
export class HostKeyError extends HostConnectionError {
  /** The fingerprint the host presented, `SHA256:…`. */
  readonly fingerprint: string;

  /**
   * @param guest - The guest.
   * @param fingerprint - The presented key's fingerprint.
   * @param reason - Why it was refused.
   */
  constructor(guest: string, fingerprint: string, reason: string) {
    super(guest, `refused the host key before logging in: ${reason}`);
    this.name = 'HostKeyError';
    this.fingerprint = fingerprint;
  }
}

/** Thrown when a command on a host failed; its output has every secret value removed. */
export class HostCommandError extends Error {
  /** The guest. */
  readonly guest: string;
  /** The exit status. */
  readonly exitCode: number;

  /**
   * @param guest - The guest.
   * @param what - What the command was for, e.g. `docker compose up -d in /opt/talos-sdk/omni`.
   * @param exitCode - Its exit status.
   * @param stderr - Its error output, already redacted.
   */
  constructor(guest: string, what: string, exitCode: number, stderr: string) {
    super(`${guest}: ${what} failed (exit ${exitCode})${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
    this.name = 'HostCommandError';
    this.guest = guest;
    this.exitCode = exitCode;
  }
}

/** Thrown when apply refuses a host: a file there was edited by hand, or Docker is missing or too old. */
export class HostRefusedError extends Error {
  /** The guest. */
  readonly guest: string;

  /**
   * @param guest - The guest.
   * @param message - What was refused and how to proceed.
   */
  constructor(guest: string, message: string) {
    super(`${guest}: ${message}`);
    this.name = 'HostRefusedError';
    this.guest = guest;
  }
}

/**
 * Removes every secret value from a text (command output, an error message) before it is shown or stored.
 *
 * @param text - The text.
 * @param secrets - The values to remove.
 * @returns The text with each value replaced by `[redacted]`.
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let result = text;
  for (const secret of secrets) if (secret.length >= 4) result = result.split(secret).join('[redacted]');
  return result;
}
