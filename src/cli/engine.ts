/**
 * The parts of the library the CLI's commands run (validation, rules, generators, plan printing), behind one module
 * that `run.ts` imports on demand: `--help`, `--version` and usage errors then load nothing but argument parsing, and
 * zod, js-yaml, the models and the generators are read only by a command that needs them (see the README's
 * Performance section for what this saves).
 *
 * @module
 */
import { config } from '../models/zod.js';

// A CLI run parses one topology once: zod's JIT (a `new Function` per object schema, compiled on first parse) costs
// more than it saves there. Without it the built-in example validates in about 10 ms instead of 30 ms (Node 24).
config({ jitless: true });

export { readArtifactSet } from '../generators/read.js';
export { formatPlan, planToJson } from '../plan/format.js';
export { planHasChanges } from '../plan/change.js';
export { findStaleFiles, writeArtifacts } from '../generators/output-folder.js';
export { generate } from '../generators/generate.js';
export { isCurrentByManifest } from '../generators/current-by-manifest.js';
export { topologyJsonSchema } from '../models/json-schema.js';
export { checkTopology, RULES } from '../rules/index.js';
export { loadTopology } from './load-topology.js';
