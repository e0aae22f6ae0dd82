#!/usr/bin/env node
import { askOnTerminal } from './approval.js';
import { enableUserCompileCache, moduleCompileCache } from './compile-cache.js';
import { processOutput } from './output.js';
import { runCli } from './run.js';
import { dropWebCryptoExperimentalWarnings } from './runtime-warnings.js';

enableUserCompileCache(moduleCompileCache());
dropWebCryptoExperimentalWarnings();

// No top-level await: the entry is built as CommonJS (scripts/bundle-cli.mjs).
void runCli(process.argv.slice(2), {
  output: processOutput,
  env: process.env,
  ask: askOnTerminal,
}).then((code) => {
  process.exitCode = code;
});
