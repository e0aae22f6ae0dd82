import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { load } from 'js-yaml';
import type { Topology } from '../models/define.js';
import { safeDefineTopology } from '../models/define.js';
import { TopologyError } from '../models/issue.js';
import { resolveFileReferences } from './resolve-files.js';

/** The name shown for the topology built into the CLI. */
const BUILT_IN_EXAMPLE = '(built-in spaceships example)';

/** A topology with the file it came from. */
export interface LoadedTopology {
  /** The validated topology. */
  readonly topology: Topology;
  /** The file it was read from, or the built-in example's name. */
  readonly source: string;
}

/** A TopologyError from another copy of the library (e.g. the one a `.ts` topology imported). */
function isTopologyError(error: unknown): error is { issues: TopologyError['issues'] } {
  return (
    error instanceof Error && error.name === 'TopologyError' && Array.isArray((error as { issues?: unknown }).issues)
  );
}

/** A `.ts` file outside an ESM package loads as CommonJS: its namespace's default is the `__esModule` exports object. */
function unwrapCommonJsDefault(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && (value as { __esModule?: unknown }).__esModule === true) {
    return (value as { default?: unknown }).default;
  }
  return value;
}

function fileIssue(source: string, rule: string, message: string): TopologyError {
  return new TopologyError([{ path: '', rule, message, severity: 'error' }], source);
}

async function readInput(file: string): Promise<unknown> {
  const extension = extname(file).toLowerCase();
  if (extension === '.ts' || extension === '.mts' || extension === '.js' || extension === '.mjs') {
    const { tsImport } = await import('tsx/esm/api');
    let module: { default?: unknown };
    try {
      module = (await tsImport(pathToFileURL(resolve(file)).href, import.meta.url)) as { default?: unknown };
    } catch (error) {
      if (isTopologyError(error)) throw new TopologyError(error.issues, file);
      throw fileIssue(file, 'module', `cannot be loaded: ${String((error as Error).message).split('\n')[0] ?? ''}`);
    }
    const exported = unwrapCommonJsDefault(module.default);
    if (exported === undefined) {
      throw fileIssue(file, 'module', 'has no default export; export default defineTopology({...})');
    }
    return exported;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw fileIssue(file, 'file', `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (extension === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw fileIssue(file, 'json', `is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (extension === '.yaml' || extension === '.yml') {
    try {
      return load(text, { filename: file });
    } catch (error) {
      throw fileIssue(file, 'yaml', `is not valid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`);
    }
  }
  throw fileIssue(file, 'file', 'must be a .ts, .js, .yaml, .yml or .json topology');
}

/**
 * Reads and validates a topology file (`.ts`/`.js` with a default export, `.yaml`, `.yml` or `.json`), or the
 * built-in example when no file is given.
 *
 * @param file - The topology file, or `undefined` for the built-in example.
 * @param builtIn - Loads the built-in example (kept out of this module so the library does not ship it twice).
 * @returns The topology and its source name.
 * @throws {@link TopologyError} naming the file, the path and the rule.
 */
export async function loadTopology(file: string | undefined, builtIn: () => Promise<unknown>): Promise<LoadedTopology> {
  const source = file ?? BUILT_IN_EXAMPLE;
  const input = file === undefined ? await builtIn() : await resolveFileReferences(await readInput(file), file);
  const result = safeDefineTopology(input);
  if (!result.success) throw new TopologyError(result.issues, source);
  return { topology: result.topology, source };
}
