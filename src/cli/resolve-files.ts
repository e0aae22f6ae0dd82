import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { TopologyIssue } from '../models/issue.js';
import type { SshKeyFileReference } from '../models/ssh-public-key.js';
import { TopologyError } from '../models/issue.js';

/** The keys whose array items may be `{ file: 'path' }` references, read here and replaced by the file's text. */
const FILE_LISTS = new Set(['sshKeys']);

function isFileReference(value: unknown): value is SshKeyFileReference {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { file?: unknown }).file === 'string'
  );
}

/**
 * Replaces the `{ file: 'keys/admin.pub' }` items of every `sshKeys` list in a topology the CLI loads with the text of
 * that file, read relative to the topology file. The models then validate the text (an OpenSSH public key; a
 * private key is refused without being repeated). Nothing else is read, and the input is not changed.
 *
 * @param input - The parsed topology document.
 * @param topologyFile - The file it came from; references are relative to its folder.
 * @returns A copy with the references resolved.
 * @throws {@link TopologyError} naming the path and the file (never its content) when a file cannot be read or is
 *   empty.
 */
export async function resolveFileReferences(input: unknown, topologyFile: string): Promise<unknown> {
  const base = dirname(topologyFile);
  const issues: TopologyIssue[] = [];
  const visit = async (node: unknown, path: readonly (string | number)[], inList: boolean): Promise<unknown> => {
    if (inList && isFileReference(node)) {
      const where = path.join('.');
      try {
        const text = (await readFile(resolve(base, node.file), 'utf8')).trim();
        if (text === '')
          issues.push({ path: where, rule: 'file', message: `${node.file} is empty`, severity: 'error' });
        return text;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'error';
        issues.push({ path: where, rule: 'file', message: `cannot read ${node.file} (${code})`, severity: 'error' });
        return node;
      }
    }
    if (Array.isArray(node)) {
      return Promise.all(node.map((item, index) => visit(item, [...path, index], inList)));
    }
    if (node !== null && typeof node === 'object') {
      const entries = await Promise.all(
        Object.entries(node).map(async ([key, value]) => [
          key,
          await visit(value, [...path, key], FILE_LISTS.has(key) && Array.isArray(value)),
        ]),
      );
      return Object.fromEntries(entries);
    }
    return node;
  };
  const resolved = await visit(input, [], false);
  if (issues.length > 0) throw new TopologyError(issues, topologyFile);
  return resolved;
}
