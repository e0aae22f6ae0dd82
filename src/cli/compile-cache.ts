/**
 * Where the CLI keeps what it saves between runs (Node's module compile cache, the V8 cache of its command scripts,
 * see `command-script.ts`, and the records of output folders found current, see `verdict-record.ts`): folders only the
 * user can write.
 *
 * Node's default (`os.tmpdir()/node-compile-cache`) is shared by every user of the machine on Linux, and a compile
 * cache holds bytecode that Node runs in place of the source: another local user who creates that folder first can
 * run code inside this CLI, which holds API tokens and keys. The same flaw was reported against babel's, ts-node's,
 * v8-compile-cache's, pkg's and ncc's caches in `/tmp`; the fix there, and here, is a per-user cache folder
 * (`$XDG_CACHE_HOME`, else `~/.cache`; `~/Library/Caches` on macOS; `%LOCALAPPDATA%` on Windows) that is refused
 * unless it is a real folder of this user that nobody else may write.
 *
 * @module
 */
import { lstatSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What the choice depends on; {@link processCacheSurroundings} reads it from the process. */
export interface CacheSurroundings {
  /** The environment. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `process.platform`. */
  readonly platform: NodeJS.Platform;
  /** The user's home folder (`HOME`), or `''` when there is none. */
  readonly home: string;
  /** The effective user id; `undefined` on Windows, which has none. */
  readonly uid: number | undefined;
}

/**
 * The CLI's folders in the per-user cache: compiled code (`compile-cache`), and the records of output folders found
 * current (`verdicts`, see `verdict-record.ts`).
 */
export type CacheFolderName = 'compile-cache' | 'verdicts';

/**
 * A per-user folder of the CLI's cache, before any check.
 *
 * @param surroundings - Environment, platform and home folder.
 * @param name - Which folder; the compile cache's by default.
 * @returns The folder, or `undefined` when the platform gives no per-user place.
 */
export function userCacheFolder(
  surroundings: CacheSurroundings,
  name: CacheFolderName = 'compile-cache',
): string | undefined {
  const { env, platform, home } = surroundings;
  let base: string | undefined;
  if (platform === 'win32') base = env['LOCALAPPDATA'];
  else if (platform === 'darwin') base = home ? join(home, 'Library', 'Caches') : undefined;
  else base = env['XDG_CACHE_HOME'] || (home ? join(home, '.cache') : undefined);
  return base ? join(base, 'talos-topology', name) : undefined;
}

/**
 * Whether a folder may hold bytecode this process will run: a folder (not a link to one) owned by this user that
 * neither its group nor others may write. Windows' per-user `%LOCALAPPDATA%` is private by its ACLs, which `lstat`
 * cannot tell, so there it only has to be a folder.
 *
 * @param folder - The folder.
 * @param uid - The effective user id (`undefined` on Windows).
 * @returns Whether the folder is safe to use.
 */
export function isPrivateFolder(folder: string, uid: number | undefined): boolean {
  try {
    const stats = lstatSync(folder);
    if (!stats.isDirectory()) return false;
    return uid === undefined || (stats.uid === uid && (stats.mode & 0o022) === 0);
  } catch {
    return false;
  }
}

/**
 * Whether the nearest existing folder on the way to `folder` (the folder itself, or the first of its parents that
 * exists) belongs to this user, so that creating the rest makes nothing in someone else's home: `sudo` keeps the
 * caller's `HOME`, and a cache folder root made there would be root's, and no cache for its owner again.
 *
 * @param folder - The folder to be.
 * @param uid - The effective user id (`undefined` on Windows, where this is not checked).
 * @returns Whether it may be created.
 */
function insideOwnFolder(folder: string, uid: number | undefined): boolean {
  if (uid === undefined) return true;
  for (let current = folder; ; current = dirname(current)) {
    try {
      return lstatSync(current).uid === uid;
    } catch {
      if (dirname(current) === current) return false;
    }
  }
}

/**
 * A per-user cache folder, created `0700` when missing, if it is safe to keep bytecode in ({@link isPrivateFolder}):
 * what the CLI would run or believe from it only this user can have written.
 *
 * @param surroundings - Environment, platform, home folder and user id.
 * @param name - Which folder; the compile cache's by default.
 * @returns The folder, or `null` when there is no safe one.
 */
export function privateCacheFolder(
  surroundings: CacheSurroundings,
  name: CacheFolderName = 'compile-cache',
): string | null {
  const folder = userCacheFolder(surroundings, name);
  if (!folder || !insideOwnFolder(folder, surroundings.uid)) return null;
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  } catch {
    return null;
  }
  return isPrivateFolder(folder, surroundings.uid) ? folder : null;
}

