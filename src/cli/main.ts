#!/usr/bin/env node
import module from 'node:module';
import { askOnTerminal } from './approval.js';
import { processOutput } from './output.js';
import { runCli } from './run.js';
import { dropWebCryptoExperimentalWarnings } from './runtime-warnings.js';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
dropWebCryptoExperimentalWarnings();

process.exitCode = await runCli(process.argv.slice(2), {
  output: processOutput,
  env: process.env,
  ask: askOnTerminal,
});
