/**
 * Validation with zod, for a topology the compiled validator could not settle: zod finds and explains every issue.
 * A module of its own, loaded only then: the CLI bundle keeps it (and zod) in a file apart from the commands, so a
 * valid topology never reads zod's code (see `scripts/bundle-cli.mjs`).
 *
 * @module
 */
import type { DefineTopologyResult } from '../models/define.js';
import { safeDefineTopology } from '../models/define.js';
import { configureZodForOneRun } from './zod-one-run.js';

/**
 * Validates a topology with zod, configured for one run.
 *
 * @param input - The topology as read.
 * @returns The result, with every issue when invalid.
 */
export function explainTopology(input: unknown): DefineTopologyResult {
  configureZodForOneRun();
  return safeDefineTopology(input);
}
