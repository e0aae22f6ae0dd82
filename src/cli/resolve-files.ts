import { dirname, resolve } from 'node:path';
import type { TopologyIssue } from '../models/issue.js';
import type { SshKeyFileReference } from '../models/ssh-public-key.js';
import { TopologyError } from '../models/issue.js';
import { readTopologyText } from './topology-file.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isFileReference(value: unknown): value is SshKeyFileReference {
  return isObject(value) && Object.keys(value).length === 1 && typeof value.file === 'string';
}

/**
 * The `sshKeys` lists a topology may hold, as paths from its root: a container's `guests.<name>.sshKeys` and a VM's
 * `guests.<name>.cloudInit.sshKeys`. Only these are visited, never the whole document: the input is not yet bounded
 * (an alias bomb or a cycle is refused by `safeDefineTopology` afterwards), so a walk of everything could run without
 * end.
 */
function sshKeyLists(input: unknown): { readonly owner: Json; readonly path: readonly string[] }[] {
  const guests = isObject(input) && isObject(input.guests) ? input.guests : {};
  return Object.entries(guests).flatMap(([name, guest]) => {
    if (!isObject(guest)) return [];
    const lists = [{ owner: guest, path: ['guests', name] }];
    if (isObject(guest.cloudInit)) lists.push({ owner: guest.cloudInit, path: ['guests', name, 'cloudInit'] });
    return lists.filter(({ owner }) => Array.isArray(owner.sshKeys) && owner.sshKeys.some(isFileReference));
  });
}

/**
 * The files the `{ file }` references of a topology name, as {@link resolveFileReferences} reads them: what the
 * loaded topology depends on besides its own file.
 *
 * @param input - The parsed topology document.
 * @param topologyFile - The file it came from; references are relative to its folder.
 * @returns Their paths, resolved against the topology file's folder.
 */
export function referencedFiles(input: unknown, topologyFile: string): string[] {
  const base = dirname(topologyFile);
  return sshKeyLists(input).flatMap(({ owner }) =>
    (owner.sshKeys as unknown[]).filter(isFileReference).map((reference) => resolve(base, reference.file)),
  );
}

/**
 * Replaces the `{ file: 'keys/admin.pub' }` items of every `sshKeys` list in a topology the CLI loads with the text of
 * that file, read relative to the topology file (a regular file of bounded size, like the topology itself). The models
 * then validate the text (an OpenSSH public key; a private key is refused without being repeated). Nothing else is
 * read, and the input is not changed: the objects on the way to a resolved list are copied.
 *
 * @param input - The parsed topology document.
 * @param topologyFile - The file it came from; references are relative to its folder.
 * @returns The input, or a copy with the references resolved.
 * @throws {@link TopologyError} naming the path and the file (never its content) when a file cannot be read or is
 *   empty.
 */
export async function resolveFileReferences(input: unknown, topologyFile: string): Promise<unknown> {
  const lists = sshKeyLists(input);
  if (lists.length === 0) return input;
  const base = dirname(topologyFile);
  const issues: TopologyIssue[] = [];
  const readKey = async (reference: SshKeyFileReference, where: string): Promise<unknown> => {
    try {
      const text = (await readTopologyText(resolve(base, reference.file))).trim();
      if (text === '')
        issues.push({ path: where, rule: 'file', message: `${reference.file} is empty`, severity: 'error' });
      return text;
    } catch (error) {
      const reason = error instanceof TopologyError ? error.issues[0]?.message : undefined;
      const message = `${reference.file} ${reason ?? `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`}`;
      issues.push({ path: where, rule: 'file', message, severity: 'error' });
      return reference;
    }
  };
  const root = { ...(input as Json), guests: { ...((input as Json).guests as Json) } };
  const guests = root.guests as Json;
  for (const { owner, path } of lists) {
    const keys = await Promise.all(
      (owner.sshKeys as unknown[]).map((key, index) =>
        isFileReference(key) ? readKey(key, [...path, 'sshKeys', index].join('.')) : key,
      ),
    );
    const name = path[1]!;
    const guest = { ...(guests[name] as Json) };
    if (path.length === 2) guest.sshKeys = keys;
    else guest.cloudInit = { ...(guest.cloudInit as Json), sshKeys: keys };
    guests[name] = guest;
  }
  if (issues.length > 0) throw new TopologyError(issues, topologyFile);
  return root;
}
