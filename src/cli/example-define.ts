/**
 * `defineTopology` as the built-in examples see it inside the CLI bundle (scripts/bundle-cli.mjs resolves their
 * `@talos-sdk/topology` import here). The CLI validates every topology it loads, the built-in example included
 * (`loadTopology` in load-topology.ts runs the compiled validator, and zod only to explain a failure), so here the
 * example is handed over as written: validating it here as well would do the same work twice on every `--example`
 * run, and would pull zod's code into the bundle for the library's fallback. The examples' tests
 * (test/fast-parse.test.ts) hold them to the compiled validator.
 *
 * @module
 */
import type { Topology, TopologyInput } from '../models/define.js';

/**
 * Hands a built-in example over as written, for the CLI to validate once.
 *
 * @param input - The example as written.
 * @returns The same object: the CLI's loader validates it (and fills in defaults) before any command uses it.
 */
export function defineTopology(input: TopologyInput): Topology {
  return input as Topology;
}
