// Injected into the CommonJS entry (scripts/bundle-cli.mjs), where `import.meta.url` is defined to this binding: the
// entry's own file URL, from CommonJS's `__filename` (which the bundle's module wrapper provides).
/* global __filename */
export const __entryUrl = process.getBuiltinModule('node:url').pathToFileURL(__filename).href;
