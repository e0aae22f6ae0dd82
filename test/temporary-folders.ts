/**
 * Temporary folders for a test file, each removed once the test that made it is over.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/**
 * Registers the clean-up with the test file and returns the maker: call it at the top of a test file.
 *
 * @returns A function that makes a folder under the system's temporary folder, named from a prefix.
 */
export function temporaryFolders(): (prefix: string) => string {
  const made: string[] = [];
  afterEach(() => {
    for (const each of made.splice(0)) rmSync(each, { recursive: true, force: true });
  });
  return (prefix) => {
    const created = mkdtempSync(join(tmpdir(), prefix));
    made.push(created);
    return created;
  };
}
