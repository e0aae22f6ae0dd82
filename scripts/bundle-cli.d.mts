/** The packages the CLI bundle leaves to `node_modules` (loaded lazily by the commands that need them). */
export declare const EXTERNAL_PACKAGES: readonly string[];

/**
 * Bundles the CLI (src/cli/main.ts) into a folder.
 *
 * @param outdir - Where the bundle goes.
 */
export declare function bundleCli(outdir: string): Promise<void>;
