// Bundles the CLI with esbuild; used by build.mjs for dist/cli and by test/cli-startup.test.ts for a throwaway copy.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// resolve() drops the URL's trailing slash, which entry paths built from root must not have.
const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/**
 * Node's built-in modules, read with `process.getBuiltinModule` (Node >= 20.16) instead of an ESM `import`: an ESM
 * import of `node:fs` or `node:util` fills in every export of the module namespace, which on Node 24 loads
 * `fs/promises`, readline, `worker_threads` and more that `--help` never uses (about 4 ms of a 40 ms start, measured
 * with `process.moduleLoadList`). The shim is an ES module with one export per name the built-in has, each read off
 * it only where used: esbuild drops the unused ones (each is a pure call), so no other export is touched. (A CommonJS
 * shim would make esbuild copy every property onto a namespace object, and `node:util`'s lazy properties such as
 * `TextDecoder` then load `internal/util/diff` and more on every start.) The named exports are those of the Node
 * that builds, so a function only newer Nodes have (`module.findPackageJSON`) is read off the default import, which is
 * the built-in module itself: `import nodeModule from 'node:module'`, never a namespace import.
 */
const builtinsOnDemand = {
  name: 'builtins-on-demand',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'builtin' }));
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, async (args) => {
      const namespace = await import(args.path);
      const names = Object.keys(namespace).filter(
        (name) => !['default', 'builtin', '__builtinExport'].includes(name) && /^[A-Za-z_$][\w$]*$/.test(name),
      );
      if (LOADED_WHEN_CALLED.has(args.path)) return { contents: calledShim(args.path, namespace, names), loader: 'js' };
      const exports = names.map(
        (name) => `export const ${name} = /* @__PURE__ */ __builtinExport(${JSON.stringify(name)});`,
      );
      return {
        contents: [
          `const builtin = process.getBuiltinModule(${JSON.stringify(args.path)});`,
          'const __builtinExport = (name) => builtin[name];',
          'export default builtin;',
          ...exports,
        ].join('\n'),
        loader: 'js',
      };
    });
  },
};

/**
 * Built-ins loaded only when one of their functions is first called, not when a module that imports them starts:
 * `node:fs/promises` costs 1–2.4 ms to load on Node 24 (it brings readline's interface, for `FileHandle.readLines`),
 * `node:crypto` 2.5 ms on Node 20 and 3.9 ms on Node 24 (with the stream and `perf_hooks` modules), and `node:os`
 * 0.6 ms on Node 20; a command that imports them does not call them on every run (`validate` of a file it has read,
 * the cache writer's temporary file names, the host name a folder lock records).
 */
const LOADED_WHEN_CALLED = new Set(['node:fs/promises', 'node:crypto', 'node:os']);

/**
 * The shim of a {@link LOADED_WHEN_CALLED} built-in: each function export whose name starts in lower case calls
 * through to the built-in, loaded then; any other export (a class such as `KeyObject`, which `new` and `instanceof`
 * need as it is, or a value such as `constants`) is read when its module starts, which loads the built-in. No
 * default export.
 *
 * @param {string} path - The built-in (`node:...`).
 * @param {Record<string, unknown>} namespace - Its exports, as the Node that builds has them.
 * @param {string[]} names - The export names to shim.
 * @returns {string} The shim's source.
 */
function calledShim(path, namespace, names) {
  const exports = names.map((name) =>
    typeof namespace[name] === 'function' && /^[a-z]/.test(name)
      ? `export const ${name} = /* @__PURE__ */ __called(${JSON.stringify(name)});`
      : `export const ${name} = /* @__PURE__ */ __read(${JSON.stringify(name)});`,
  );
  return [
    'let builtin;',
    `const __load = () => (builtin ??= process.getBuiltinModule(${JSON.stringify(path)}));`,
    'const __called = (name) => function (...args) { return __load()[name].apply(this, args); };',
    'const __read = (name) => __load()[name];',
    ...exports,
  ].join('\n');
}

/**
 * The packages the CLI bundle leaves to `node_modules`: tsx (optional, for `.ts` topologies), the Omni client package
 * and the client SDKs (loaded lazily by the commands that need them), jsonc-parser (the Tailscale policy), and ssh2 (whose optional native parts a bundle
 * cannot hold).
 */
export const EXTERNAL_PACKAGES = [
  'tsx',
  '@talos-sdk/omni-client',
  '@grpc/grpc-js',
  '@bufbuild/protobuf',
  'openpgp',
  'undici',
  'selfsigned',
  'ssh2',
  'jsonc-parser',
];

/**
 * The packages of {@link EXTERNAL_PACKAGES} that the command scripts hold rather than `require`: the Omni client is
 * an ES module only, and `require` loads an ES module only from Node 20.19 and 22.12 on (not on 22.0–22.11, which the
 * engines range admits). A script runs its code when a command first uses it, as it runs the client modules that
 * import it; what it imports is `require`d then (gRPC, and the CommonJS build of `@bufbuild/protobuf`, the only copy
 * a script loads).
 */
