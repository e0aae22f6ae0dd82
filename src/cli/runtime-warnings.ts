/**
 * Node's own warnings that say nothing to a CLI user.
 *
 * @module
 */

/**
 * Drops Node's `ExperimentalWarning` for WebCrypto's Ed25519 and X25519 algorithms. OpenPGP.js (which signs Omni
 * requests with service-account keys other than Ed25519 ones) uses WebCrypto, and Node 20 before 20.20 prints "The Ed25519 Web Crypto API algorithm is an
 * experimental feature" on stderr the first time (Node's `lib/internal/util.js` `emitExperimentalWarning` goes through
 * `process.emitWarning`), which would break the promise that stderr carries only the CLI's own lines. Every other
 * warning passes through unchanged.
 */
export function dropWebCryptoExperimentalWarnings(): void {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const message = typeof warning === 'string' ? warning : warning.message;
    const options = rest[0];
    const type =
      typeof options === 'string'
        ? options
        : ((options as { type?: string } | undefined)?.type ?? (warning instanceof Error ? warning.name : undefined));
    if (type === 'ExperimentalWarning' && /Web Crypto API algorithm/.test(message)) return;
    emit(warning, ...rest);
  }) as typeof process.emitWarning;
}