/**
 * The folder for Node's module compile cache in this run: `undefined` to leave the choice to Node
 * (`NODE_COMPILE_CACHE` set by the user, or `NODE_DISABLE_COMPILE_CACHE`), `null` when no safe folder exists (then no
 * cache), else {@link privateCacheFolder}.
 *
 * @param surroundings - Environment, platform, home folder and user id.
 * @returns The folder, `undefined` or `null`.
 */
export function compileCacheFolder(surroundings: CacheSurroundings): string | null | undefined {
  const { env } = surroundings;
  if (env['NODE_COMPILE_CACHE'] || env['NODE_DISABLE_COMPILE_CACHE']) return undefined;
  return privateCacheFolder(surroundings);
}

/**
 * This process's surroundings.
 *
 * @param env - The environment (the process's, by default).
 * @returns The environment, platform, home folder and effective user id.
 */
export function processCacheSurroundings(
  env: Readonly<Record<string, string | undefined>> = process.env,
): CacheSurroundings {
  // HOME, as os.homedir() reads it first on POSIX; without it there is no per-user cache (node:os is not loaded for it).
  return { env, platform: process.platform, home: env['HOME'] ?? '', uid: process.geteuid?.() };
}

/**
 * `module.enableCompileCache` where the runtime has it (Node >= 22.1). Node 20 has none, and loading `node:module` there
 * sets up its ES module loader (0.3 ms of a 23 ms start), so it is not loaded at all before Node 22.
 *
 * @returns The function, or `undefined`.
 */
export function moduleCompileCache(): ((folder?: string) => unknown) | undefined {
  if (Number(process.versions.node.split('.')[0]) < 22) return undefined;
  return (process.getBuiltinModule('node:module') as { enableCompileCache?: (folder?: string) => unknown })
    .enableCompileCache;
}

/**
 * Turns on Node's module compile cache (Node >= 22.1) in a folder only this user can write, or leaves it off.
 *
 * @param enable - `module.enableCompileCache`, absent before Node 22.1.
 * @param surroundings - Environment, platform, home folder and user id.
 */
export function enableUserCompileCache(
  enable: ((folder?: string) => unknown) | undefined,
  surroundings: CacheSurroundings = processCacheSurroundings(),
): void {
  if (!enable) return;
  const folder = compileCacheFolder(surroundings);
  if (folder === null) return;
  enable(folder);
}

/**
 * How long a cache file may go unwritten before a run that writes one removes it: each installation (an `npx` of
 * another version, say), each Node version and each output folder keeps files of its own, which nothing else would
 * ever remove. A file still in use that is removed costs the next run the work it saved, which writes it again.
 */
export const STALE_CACHE_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Removes, from a cache folder, the files a newer one replaces and those not written for {@link STALE_CACHE_MS}.
 *
 * @param folder - The folder.
 * @param written - The file just written there, which stays.
 * @param superseded - Whether a file (by name) is one that the file just written replaces.
 */
export function pruneCacheFolder(folder: string, written: string, superseded: (entry: string) => boolean): void {
  const now = Date.now();
  for (const entry of readdirSync(folder)) {
    if (entry === written) continue;
    const path = join(folder, entry);
    if (superseded(entry) || now - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? now) > STALE_CACHE_MS) {
      rmSync(path, { force: true });
    }
  }
}