const HELD_BY_SCRIPTS = ['@talos-sdk/omni-client'];

/**
 * The commands' modules, as the command table imports them (`import('./commands/<name>.js')`).
 *
 * @returns {string[]} Their source files.
 */
function commandEntryPoints() {
  const table = readFileSync(`${root}/src/cli/command-table.ts`, 'utf8');
  const names = new Set([...table.matchAll(/import\('\.\/commands\/([a-z-]+)\.js'\)/g)].map((match) => match[1]));
  return [...names].map((name) => `${root}/src/cli/commands/${name}.ts`);
}

/**
 * The built-in examples' `import { defineTopology } from '@talos-sdk/topology'` resolves to `src/cli/example-define.ts`,
 * the compiled validator without zod: the library's `defineTopology` falls back to zod synchronously, so it holds zod's
 * code (about 10 ms to load), which a valid example never needs. Other commands load zod on demand (load-topology.ts).
 */
const EXAMPLES = fileURLToPath(new URL('../examples/', import.meta.url));

const examplesWithoutZod = {
  name: 'examples-without-zod',
  setup(build) {
    build.onResolve({ filter: /^@talos-sdk\/topology$/ }, (args) =>
      args.importer.startsWith(EXAMPLES) ? { path: `${root}/src/cli/example-define.ts` } : undefined,
    );
  },
};

/** The module that loads zod to explain an invalid topology (`src/cli/explain-topology.ts`), bundled apart: it is
 * imported by URL (`importDynamically`), so no command's bundle holds zod. */
const EXPLAIN = `${root}/src/cli/explain-topology.ts`;

/**
 * In the command scripts, `src/cli/import-dynamically.ts` becomes a call to the `__scriptImport` their loader passes
 * (`src/cli/command-script.ts`): a classic script has no module for V8 to resolve its own `import()` against.
 */
const importThroughLoader = {
  name: 'import-through-loader',
  setup(build) {
    build.onResolve({ filter: /\/import-dynamically\.js$/ }, () => ({
      path: 'import-dynamically',
      namespace: 'loader',
    }));
    build.onLoad({ filter: /.*/, namespace: 'loader' }, () => ({
      contents: 'export const importDynamically = (specifier) => __scriptImport(specifier);',
      loader: 'js',
    }));
  },
};

/** Leaves the command table's `import('./commands/<name>.js')` to Node: the commands are bundled apart. */
const commandsApart = {
  name: 'commands-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/commands\/[a-z-]+\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * What makes a bundle CommonJS, for the entry and the command scripts: `.cjs` files, no ES-module banner (CommonJS has
 * `require`), and `import.meta.url` from the file's own `__filename` (scripts/entry-url.mjs).
 */
const COMMON_JS = {
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  banner: {},
  inject: [`${root}/scripts/entry-url.mjs`],
  define: { 'import.meta.url': '__entryUrl' },
};

/**
 * Builds commands as classic scripts, `<name>.cjs`, for `src/cli/command-script.ts` to run with V8's code cache:
 * CommonJS ({@link COMMON_JS}; the loader's wrapper passes `__filename`), the packages `require`d (an `import()` of
 * one too) but those of {@link HELD_BY_SCRIPTS}, which they hold, `importDynamically` through the loader's
 * `__scriptImport`, and a first line `// sha256:<hash of the rest>` that names the cache.
 *
 * @param {import('esbuild').BuildOptions} commands - The commands' options (plugins, externals, minifying).
 * @param {Record<string, string>} entryPoints - Output name to source file.
 * @param {string} outdir - Where the scripts go.
 * @returns {Promise<import('esbuild').BuildResult>} esbuild's result, with its metafile.
 */
