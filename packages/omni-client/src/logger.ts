/**
 * Where the clients report things a person should know about but that do not stop them. Loads no other module;
 * `@talos-sdk/topology`'s HTTP clients import it from here.
 *
 * @module
 */

/** Where a client reports things a person should know about but that do not stop it, such as skipped TLS checks. */
export interface Logger {
  /**
   * Reports a warning.
   *
   * @param message - One line for a person; never contains credentials.
   */
  warn(message: string): void;
}

/** The default logger: Node's `process.emitWarning`, so warnings reach stderr once per call and can be filtered. */
export const processWarningLogger: Logger = {
  warn(message: string): void {
    process.emitWarning(message, { code: 'TALOS_SDK_WARNING' });
  },
};
