import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CommandRun } from './context.js';

/**
 * Where the build puts a command's script: `commands/<name>.cjs` beside the built CLI.
 *
 * @param name - The command's file name under `commands/`.
 * @returns The script's path (which exists only in a build).
 */
export function commandScriptPath(name: string): string {
  return fileURLToPath(new URL(`./commands/${name}.cjs`, import.meta.url));
}

/**
 * Loads a command's implementation. The build makes each command a classic script, `commands/<name>.cjs` beside the
 * built CLI, which runs with V8's code cache of everything it ran last time (see `command-script.ts`); a command run
 * from source loads as its module.
 *
 * @param name - The command's file name under `commands/`.
 * @param exported - The name its script and its module export the command's run under.
 * @param module - Imports the command's module.
 * @returns The command's run.
 */
export async function loadCommand<K extends string>(
  name: string,
  exported: K,
  module: () => Promise<Record<K, CommandRun>>,
): Promise<CommandRun> {
  const script = commandScriptPath(name);
  if (existsSync(script)) {
    // Imported here, not up front: `--help` and `--version` need none of it (nor `node:vm`).
    const { runCommandScript } = await import('./command-script.js');
    const loaded = runCommandScript(script);
    // At exit the command has run, and V8's cache then holds every function it called.
    if (loaded.saveCache) process.once('exit', loaded.saveCache);
    const run = loaded.exports[exported];
    if (typeof run !== 'function') throw new Error(`${script} exports no ${exported}`);
    return run as CommandRun;
  }
  return (await module())[exported];
}
