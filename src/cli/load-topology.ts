import type { DefineTopologyResult, Topology } from '../models/define.js';
import { defineWithoutZod } from '../models/define-without-zod.js';
import type { TopologyIssue } from '../models/issue.js';
import { isTopologyError, TopologyError } from '../models/issue.js';
import type * as Explain from './explain-topology.js';
import { importDynamically } from './import-dynamically.js';
import { importModule, TsxMissingError } from './import-module.js';
import { moduleErrorMessage } from './module-error.js';
import { fileIssue, readTopologyText, requireRegularFile, topologyFormat } from './topology-file.js';
import { referencedFiles, resolveFileReferences } from './resolve-files.js';
import { BUILT_IN_EXAMPLE } from './built-in-example.js';

/** A topology with the file it came from. */
export interface LoadedTopology {
  /** The validated topology. */
  readonly topology: Topology;
  /** The file it was read from, or the built-in example's name. */
  readonly source: string;
  /**
   * Adds the line and column of each issue's path in a YAML or JSON file (or of its nearest ancestor the file
   * declares); other sources return the issues as they are.
   */
  readonly locate: (issues: readonly TopologyIssue[]) => readonly TopologyIssue[];
  /**
   * Every file the topology was read from: a YAML or JSON file and the files its `{ file }` references name; none for
   * the built-in example (it is part of the CLI). `undefined` for a module, which may read anything.
   */
  readonly files: readonly string[] | undefined;
}

/** A topology file's content, with a way to locate issues in it. */
interface TopologyInput {
  readonly value: unknown;
  readonly locate: LoadedTopology['locate'];
}

const unlocated: LoadedTopology['locate'] = (issues) => issues;

/** A `.ts` file outside an ESM package loads as CommonJS: its namespace's default is the `__esModule` exports object. */
function unwrapCommonJsDefault(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && (value as { __esModule?: unknown }).__esModule === true) {
    return (value as { default?: unknown }).default;
  }
  return value;
}

async function importDefault(file: string): Promise<unknown> {
  let exported: unknown;
  try {
    const module = (await importModule(file)) as { default?: unknown };
    exported = unwrapCommonJsDefault(module.default);
  } catch (error) {
    if (isTopologyError(error)) throw new TopologyError(error.issues, file);
    if (error instanceof TsxMissingError) throw fileIssue(file, 'module', error.message);
    throw fileIssue(file, 'module', `cannot be loaded: ${moduleErrorMessage(error, file)}`);
  }
  if (exported === undefined) {
    throw fileIssue(file, 'module', 'has no default export; export default defineTopology({...})');
  }
  return exported;
}

async function readInput(file: string): Promise<TopologyInput> {
  const format = topologyFormat(file);
  if (format === 'module') {
    await requireRegularFile(file);
    return { value: await importDefault(file), locate: unlocated };
  }
  const text = await readTopologyText(file);
  // The parsers load with the first file that needs them (js-yaml is 47 KB a `.ts` topology never uses).
  const parsed =
    format === 'json'
      ? (await import('./parse-json.js')).parseJson(text)
      : (await import('./parse-yaml.js')).parseYaml(text);
  if (!parsed.success) throw new TopologyError(parsed.issues, file);
  const { positions } = parsed;
  return { value: parsed.value, locate: (issues) => positions.locate(issues) };
}

/**
 * Validates a topology, loading zod only when the validator compiled from the schema cannot settle it: a valid
 * topology is validated without reading zod's code at all (about 10 ms of a CLI run), an invalid one is explained
 * by zod as the library does.
 */
async function validate(input: unknown): Promise<DefineTopologyResult> {
  try {
    const quick = defineWithoutZod(input);
    if (quick.result) return quick.result;
  } catch {
    // Reading the input threw (an exotic object from a module): safeDefineTopology reports that.
  }
  const explain = new URL('./explain-topology.js', import.meta.url).href;
  return (await importDynamically<typeof Explain>(explain)).explainTopology(input);
}

/**
 * Reads and validates a topology file (`.ts`/`.js` with a default export, `.yaml`, `.yml` or `.json`), or the
 * built-in example when no file is given. A YAML or JSON file is untrusted data: it must be a regular file within
 * the size limit, and parsing is bounded (see `parse-yaml.ts`, `parse-json.ts` and `INPUT_LIMITS`).
 *
 * @param file - The topology file, or `undefined` for the built-in example.
 * @param builtIn - Loads the built-in example (kept out of this module so the library does not ship it twice).
 * @returns The topology, its source name and a way to locate issues in it.
 * @throws {@link TopologyError} naming the file, the path (with its line and column in a YAML or JSON file) and the
 *   rule.
 */
export async function loadTopology(file: string | undefined, builtIn: () => Promise<unknown>): Promise<LoadedTopology> {
  const source = file ?? BUILT_IN_EXAMPLE;
  const { value, locate } = file === undefined ? { value: await builtIn(), locate: unlocated } : await readInput(file);
  let input: unknown;
  try {
    input = file === undefined ? value : await resolveFileReferences(value, file);
  } catch (error) {
    if (error instanceof TopologyError) throw new TopologyError(locate(error.issues), error.source);
    throw error;
  }
  const result = await validate(input);
  if (!result.success) throw new TopologyError(locate(result.issues), source);
  const files =
    file === undefined ? [] : topologyFormat(file) === 'module' ? undefined : [file, ...referencedFiles(value, file)];
  return { topology: result.topology, source, locate, files };
}
