// Injected into the CommonJS bundles (scripts/bundle-cli.mjs: the entry and the command scripts), where
// `import.meta.url` is defined to this binding: the bundle's own file URL, from the `__filename` its wrapper provides
// (Node's module wrapper for the entry, src/cli/command-script.ts's for a script).
/* global __filename */
export const __entryUrl = process.getBuiltinModule('node:url').pathToFileURL(__filename).href;
