import * as z from './zod.js';
import { topologySchema } from './topology.js';

/**
 * The topology's JSON Schema (draft 2020-12), for editor completion in YAML and JSON topology files. It describes
 * the input form: fields with defaults are optional. Cross-references and rules are checked by `defineTopology`
 * and the rules, not by the schema.
 *
 * @returns A JSON Schema object.
 *
 * @example
 * ```yaml
 * # yaml-language-server: $schema=./node_modules/@talos-sdk/topology/schema/topology.schema.json
 * name: homelab
 * ```
 */
export function topologyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(topologySchema(), { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
}
