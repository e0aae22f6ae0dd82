import * as z from './zod.js';
import { topologySchema } from './topology.js';

/**
 * The published URL of this version's topology JSON Schema (jsDelivr serves every file of every npm release, pinned
 * to the version here), and the schema's `$id`. Point editors at it from a topology file in any folder:
 * `# yaml-language-server: $schema=<this URL>` in YAML, `"$schema": "<this URL>"` in JSON. Without network access,
 * use the installed copy by a path relative to the topology file instead, e.g.
 * `../node_modules/@talos-sdk/topology/schema/topology.schema.json` from a subfolder (editors resolve a relative
 * `$schema` against the file that names it, not against the workspace).
 *
 * @example
 * ```ts
 * import { TOPOLOGY_SCHEMA_URL } from '@talos-sdk/topology';
 *
 * const header = `# yaml-language-server: $schema=${TOPOLOGY_SCHEMA_URL}\n`;
 * ```
 */
export const TOPOLOGY_SCHEMA_URL = 'https://cdn.jsdelivr.net/npm/@talos-sdk/topology@0.1.0/schema/topology.schema.json';

type JsonSchema = Record<string, unknown>;

/**
 * Rewrites a discriminated union's `oneOf` into one `if`/`then` per branch, keyed on the discriminator's value, so a
 * validator or editor checks an object only against the branch its discriminator names: an LXC guest missing
 * `template` gets that error, not the errors of every other branch (which a `oneOf` reports when no branch matches).
 */
function discriminate(zodSchema: z.core.$ZodType, jsonSchema: JsonSchema): void {
  const def = zodSchema._zod.def as { type: string; discriminator?: string };
  const branches = jsonSchema.oneOf;
  if (def.type !== 'union' || def.discriminator === undefined || !Array.isArray(branches)) return;
  const key = def.discriminator;
  const values = (branches as JsonSchema[]).map(
    (branch) => ((branch.properties as Record<string, JsonSchema> | undefined)?.[key] ?? {}).const,
  );
  delete jsonSchema.oneOf;
  Object.assign(jsonSchema, {
    type: 'object',
    required: [key],
    properties: { [key]: { enum: values, description: `Selects the kind: ${values.join(' or ')}.` } },
    allOf: (branches as JsonSchema[]).map((branch, index) => ({
      if: { properties: { [key]: { const: values[index] } }, required: [key] },
      then: branch,
    })),
  });
}

/**
 * The topology's JSON Schema (draft 2020-12), for editor completion in YAML and JSON topology files. It describes
 * the input form: fields with defaults are optional. Every property carries a description (with its unit) and, where
 * the format is not obvious, examples. Guests are discriminated on `type`. Cross-references and rules are checked by
 * `defineTopology` and the rules, not by the schema.
 *
 * @returns A JSON Schema object whose `$id` is {@link TOPOLOGY_SCHEMA_URL}.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { topologyJsonSchema } from '@talos-sdk/topology';
 *
 * writeFileSync('topology.schema.json', JSON.stringify(topologyJsonSchema(), null, 2));
 * ```
 */
export function topologyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(topologySchema(), {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
    override: ({ zodSchema, jsonSchema }) => discriminate(zodSchema, jsonSchema),
  }) as JsonSchema;
  const { $schema, ...rest } = schema;
  return { $schema, $id: TOPOLOGY_SCHEMA_URL, title: 'Talos SDK topology', ...rest };
}
