/**
 * Generating from a command's topology, shared by generate and check (apart from topology-input.ts, so that
 * `validate` loads no generator).
 *
 * @module
 */
import { generate } from '../../generators/generate.js';
import type { GenerateResult } from '../../generators/generate.js';
import { TopologyError } from '../../models/issue.js';
import type { CommandTopology } from './topology-input.js';

/**
 * Generates the artifacts, naming the source (and, for a YAML or JSON file, the line and column) in every issue.
 *
 * @param loaded - The topology.
 * @param skipRules - Rules not to run.
 * @returns The artifacts and warnings.
 * @throws {@link TopologyError} with the topology's source.
 */
export function generateFrom(loaded: CommandTopology, skipRules: readonly string[]): GenerateResult {
  try {
    const result = generate(loaded.topology, { skip: skipRules });
    return { ...result, warnings: loaded.locate(result.warnings) };
  } catch (error) {
    if (error instanceof TopologyError && error.source === undefined)
      throw new TopologyError(loaded.locate(error.issues), loaded.source);
    throw error;
  }
}
