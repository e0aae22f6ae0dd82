/** The packages the CLI bundle leaves to `node_modules` (loaded lazily by the commands that need them). */
export declare const EXTERNAL_PACKAGES: readonly string[];

/** The file beside the bundle that carries the licences of the packages it holds. */
export declare const NOTICES: string;

/**
 * Bundles the CLI (src/cli/main.ts) into a folder, with its third-party notices ({@link NOTICES}).
 *
 * @param outdir - Where the bundle goes.
 */
export declare function bundleCli(outdir: string): Promise<void>;
