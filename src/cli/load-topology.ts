import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Topology } from '../models/define.js';
import { safeDefineTopology } from '../models/define.js';
import { TopologyError } from '../models/issue.js';
import { parseJson } from './parse-json.js';
import { parseYaml } from './parse-yaml.js';
import { fileIssue, readTopologyText, requireRegularFile } from './topology-file.js';
import { resolveFileReferences } from './resolve-files.js';
import { BUILT_IN_EXAMPLE } from './built-in-example.js';

/** A topology with the file it came from. */
export interface LoadedTopology {
  /** The validated topology. */
  readonly topology: Topology;
  /** The file it was read from, or the built-in example's name. */
  readonly source: string;
}

/** A TopologyError from another copy of the library (e.g. the one a `.ts` topology imported). */
function isTopologyError(error: unknown): error is { issues: TopologyError['issues'] } {
  if (!(error instanceof Error) || error.name !== 'TopologyError') return false;
  const issues = (error as { issues?: unknown }).issues;
  return Array.isArray(issues) && issues.every(isIssue);
}

function isIssue(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const { path, rule, message, severity } = value as Record<string, unknown>;
  return (
    typeof path === 'string' &&
    typeof rule === 'string' &&
    typeof message === 'string' &&
    (severity === 'error' || severity === 'warning')
  );
}

/** A `.ts` file outside an ESM package loads as CommonJS: its namespace's default is the `__esModule` exports object. */
function unwrapCommonJsDefault(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && (value as { __esModule?: unknown }).__esModule === true) {
    return (value as { default?: unknown }).default;
  }
  return value;
}

/** How a topology file is read, by its extension. */
type TopologyFormat = 'module' | 'json' | 'yaml';

function formatOf(file: string): TopologyFormat {
  const extension = extname(file).toLowerCase();
  if (extension === '.ts' || extension === '.mts' || extension === '.js' || extension === '.mjs') return 'module';
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  throw fileIssue(file, 'file', 'must be a .ts, .js, .yaml, .yml or .json topology');
}

/**
 * What a module threw, in one line. Only an Error's own message is shown: a thrown string or object may be anything,
 * a secret included.
 */
function thrownMessage(error: unknown): string {
  if (error instanceof Error) return String(error.message).split('\n')[0] ?? '';
  return `it threw ${error === null ? 'null' : `a ${typeof error}`}, not an Error`;
}

async function importDefault(file: string): Promise<unknown> {
  let exported: unknown;
  try {
    const { tsImport } = await import('tsx/esm/api');
    const module = (await tsImport(pathToFileURL(resolve(file)).href, import.meta.url)) as { default?: unknown };
    exported = unwrapCommonJsDefault(module.default);
  } catch (error) {
    if (isTopologyError(error)) throw new TopologyError(error.issues, file);
    throw fileIssue(file, 'module', `cannot be loaded: ${thrownMessage(error)}`);
  }
  if (exported === undefined) {
    throw fileIssue(file, 'module', 'has no default export; export default defineTopology({...})');
  }
  return exported;
}

async function readInput(file: string): Promise<unknown> {
  const format = formatOf(file);
  if (format === 'module') {
    await requireRegularFile(file);
    return importDefault(file);
  }
  const text = await readTopologyText(file);
  const parsed = format === 'json' ? parseJson(text) : parseYaml(text);
  if (!parsed.success) throw new TopologyError(parsed.issues, file);
  return parsed.value;
}

/**
 * Reads and validates a topology file (`.ts`/`.js` with a default export, `.yaml`, `.yml` or `.json`), or the
 * built-in example when no file is given. A YAML or JSON file is untrusted data: it must be a regular file within
 * the size limit, and parsing is bounded (see `parse-yaml.ts`, `parse-json.ts` and `INPUT_LIMITS`).
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
