/**
 * Runs a command built as a classic script (`commands/<name>.cjs`) with V8's code cache, made after the command ran.
 *
 * Node's module compile cache (Node >= 22.1, none on Node 20) is written when a module is compiled, so it holds only
 * the functions V8 compiles up front; every other function is parsed and compiled again on its first call, in each
 * run. A command runs most of its code once per run, so that is most of its compile time: the compiled validator's
 * 200 functions, the rules, the generators. A script's cache made with `script.createCachedData()` once the command
 * has run holds every function it called (V8's `ScriptCompiler::CreateCodeCache` serialises each function compiled
 * so far). Measured on `validate --example`: 45.3 → 37.9 ms on Node 20.20, 43.2 → 37.8 ms on Node 24 (whose own
 * compile cache was on), of a 21–24 ms bare start.
 *
 * The cache sits in the per-user folder of {@link privateCacheFolder} (only this user can write it: the cache is
 * bytecode that runs in place of the source), one file per script, written `0600` through a temporary file and a rename
 * ({@link replaceFileAtomically}), and named by what V8 does not check itself: V8 refuses data made by another V8
 * version or other flags, but of the source it compares only the length, so the name carries the SHA-256 of the
 * script's text that the build writes on its first line ({@link SCRIPT_HASH_LINE}), its size and modification time, a
 * fingerprint of its path (each installation its own cache), and Node's version and architecture. Data V8 refuses
 * (`script.cachedDataRejected`) is written anew; a script without the hash line, or a run without a private folder or
 * with `NODE_DISABLE_COMPILE_CACHE`, runs uncached.
 *
 * A classic script has no module for V8 to resolve an `import()` against (and Node's main-context loader for
 * scripts, `vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER`, fails in a script made from cached data: "A dynamic import
 * callback was not specified", seen on Node 20.20 and 24). So the scripts import through `__scriptImport`, passed
 * in by the loader, which is this module's own `import()` (see `import-dynamically.ts`).
 *
 * @module
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { replaceFileAtomically } from '../generators/files.js';
import type { CacheSurroundings } from './compile-cache.js';
import { privateCacheFolder, processCacheSurroundings, pruneCacheFolder } from './compile-cache.js';
import { fingerprint } from './fingerprint.js';
import { SCRIPT_HASH_LINE } from './script-hash.js';

/** How a script was run: from the cache, or compiled (and whether a cache is written at exit). */
export type ScriptCacheUse = 'cached' | 'compiled' | 'uncached';

/** A script's exports, how its code was obtained, and how to keep V8's cache of it. */
export interface LoadedScript {
  /** What the script put on `module.exports`. */
  readonly exports: Record<string, unknown>;
  /** `cached`: V8 took the cache; `compiled`: compiled from source; `uncached`: no cache for it. */
  readonly cache: ScriptCacheUse;
  /**
   * Writes V8's cache of the script as it is now, with every function it ran so far; call it once the command has
   * run (the CLI does at exit). Present only when the script was `compiled`. Never throws: a cache that cannot be
   * written costs the next run its compile time, nothing else.
   */
  readonly saveCache?: () => void;
}

/** What the script sees as its CommonJS surroundings, and `__scriptImport`, which stands in for `import()`. */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname, __scriptImport) {';
const WRAPPER_TAIL = '\n})';

/**
 * The cache file of a script: its name says which script (name and place), with which content, size and modification
 * time, for which Node.
 *
 * @param folder - The cache folder.
 * @param file - The script's absolute path.
 * @param hash - The SHA-256 its first line states.
 * @returns The cache file's path.
 */
export function scriptCacheFile(folder: string, file: string, hash: string): string {
  const { size, mtimeMs } = statSync(file);
  const build = `${hash.slice(0, 32)}-${size}-${Math.round(mtimeMs * 1000)}`;
  return join(folder, 'scripts', `${basename(file)}-${fingerprint(file)}-${build}-${process.version}-${process.arch}`);
}

/**
 * Writes a script's cache `0600` without ever leaving it half-written ({@link replaceFileAtomically}), then removes the
 * caches of the same script of the same installation made for earlier builds by this Node (another installation's and
 * another Node's stay: a machine may have both), and any cache {@link pruneCacheFolder} finds unused.
 *
 * @param cacheFile - The cache file ({@link scriptCacheFile}).
 * @param data - V8's cache data.
 */
function writeScriptCache(cacheFile: string, data: Buffer): void {
  const folder = dirname(cacheFile);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  replaceFileAtomically(cacheFile, data, 0o600);
  const name = basename(cacheFile);
  // `<script>.cjs-<place>-`: the same script of the same installation.
  const script = name.slice(0, name.indexOf('.cjs-') + '.cjs-'.length + 9);
  const runtime = `-${process.version}-${process.arch}`;
  pruneCacheFolder(folder, name, (entry) => entry.startsWith(script) && entry.endsWith(runtime));
}

/**
 * Runs a command script and returns its exports, with V8's code cache when a private cache folder exists.
 *
 * @param file - The script (`dist/cli/commands/<name>.cjs`).
 * @param surroundings - Where the cache folder is (the process's, by default).
 * @returns Its exports, how its code was obtained, and (when compiled) how to save its cache.
 */
export function runCommandScript(
  file: string,
  surroundings: CacheSurroundings = processCacheSurroundings(),
): LoadedScript {
  const source = readFileSync(file, 'utf8');
  const hash = SCRIPT_HASH_LINE.exec(source)?.[1];
  const folder = hash && !surroundings.env['NODE_DISABLE_COMPILE_CACHE'] ? privateCacheFolder(surroundings) : null;
  const cacheFile = folder && hash ? scriptCacheFile(folder, file, hash) : undefined;
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // Not cached yet.
    }
  }
  const script = new Script(`${WRAPPER_HEAD}${source}${WRAPPER_TAIL}`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const cache: ScriptCacheUse = !cacheFile
    ? 'uncached'
    : cachedData && !script.cachedDataRejected
      ? 'cached'
      : 'compiled';
  const saveCache = (): void => {
    try {
      writeScriptCache(cacheFile!, script.createCachedData());
    } catch {
      // Left for the next run to try again.
    }
  };
  const module = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  const scriptImport = (specifier: string): Promise<unknown> => import(specifier);
  // The scripts require nothing as built (built-ins come through `process.getBuiltinModule`), so `node:module`, whose
  // loading costs Node 20 its ES module loader (0.3 ms), is loaded only if one ever calls `require`.
  const scriptRequire = (id: string): unknown => process.getBuiltinModule('node:module').createRequire(file)(id);
  run(module.exports, scriptRequire, module, file, dirname(file), scriptImport);
  return { exports: module.exports, cache, ...(cache === 'compiled' ? { saveCache } : {}) };
}
