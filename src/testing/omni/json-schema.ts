/**
 * A small JSON-schema subset validator, enough for infra-provider `provider_data` schemas: `type`, `required`,
 * `properties`, `additionalProperties`, `items`, `enum`, `minimum`, `maximum`.
 *
 * @module
 */

/** The schema keywords understood; others are ignored, as a permissive validator would. */
export interface JsonSchema {
  /** One type name or a list of them. */
  readonly type?: string | readonly string[];
  /** Keys an object must have. */
  readonly required?: readonly string[];
  /** Schemas of an object's keys. */
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  /** Whether (or how) keys not in `properties` are allowed. */
  readonly additionalProperties?: boolean | JsonSchema;
  /** Schema of every array element. */
  readonly items?: JsonSchema;
  /** Allowed values. */
  readonly enum?: readonly unknown[];
  /** Inclusive lower bound of a number. */
  readonly minimum?: number;
  /** Inclusive upper bound of a number. */
  readonly maximum?: number;
}

/**
 * Validates a value against a schema.
 *
 * @param schema - The schema.
 * @param value - The value (already parsed from YAML or JSON).
 * @returns One message per problem, each starting with a JSON pointer; empty when valid.
 *
 * @example
 * ```ts
 * validateJsonSchema({ type: 'object', required: ['cores'] }, {}); // ['/: missing required property "cores"']
 * ```
 */
export function validateJsonSchema(schema: JsonSchema, value: unknown): string[] {
  const problems: string[] = [];
  check(schema, value, '', problems);
  return problems;
}

function check(schema: JsonSchema, value: unknown, pointer: string, problems: string[]): void {
  const at = pointer || '/';
  if (schema.type !== undefined) {
    const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
    if (!types.some((type) => hasType(type, value))) {
      problems.push(`${at}: must be ${types.join(' or ')}`);
      return;
    }
  }
  if (schema.enum !== undefined && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
    problems.push(`${at}: must be one of ${schema.enum.map((item) => JSON.stringify(item)).join(', ')}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${at}: must be >= ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${at}: must be <= ${schema.maximum}`);
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, index) => check(schema.items as JsonSchema, item, `${pointer}/${index}`, problems));
  }
  if (isObject(value)) {
    for (const key of schema.required ?? []) {
      if (!(key in value)) problems.push(`${at}: missing required property ${JSON.stringify(key)}`);
    }
    for (const [key, item] of Object.entries(value)) {
      const property = schema.properties?.[key];
      if (property) check(property, item, `${pointer}/${key}`, problems);
      else if (schema.additionalProperties === false) problems.push(`${pointer}/${key}: unknown property`);
      else if (typeof schema.additionalProperties === 'object') {
        check(schema.additionalProperties, item, `${pointer}/${key}`, problems);
      }
    }
  }
}

function hasType(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    default:
      return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
