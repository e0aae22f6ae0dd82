/**
 * `defineTopology` as the built-in examples see it inside the CLI bundle (scripts/bundle-cli.mjs resolves their
 * `@talos-sdk/topology` import here): the validator compiled from the schema, without zod's code, which would
 * otherwise load with every `--example` run although the example is valid. The examples' tests
 * (test/fast-parse.test.ts) hold them to that path.
 *
 * @module
 */
import type { Topology, TopologyInput } from '../models/define.js';
import { defineWithoutZod } from '../models/define-without-zod.js';

/**
 * Validates a built-in example.
 *
 * @param input - The example as written.
 * @returns The validated, frozen topology.
 * @throws Error when the example does not pass the compiled validator, which its tests rule out.
 */
export function defineTopology(input: TopologyInput): Topology {
  const quick = defineWithoutZod(input);
  if (quick.result?.success) return quick.result.topology;
  throw new Error(
    'the built-in example does not pass the compiled validator; run npx vitest run test/fast-parse.test.ts',
  );
}
