#!/usr/bin/env node
import { processOutput } from './output.js';
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2), {
  output: processOutput,
  env: process.env,
  builtInExample: async () => (await import('../../examples/spaceships/topology.js')).default,
});
