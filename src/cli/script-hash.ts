/**
 * The hash the build writes on the first line of each command script (`scripts/bundle-cli.mjs`): what names the
 * script's V8 cache (`command-script.ts`) and what a remembered output folder was verified with
 * (`verdict-record.ts`).
 *
 * @module
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** The first line the build gives each command script: `// sha256:<64 hex digits of the rest of the file>`. */
export const SCRIPT_HASH_LINE = /^\/\/ sha256:([0-9a-f]{64})\n/;

/** The length of {@link SCRIPT_HASH_LINE}'s text. */
const HASH_LINE_LENGTH = '// sha256:'.length + 64 + 1;

/**
 * Reads a command script's hash from its first line, without reading the rest of it.
 *
 * @param file - The script.
 * @returns The 64 hex digits, or `undefined` when the file is missing or has no hash line.
 */
export function readScriptHash(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const head = Buffer.alloc(HASH_LINE_LENGTH);
    const read = readSync(fd, head, 0, HASH_LINE_LENGTH, 0);
    return SCRIPT_HASH_LINE.exec(head.toString('latin1', 0, read))?.[1];
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
