/**
 * `import()` for the CLI's code that the build makes into classic scripts (see `command-script.ts`): V8 resolves an
 * `import()` against the module it is written in, and a classic script is none, so in those scripts the build swaps
 * this module for one that calls the loader's own `import()` (scripts/bundle-cli.mjs). Either way the specifier is
 * resolved from elsewhere than the caller, so callers pass an absolute URL or a package name, never a relative path.
 *
 * @module
 */

/**
 * Imports a module.
 *
 * @param specifier - An absolute URL (`file:` for a file) or a package specifier.
 * @returns The module's namespace.
 */
export function importDynamically<T>(specifier: string): Promise<T> {
  return import(specifier) as Promise<T>;
}
