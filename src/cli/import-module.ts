/**
 * Loads a `.ts`/`.js` topology module. On a Node that strips types itself (`process.features.typescript`, Node 22.18
 * and later) a plain `import()` does it; tsx is loaded only when the file needs more than that (Node 20, syntax that
 * type stripping cannot erase, `import`/`export` in a CommonJS package), and only if it is installed: it is an
 * optional peer dependency.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type * as TsxCommonJs from 'tsx/cjs/api';
import type * as TsxEsm from 'tsx/esm/api';
import { importDynamically } from './import-dynamically.js';

/** The command that installs tsx, named in the error when a `.ts` topology needs it. */
const TSX_INSTALL_COMMAND = 'npm install --save-dev tsx';

/** The reason a `.ts` topology could not be loaded without tsx, which is not installed. */
export class TsxMissingError extends Error {
  override readonly name = 'TsxMissingError';
}

const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);

/** Node strips TypeScript types itself: `process.features.typescript` is `'strip'` or `'transform'` (Node ≥ 22.18). */
function stripsTypes(): boolean {
  return Boolean((process.features as { typescript?: unknown }).typescript);
}

function isTypeScript(file: string): boolean {
  const dot = file.lastIndexOf('.');
  return dot >= 0 && TYPESCRIPT_EXTENSIONS.has(file.slice(dot).toLowerCase());
}

/**
 * Node's own loading failed where tsx succeeds: syntax type stripping cannot erase (`enum`, `namespace`, parameter
 * properties), a `.js` specifier naming a `.ts` file, a type imported without `import type`, a `.ts` file under
 * `node_modules`. Each is raised while resolving, stripping or linking, before any of the module's code runs, so
 * loading it again with tsx runs it once (Node's `modules/typescript.md`, "Type stripping" limitations).
 */
function tsxWouldLoad(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  if (code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' || code === 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING')
    return true;
  // A missing file named `.js` (maybe a `.ts` file under its compiled name), not a missing package.
  if (code === 'ERR_MODULE_NOT_FOUND') return /^Cannot find module '[^']+\.[cm]?js'/.test(error.message);
  return error instanceof SyntaxError && /does not provide an export named/.test(error.message);
}

/** An ES module (`import`/`export`) in a CommonJS package: Node compiles it as CommonJS and fails before it runs. */
function isEsmInCommonJs(error: unknown): boolean {
  return (
    error instanceof SyntaxError &&
    /^(Cannot use import statement outside a module|Unexpected token 'export')/.test(error.message)
  );
}

/**
 * Node loads this `.ts` file as an ES module: a `.mts` file, or one whose nearest package.json says `"type":
 * "module"`. Elsewhere Node compiles it as CommonJS (`"type": "commonjs"`, which `npm init` writes) or guesses from
 * its syntax, with a warning (no `"type"`). `module.findPackageJSON` is there on every Node that strips types (22.14).
 */
async function loadsAsEsm(file: string): Promise<boolean> {
  if (file.toLowerCase().endsWith('.mts')) return true;
  // Read here, not imported: loading `node:module` costs Node 20 its ES module loader, in every run of the commands
  // that bundle this file, while only a `.ts` topology needs it.
  const { findPackageJSON } = process.getBuiltinModule('node:module') as {
    findPackageJSON?: (location: string) => string | undefined;
  };
  const packageJson = findPackageJSON?.(pathToFileURL(file).href);
  if (packageJson === undefined) return false;
  try {
    return (JSON.parse(await readFile(packageJson, 'utf8')) as { type?: unknown }).type === 'module';
  } catch {
    return false;
  }
}

/**
 * Registers tsx (from beside the CLI, where npm installs an optional peer dependency) for both of Node's loaders, as
 * the `tsx` command does: a `.ts` file in a CommonJS package then runs through `require` with its own line and column
 * in stack traces (tsx's namespaced `tsImport` runs such a file from a `data:` URL, whose positions point into the
 * compiled code).
 *
 * @returns Whether tsx is installed.
 */
async function registerTsx(): Promise<boolean> {
  let esm: { register: () => unknown };
  let commonJs: { register: () => unknown };
  try {
    [esm, commonJs] = await Promise.all([
      importDynamically<typeof TsxEsm>('tsx/esm/api'),
      importDynamically<typeof TsxCommonJs>('tsx/cjs/api'),
    ]);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return false;
    throw error;
  }
  commonJs.register();
  esm.register();
  return true;
}

let registered: Promise<boolean> | undefined;
let loads = 0;

/** Registers tsx once per process. */
function tsxRegistered(): Promise<boolean> {
  registered ??= registerTsx();
  return registered;
}

function tsxMissing(why: string): TsxMissingError {
  return new TsxMissingError(`needs tsx, which is not installed: ${TSX_INSTALL_COMMAND} (${why})`);
}

/**
 * Imports a topology module and returns its namespace. A `.js`/`.mjs` file, and a `.ts` file on a Node that strips
 * types, load with `import()`; a `.ts` file on an older Node, outside an ESM package, or one that needs more than
 * type stripping, loads with tsx where it is installed.
 *
 * @param file - The module's path.
 * @returns The module namespace.
 * @throws Whatever the module throws while it loads; a {@link TsxMissingError} when it needs tsx and tsx is not
 *   installed.
 */
export async function importModule(file: string): Promise<unknown> {
  // Each load its own URL: Node keeps a module (and a failed load) by URL, and a file may change between loads.
  loads += 1;
  const url = `${pathToFileURL(file).href}?load=${loads}`;
  if (!isTypeScript(file)) return importDynamically(url);
  // Outside an ESM package tsx loads a file written with import/export as it did before Node stripped types.
  if (stripsTypes() && ((await loadsAsEsm(file)) || !(await tsxRegistered()))) {
    try {
      return await importDynamically(url);
    } catch (error) {
      if (isEsmInCommonJs(error) && !(await tsxRegistered())) {
        throw tsxMissing(
          'it is an ES module in a CommonJS package; without tsx, set "type": "module" in its package.json or name it .mts',
        );
      }
      if (!tsxWouldLoad(error)) throw error;
      if (!(await tsxRegistered())) {
        const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : '';
        throw tsxMissing(`Node's type stripping cannot load it: ${message}`);
      }
      return importDynamically(`${url}-tsx`);
    }
  }
  if (!(await tsxRegistered())) {
    throw tsxMissing(
      `Node ${process.version} has no type stripping; Node 22.18 and later load a .ts topology without tsx`,
    );
  }
  return importDynamically(url);
}