async function buildCommandScripts(commands, entryPoints, outdir) {
  const result = await build({
    ...commands,
    ...COMMON_JS,
    external: EXTERNAL_PACKAGES.filter((name) => !HELD_BY_SCRIPTS.includes(name)),
    // import() of a package becomes require(): a script has no module to resolve an import() against.
    supported: { 'dynamic-import': false },
    plugins: [importThroughLoader, ...commands.plugins],
    entryPoints,
    splitting: false,
    write: false,
    outdir,
  });
  await mkdir(outdir, { recursive: true });
  for (const file of result.outputFiles) {
    // A dynamic import left in a script would fail when it runs: every one goes through importDynamically.
    if (/\bimport\(/.test(file.text))
      throw new Error(`bundle-cli: ${file.path} calls import() itself; use importDynamically`);
    const hash = createHash('sha256').update(file.contents).digest('hex');
    await writeFile(file.path, `// sha256:${hash}\n${file.text}`);
  }
  return result;
}

/** The file beside the bundle that carries the licences of the packages it holds. */
export const NOTICES = 'THIRD-PARTY-NOTICES.md';

/** A package's licence file, by the names npm packages use. */
const LICENSE_FILE = /^(licen[cs]e|copying)(\.(md|txt))?$/i;

/**
 * The notices of every package from `node_modules` whose code the bundle holds (such as zod and js-yaml, inlined into
 * the commands): their licences (MIT) ask that every copy carry the copyright and permission notice. Each
 * package once, by name, with its version, its licence's SPDX name and the text of its licence file; one that ships
 * no licence file is named with its licence and repository.
 *
 * @param {import('esbuild').BuildResult[]} results - The bundle's builds, each with its metafile.
 * @returns {string} The notices, as Markdown.
 */
function thirdPartyNotices(results) {
  const folders = new Map();
  for (const { metafile } of results) {
    for (const input of Object.keys(metafile.inputs)) {
      const match = /^(.*?node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
      if (match) folders.set(match[2], resolve(root, match[1]));
    }
  }
  const sections = [...folders]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, folder]) => {
      const manifest = JSON.parse(readFileSync(`${folder}/package.json`, 'utf8'));
      const file = readdirSync(folder).find((entry) => LICENSE_FILE.test(entry));
      const repository = manifest.repository?.url ?? manifest.repository ?? manifest.homepage ?? '';
      const text = file ? readFileSync(`${folder}/${file}`, 'utf8').trim() : `No licence file; see ${repository}.`;
      return `## ${name} ${manifest.version} (${manifest.license})\n\n\`\`\`text\n${text}\n\`\`\`\n`;
    });
  const head = '# Third-party notices\n\nThe CLI bundle (`dist/cli`) holds code of these packages.\n';
  return [head, ...sections].join('\n');
}

/**
 * Bundles the CLI into a folder in two parts. `main.cjs` is one file with nothing but argument parsing, the command and
 * option tables, help, the version and failure printing: `--help`, `--version` and a usage error load no other module
 * (Node links every module an entry imports before running it, and each one costs a read, a compile and a link).
 * Each command is one classic script, `commands/<name>.cjs`, with zod, js-yaml and the library inlined, run by
 * `main.cjs` with V8's code cache of everything it ran last time (`src/cli/command-script.ts`); zod, needed only to
 * explain an invalid topology, is in `commands/explain-topology.js`, imported then. A script loads what a command
 * needs only when it first needs it: esbuild wraps each module the command imports with `import()` (the client of
 * each target) in a function that runs it on that first import, and the packages such a module imports are
 * `require`d in that function, not when the script starts. (An ES module bundle hoists every package import of the
 * modules it inlines to its start, so the commands that import the client SDKs were split into some 60 shared
 * chunks, which plan and apply spent about 35 ms resolving, reading and compiling before their first request.) The
 * parts hold separate copies of the modules they share, so the failure report tells errors apart by name
 * (`src/cli/failure.ts`), never by `instanceof`.
 *
 * @param {string} outdir - Where the bundle goes (`dist/cli` for the package; tests bundle into a temporary folder).
 */
export async function bundleCli(outdir) {
  const common = {
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    alias: { '@talos-sdk/topology': `${root}/src/index.ts` },
    external: [...EXTERNAL_PACKAGES],
    banner: {
      js: "const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);",
    },
    minify: true,
    // Error classes are told apart by name (new.target.name, and the CLI's failure kinds): keep them through minifying.
    keepNames: true,
    legalComments: 'linked',
    logLevel: 'warning',
    metafile: true,
  };
  const commands = {
    ...common,
    outdir: `${outdir}/commands`,
    plugins: [builtinsOnDemand, examplesWithoutZod],
  };
  // Named entries: every file lands in commands/, where the command table and load-topology.ts import them from.
  const entries = Object.fromEntries([...commandEntryPoints(), EXPLAIN].map((file) => [basename(file, '.ts'), file]));
  const { 'explain-topology': explain, ...scripts } = entries;
  const explaining = await build({ ...commands, entryPoints: { 'explain-topology': explain }, splitting: false });
  const scripting = await buildCommandScripts(commands, scripts, `${outdir}/commands`);
  const entry = await build({
    ...common,
    entryPoints: [`${root}/src/cli/main.ts`],
    outdir,
    // CommonJS: Node 20 sets up its ES module loader for an ES module entry, 3–4 ms before any of the CLI runs (a
    // quarter of `--help`); the commands' modules still load with import(), which CommonJS has.
    ...COMMON_JS,
    splitting: false,
    plugins: [builtinsOnDemand, commandsApart],
  });
  await writeFile(`${outdir}/${NOTICES}`, thirdPartyNotices([explaining, scripting, entry]));
}
