// Writes src/models/generated/topology-fast-parse.ts: the topology schema compiled into plain TypeScript, so that a
// valid topology is validated without building zod's schemas or running zod's code cold (about 30 ms of a CLI run).
// It walks topologySchema()'s zod definitions and emits one function per distinct schema node, following zod's own
// parse (node_modules/zod/v4/core/schemas.js and checks.js, read for each construct below): the same checks in the
// same order, the same output values, keys and key order. Whatever it is not sure of, the compiled code answers
// `undefined` and zod validates and explains. Refinements run the very functions the schemas use (found by identity
// among the exports of the zod-free check modules). A construct this script does not know stops it with an error naming
// the schema path, and so fails the test that keeps the generated file current (test/fast-parse.test.ts, in CI): run
// `npm run gen:validator` after changing a model.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';
import * as zodCore from 'zod/v4/core';
import * as z from 'zod';
import { superRefinementOf, WHEN_VALID } from '../src/models/primitives.js';
import * as references from '../src/models/references.js';
import * as refinements from '../src/models/refinements.js';
import { topologySchema } from '../src/models/topology.js';

const FILE = fileURLToPath(new URL('../src/models/generated/topology-fast-parse.ts', import.meta.url));

/** The zod-free modules whose exports the schemas' refinements are, by import path from the generated file. */
const CHECK_MODULES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  '../references.js': references,
  '../refinements.js': refinements,
};

/** A zod schema or check as the walk reads it (zod's internals, `_zod`). */
interface Internals {
  readonly _zod: {
    readonly def: Readonly<Record<string, unknown>> & { readonly type?: string; readonly check?: string };
    readonly traits: ReadonlySet<string>;
    readonly optin?: 'optional' | 'defaulted';
    readonly optout?: 'optional';
    readonly values?: ReadonlySet<unknown>;
    readonly propValues?: Readonly<Record<string, ReadonlySet<unknown>>>;
  };
}

/** zod's default `when` of its length checks (run on values with a length), compared by identity. */
const LENGTH_WHEN = (z.string().min(1) as unknown as Internals)._zod.def.checks as readonly Internals[];
const DEFAULT_LENGTH_WHEN = LENGTH_WHEN[0]?._zod.def.when;

/** Thrown for a construct the compiler does not know: it stops rather than emit code that may accept what zod refuses. */
class UnsupportedSchemaError extends Error {
  constructor(path: string, what: string) {
    super(
      `compile-validator: ${path || '(topology)'}: ${what} is not supported; teach scripts/compile-validator.ts this construct (following zod's parse exactly) or express the model with supported ones`,
    );
  }
}

/** The generated module being written: its functions, constants and imports, each emitted once. */
class Emitter {
  private readonly functions: string[] = [];
  private readonly functionByBody = new Map<string, string>();
  private readonly constants: string[] = [];
  private readonly constantByValue = new Map<string, string>();
  private readonly imports = new Map<string, Set<string>>();
  private readonly functionByCheck = new Map<unknown, string>();
  readonly helpers = new Set<string>();

  constructor() {
    for (const [module, exports] of Object.entries(CHECK_MODULES)) {
      for (const [name, value] of Object.entries(exports)) {
        if (typeof value === 'function') this.functionByCheck.set(value, `${module}#${name}`);
      }
    }
  }

  /** A function of the generated module with this body, declared once whatever the number of schemas sharing it. */
  fn(body: string): string {
    const known = this.functionByBody.get(body);
    if (known) return known;
    const name = `parse${this.functions.length}`;
    this.functionByBody.set(body, name);
    this.functions.push(`function ${name}(v: unknown): unknown {\n${body}\n}`);
    return name;
  }

  /** A module-level constant holding this expression, declared once. */
  constant(prefix: string, expression: string): string {
    const known = this.constantByValue.get(expression);
    if (known) return known;
    const name = `${prefix}${this.constants.length}`;
    this.constantByValue.set(expression, name);
    this.constants.push(`const ${name} = ${expression};`);
    return name;
  }

  /** The local name of a check function, imported from its zod-free module. */
  check(fn: unknown, path: string, what: string): string {
    const found = this.functionByCheck.get(fn);
    if (!found) {
      throw new UnsupportedSchemaError(
        path,
        `${what} whose function is not an export of ${Object.keys(CHECK_MODULES).join(' or ')} (move it there, named)`,
      );
    }
    const [module = '', name = ''] = found.split('#');
    const names = this.imports.get(module) ?? new Set<string>();
    names.add(name);
    this.imports.set(module, names);
    return name;
  }

  /** The module's text. */
  source(entry: string): string {
    const imports = [...this.imports.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([module, names]) => `import { ${[...names].sort().join(', ')} } from '${module}';`);
    return `// Generated by scripts/compile-validator.ts from topologySchema(): do not edit; run \`npm run gen:validator\`.
/**
 * The topology schema compiled into plain code, for the happy path: a valid topology is validated without building
 * zod's schemas. It answers only when sure, with exactly zod's output; \`undefined\` hands the input to zod, which
 * validates it again and explains every issue.
 *
 * @module
 */
${imports.join('\n')}
import type { RuleContext } from '../rule-issue.js';

/** What a node's parse returns when it is not sure the value is valid. */
const FAIL: unique symbol = Symbol('fail');

type Dict = Record<string, unknown>;

/** The context the models' checks report to: it notes that a check found something (zod explains it later). */
class Findings implements RuleContext {
  found = false;
  addIssue(): void {
    this.found = true;
  }
}

${HELPERS.filter(([name]) => this.helpers.has(name))
  .map(([, text]) => text)
  .join('\n\n')}

${this.constants.join('\n')}

${this.functions.join('\n\n')}

/**
 * Validates a topology the way \`topologySchema().safeParse\` does, when it can be sure.
 *
 * @param input - The topology as written.
 * @returns \`{ value }\`, zod's output exactly, for a valid topology; \`undefined\` when zod must decide (and explain).
 */
export function fastParseTopology(input: unknown): { value: unknown } | undefined {
  const value = ${entry}(input);
  return value === FAIL ? undefined : { value };
}
`;
  }
}

/** Helper functions the generated code may use, emitted when used. */
const HELPERS: readonly (readonly [string, string])[] = [
  [
    'isObject',
    `/** zod's \`isObject\`: an object that is not an array. */
function isObject(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}`,
  ],
  [
    'parseObject',
    `/**
 * One field of an object shape: its key, its parse, and how its schema treats an absent key (zod's optin/optout):
 * 0 required; 1 optional, left out when absent; 2 defaulted, always set; 3 optional input, set unless absent and
 * undefined; 4 optional with a default inside, left out when absent and failing.
 */
type Field = readonly [key: string, parse: (v: unknown) => unknown, absent: 0 | 1 | 2 | 3 | 4];

/**
 * zod's object parse ($ZodObject with handlePropertyResult in zod/v4/core/schemas.js): \`isObject\`, a strict
 * object's unknown keys, then each field of the shape in order (which is the output's key order).
 */
function parseObject(v: unknown, fields: readonly Field[], known: ReadonlySet<string> | undefined): Dict | typeof FAIL {
  if (!isObject(v)) return FAIL;
  if (known) for (const key in v) if (!known.has(key)) return FAIL;
  const out: Dict = {};
  // No iterators (for...of, destructuring): this runs cold, once per object, where V8's interpreter pays for them.
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const key = field[0];
    const absent = field[2];
    const present = key in v;
    if (!present && absent === 1) continue;
    if (!present && absent === 0) return FAIL;
    const r = field[1](v[key]);
    if (r === FAIL) {
      if (!present && absent === 4) continue;
      return FAIL;
    }
    if (r !== undefined || present || absent === 2) out[key] = r;
  }
  return out;
}`,
  ],
  [
    'isPlainRecord',
    `/** A plain object (narrower than zod's \`isPlainObject\`, which it implies) whose own keys are all enumerable strings. */
function isPlainRecord(v: unknown): v is Dict {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const prototype = Object.getPrototypeOf(v);
  if ((prototype !== Object.prototype && prototype !== null) || Object.hasOwn(v, 'constructor')) return false;
  return Reflect.ownKeys(v).length === Object.keys(v).length;
}`,
  ],
  [
    'parseArray',
    `/** zod's array parse ($ZodArray): each element in order, into a new array. */
function parseArray(v: unknown, element: (v: unknown) => unknown): unknown[] | typeof FAIL {
  if (!Array.isArray(v)) return FAIL;
  const out: unknown[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const r = element(v[i]);
    if (r === FAIL) return FAIL;
    out[i] = r;
  }
  return out;
}`,
  ],
  [
    'parseRecord',
    `/**
 * zod's record parse ($ZodRecord, a key schema that lists no values): each own key in order through the key schema,
 * its value through the value schema. Keys zod skips or treats apart (symbols, non-enumerable keys, \`__proto__\`,
 * numeric keys a key schema refuses as text) are left to zod.
 */
function parseRecord(v: unknown, key: (v: unknown) => unknown, value: (v: unknown) => unknown): Dict | typeof FAIL {
  if (!isPlainRecord(v)) return FAIL;
  const out: Dict = {};
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) {
    const name = keys[i]!;
    if (name === '__proto__') return FAIL;
    const k = key(name);
    if (typeof k !== 'string' || k === '__proto__') return FAIL;
    const r = value(v[name]);
    if (r === FAIL) return FAIL;
    out[k] = r;
  }
  return out;
}`,
  ],
  [
    'codePoints',
    `/** zod's \`codePointLength\`: a surrogate pair counts once. */
function codePoints(s: string): number {
  let count = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    if ((s.charCodeAt(i) & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}`,
  ],
  [
    'parseUrl',
    `/** The WHATWG URL parser zod's url format uses (\`URL.parse\`, or \`new URL\` where that is missing). */
function parseUrl(s: string): URL | undefined {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}`,
  ],
];

/** A JSON literal for a default value, refused unless it survives JSON unchanged (plain data, no `-0`, no `undefined`). */
function jsonLiteral(value: unknown, path: string): string {
  const text = JSON.stringify(value);
  const plain = (item: unknown): boolean => {
    if (item === null || typeof item === 'string' || typeof item === 'boolean') return true;
    if (typeof item === 'number') return Number.isFinite(item) && !Object.is(item, -0);
    if (Array.isArray(item)) return item.every(plain);
    if (typeof item === 'object' && Object.getPrototypeOf(item) === Object.prototype) {
      return Object.values(item as object).every(plain);
    }
    return false;
  };
  if (text === undefined || !plain(value)) throw new UnsupportedSchemaError(path, 'a default that is not plain JSON');
  return text;
}

function schemaChecks(schema: Internals): Internals[] {
  const own = schema._zod.traits.has('$ZodCheck') ? [schema] : [];
  return [...own, ...((schema._zod.def.checks as Internals[] | undefined) ?? [])];
}

/** Statements that run a schema's checks on `out`, in zod's order; each returns FAIL on a finding. */
function checkStatements(emitter: Emitter, schema: Internals, path: string, kind: string): string[] {
  const lines: string[] = [];
  for (const check of schemaChecks(schema)) {
    const def = check._zod.def;
    const traits = check._zod.traits;
    const when = def.when;
    const isLength = def.check === 'min_length' || def.check === 'max_length';
    if (when !== undefined && when !== WHEN_VALID.when && !(isLength && when === DEFAULT_LENGTH_WHEN)) {
      throw new UnsupportedSchemaError(path, `a check "${String(def.check)}" with its own \`when\``);
    }
    switch (def.check) {
      case 'string_format': {
        if (kind !== 'string') throw new UnsupportedSchemaError(path, 'a string format on a non-string');
        if (def.format === 'url' && traits.has('$ZodURL')) {
          lines.push(...urlStatements(emitter, def, path));
          break;
        }
        const patternOnly =
          (def.format === 'regex' && traits.has('$ZodCheckRegex')) ||
          (def.format === 'email' && traits.has('$ZodEmail')) ||
          (def.format === 'uuid' && traits.has('$ZodUUID')) ||
          (def.format === 'guid' && traits.has('$ZodGUID'));
        if (!patternOnly || !(def.pattern instanceof RegExp)) {
          throw new UnsupportedSchemaError(path, `the string format "${String(def.format)}"`);
        }
        lines.push(...regexStatements(emitter, def.pattern, 'out'));
        break;
      }
      case 'min_length':
      case 'max_length': {
        const bound = def.check === 'min_length' ? def.minimum : def.maximum;
        if (typeof bound !== 'number') throw new UnsupportedSchemaError(path, `a ${def.check} without a number`);
        let length: string;
        if (kind === 'string') {
          emitter.helpers.add('codePoints');
          length = 'codePoints(out)';
        } else if (kind === 'array') length = 'out.length';
        else throw new UnsupportedSchemaError(path, `a ${def.check} on a ${kind}`);
        lines.push(`if (!(${length} ${def.check === 'min_length' ? '>=' : '<='} ${bound})) return FAIL;`);
        break;
      }
      case 'greater_than':
      case 'less_than': {
        if (kind !== 'number' || typeof def.value !== 'number') {
          throw new UnsupportedSchemaError(path, `a ${def.check} that is not on a number`);
        }
        const operator = def.check === 'greater_than' ? (def.inclusive ? '>=' : '>') : def.inclusive ? '<=' : '<';
        lines.push(`if (!(out ${operator} ${def.value})) return FAIL;`);
        break;
      }
      case 'number_format': {
        const format = String(def.format);
        const range = (zodCore.util.NUMBER_FORMAT_RANGES as Record<string, [number, number]>)[format];
        if (kind !== 'number' || !range) throw new UnsupportedSchemaError(path, `the number format "${format}"`);
        if (format.includes('int')) lines.push('if (!Number.isSafeInteger(out)) return FAIL;');
        lines.push(`if (out < ${range[0]} || out > ${range[1]}) return FAIL;`);
        break;
      }
      case 'custom': {
        if (def.type === 'custom' && typeof def.fn === 'function') {
          // `.refine(fn)`: zod calls fn(value) and reports a falsy result (handleRefineResult).
          lines.push(`if (!${emitter.check(def.fn, path, 'a refine')}(out as never)) return FAIL;`);
          break;
        }
        const fn = superRefinementOf(check);
        if (fn === undefined) {
          throw new UnsupportedSchemaError(path, 'a custom check not made by refineWith (src/models/primitives.ts)');
        }
        // `.superRefine(fn)`: zod calls fn(value, payload) and any issue it adds fails the parse.
        const name = emitter.check(fn, path, 'a superRefine');
        lines.push(
          `{\n const found = new Findings();\n ${name}(out as never, found);\n if (found.found) return FAIL;\n }`,
        );
        break;
      }
      default:
        throw new UnsupportedSchemaError(path, `the check "${String(def.check)}"`);
    }
  }
  return lines;
}

function regexStatements(emitter: Emitter, pattern: RegExp, value: string): string[] {
  const name = emitter.constant('PATTERN', String(pattern));
  // zod resets lastIndex before each test, which only matters for a global or sticky pattern.
  const reset = pattern.global || pattern.sticky ? `${name}.lastIndex = 0;\n` : '';
  return [`${reset}if (!${name}.test(${value})) return FAIL;`];
}

/**
 * zod's url format ($ZodURL in schemas.js): it trims the input, parses it with the WHATWG parser, tests the hostname
 * and protocol patterns, and outputs the trimmed text without tabs and line breaks (or `href` with `normalize`). The
 * compiled code takes only input that those steps leave unchanged, so its output is the input.
 */
function urlStatements(emitter: Emitter, def: Readonly<Record<string, unknown>>, path: string): string[] {
  emitter.helpers.add('parseUrl');
  const lines = [`if (out !== out.trim() || /[\\t\\n\\r]/.test(out)) return FAIL;`];
  const parsedOnly = !('normalize' in def) && !('hostname' in def) && !('protocol' in def);
  const protocol = def.protocol;
  const hostname = def.hostname;
  if (def.normalize) throw new UnsupportedSchemaError(path, 'a url with normalize');
  if (protocol instanceof RegExp && protocol.source === zodCore.regexes.httpProtocol.source && !def.normalize) {
    lines.push(`if (!/^https?:\\/\\//i.test(out)) return FAIL;`);
  }
  lines.push('{', 'const url = parseUrl(out);', 'if (url === undefined) return FAIL;');
  if (!parsedOnly) {
    if (hostname !== undefined) {
      if (!(hostname instanceof RegExp)) throw new UnsupportedSchemaError(path, 'a url hostname that is no RegExp');
      lines.push(...regexStatements(emitter, hostname, 'url.hostname'));
    }
    if (protocol !== undefined) {
      if (!(protocol instanceof RegExp)) throw new UnsupportedSchemaError(path, 'a url protocol that is no RegExp');
      lines.push(...regexStatements(emitter, protocol, 'url.protocol.slice(0, -1)'));
    }
  }
  lines.push('}');
  return lines;
}

/** The statements of a node's parse after its own: run the checks on `out`, return it. */
function finish(emitter: Emitter, schema: Internals, path: string, kind: string): string {
  return [...checkStatements(emitter, schema, path, kind), 'return out;'].join('\n');
}

/** Compiles one schema node into a function of the generated module, and returns its name. */
function compile(emitter: Emitter, schema: Internals, path: string): string {
  const def = schema._zod.def;
  const traits = schema._zod.traits;
  if (def.coerce) throw new UnsupportedSchemaError(path, 'coercion');
  switch (def.type) {
    case 'string':
      return emitter.fn(
        `if (typeof v !== 'string') return FAIL;\nconst out = v;\n${finish(emitter, schema, path, 'string')}`,
      );
    case 'number':
      return emitter.fn(
        `if (typeof v !== 'number' || !Number.isFinite(v)) return FAIL;\nconst out = v;\n${finish(emitter, schema, path, 'number')}`,
      );
    case 'boolean':
      return emitter.fn(
        `if (typeof v !== 'boolean') return FAIL;\nconst out = v;\n${finish(emitter, schema, path, 'boolean')}`,
      );
    case 'unknown':
    case 'any':
      return emitter.fn(`const out = v;\n${finish(emitter, schema, path, 'unknown')}`);
    case 'never':
      return emitter.fn('return FAIL;');
    case 'enum':
    case 'literal': {
      const values = [...(schema._zod.values ?? [])];
      if (values.length === 0 || !values.every((value) => ['string', 'number', 'boolean'].includes(typeof value))) {
        throw new UnsupportedSchemaError(path, `an ${def.type} whose values are not strings, numbers or booleans`);
      }
      const set = emitter.constant('VALUES', `new Set<unknown>(${JSON.stringify(values)})`);
      return emitter.fn(`if (!${set}.has(v)) return FAIL;\nconst out = v;\n${finish(emitter, schema, path, def.type)}`);
    }
    case 'object':
      return compileObject(emitter, schema, path);
    case 'array': {
      const element = compile(emitter, def.element as Internals, `${path}[]`);
      emitter.helpers.add('parseArray');
      return emitter.fn(`const out = parseArray(v, ${element});
if (out === FAIL) return FAIL;
${finish(emitter, schema, path, 'array')}`);
    }
    case 'record':
      return compileRecord(emitter, schema, path);
    case 'union':
      return compileUnion(emitter, schema, path);
    case 'optional': {
      if (!traits.has('$ZodOptional') || traits.has('$ZodExactOptional')) {
        throw new UnsupportedSchemaError(path, 'an optional other than .optional()');
      }
      const inner = def.innerType as Internals;
      const name = compile(emitter, inner, path);
      // $ZodOptional: undefined passes through, unless the inner schema substitutes a default (its failure then
      // gives undefined, handleOptionalResult).
      const absent =
        inner._zod.optin === 'defaulted'
          ? `{ const r = ${name}(v); out = r === FAIL ? undefined : r; }`
          : 'out = undefined;';
      return emitter.fn(`let out: unknown;
if (v === undefined) ${absent}
else {
  out = ${name}(v);
  if (out === FAIL) return FAIL;
}
${finish(emitter, schema, path, 'unknown')}`);
    }
    case 'default': {
      if (!traits.has('$ZodDefault')) throw new UnsupportedSchemaError(path, 'a default other than .default()');
      const name = compile(emitter, def.innerType as Internals, path);
      // $ZodDefault: undefined becomes the default without parsing it; zod gives a shallow copy, this a fresh literal.
      const literal = jsonLiteral(def.defaultValue, path);
      return emitter.fn(`let out: unknown;
if (v === undefined) out = ${literal};
else {
  out = ${name}(v);
  if (out === FAIL) return FAIL;
  if (out === undefined) out = ${literal};
}
${finish(emitter, schema, path, 'unknown')}`);
    }
    case 'pipe': {
      const input = compile(emitter, def.in as Internals, path);
      const output = compile(emitter, def.out as Internals, path);
      return emitter.fn(`const middle = ${input}(v);
if (middle === FAIL) return FAIL;
const out = ${output}(middle);
if (out === FAIL) return FAIL;
${finish(emitter, schema, path, 'unknown')}`);
    }
    case 'transform': {
      const name = emitter.check(def.transform, path, 'a transform (preprocess)');
      return emitter.fn(`const found = new Findings();
const out = ${name}(v, found);
if (found.found) return FAIL;
${finish(emitter, schema, path, 'unknown')}`);
    }
    default:
      throw new UnsupportedSchemaError(path, `the schema type "${String(def.type)}"`);
  }
}

/**
 * $ZodObject's parse: `isObject`, then each shape key in order with `handlePropertyResult`'s rules for absent keys
 * (by the field's optin/optout), then the catchall: strict refuses any other key `for...in` finds, strip ignores it.
 */
function compileObject(emitter: Emitter, schema: Internals, path: string): string {
  const def = schema._zod.def;
  const shape = def.shape as Readonly<Record<string, Internals>>;
  if (Object.getOwnPropertySymbols(shape).length > 0) throw new UnsupportedSchemaError(path, 'a symbol key');
  const keys = Object.keys(shape);
  if (keys.includes('__proto__')) throw new UnsupportedSchemaError(path, 'a __proto__ key');
  const catchall = def.catchall as Internals | undefined;
  const catchallType = catchall?._zod.def.type;
  if (catchall !== undefined && catchallType !== 'never') {
    throw new UnsupportedSchemaError(path, `an object with a catchall of type "${String(catchallType)}"`);
  }
  const fields = keys.map((key) => {
    const field = shape[key]!;
    const name = compile(emitter, field, path ? `${path}.${key}` : key);
    return `[${JSON.stringify(key)}, ${name}, ${absence(field, path)}]`;
  });
  emitter.helpers.add('isObject');
  emitter.helpers.add('parseObject');
  const table = emitter.constant('SHAPE', `[${fields.join(', ')}] as const satisfies readonly Field[]`);
  // A strict object (catchall never) refuses any key `for...in` finds beyond the shape; a stripping one ignores it.
  const known = catchall ? emitter.constant('KEYS', `new Set<string>(${JSON.stringify(keys)})`) : 'undefined';
  const lines = [`const out = parseObject(v, ${table}, ${known});`, 'if (out === FAIL) return FAIL;'];
  return emitter.fn(`${lines.join('\n')}\n${finish(emitter, schema, path, 'object')}`);
}

/** How a field's schema treats an absent key, as `parseObject` in the generated code takes it (see HELPERS). */
function absence(field: Internals, path: string): number {
  const { optin, optout } = field._zod;
  if (optin === undefined) return 0;
  if (optin === 'optional' && optout === 'optional') return 1;
  if (optin === 'defaulted' && optout === undefined) return 2;
  if (optin === 'optional' && optout === undefined) return 3;
  if (optin === 'defaulted' && optout === 'optional') return 4;
  throw new UnsupportedSchemaError(path, `a field with optin ${String(optin)} and optout ${String(optout)}`);
}

/**
 * $ZodRecord's parse with a key schema that lists no values: every own enumerable key (Reflect.ownKeys order) through
 * the key schema, its value through the value schema. A key the key schema refuses fails here (zod may retry a
 * numeric key as a number); symbol, non-enumerable and `__proto__` keys, which zod skips or refuses, go to zod.
 */
function compileRecord(emitter: Emitter, schema: Internals, path: string): string {
  const def = schema._zod.def;
  const keyType = def.keyType as Internals;
  if (keyType._zod.values || def.mode === 'loose' || def.partial) {
    throw new UnsupportedSchemaError(path, 'a record with enumerated, loose or partial keys');
  }
  const key = compile(emitter, keyType, `${path}{key}`);
  const value = compile(emitter, def.valueType as Internals, `${path}{}`);
  emitter.helpers.add('isPlainRecord');
  emitter.helpers.add('parseRecord');
  return emitter.fn(`const out = parseRecord(v, ${key}, ${value});
if (out === FAIL) return FAIL;
${finish(emitter, schema, path, 'object')}`);
}

/**
 * A union: $ZodUnion returns the first option that parses without an issue; $ZodDiscriminatedUnion picks the option
 * whose discriminator values hold the input's discriminator (no fallback to trying every option).
 */
function compileUnion(emitter: Emitter, schema: Internals, path: string): string {
  const def = schema._zod.def;
  const traits = schema._zod.traits;
  const options = def.options as readonly Internals[];
  if (traits.has('$ZodXor')) throw new UnsupportedSchemaError(path, 'an exclusive union (xor)');
  if (traits.has('$ZodDiscriminatedUnion')) {
    if (def.unionFallback) throw new UnsupportedSchemaError(path, 'a discriminated union with unionFallback');
    const discriminator = String(def.discriminator);
    const cases = new Map<unknown, string>();
    options.forEach((option, index) => {
      const name = compile(emitter, option, `${path}<${index}>`);
      for (const value of option._zod.propValues?.[discriminator] ?? []) {
        if (typeof value !== 'string' || cases.has(value)) {
          throw new UnsupportedSchemaError(path, 'a discriminator value that is not one distinct string');
        }
        cases.set(value, name);
      }
    });
    emitter.helpers.add('isObject');
    const branches = [...cases.entries()].map(
      ([value, name]) => `case ${JSON.stringify(value)}: out = ${name}(v); break;`,
    );
    return emitter.fn(`if (!isObject(v)) return FAIL;
let out: unknown;
switch (v[${JSON.stringify(discriminator)}]) {
${branches.join('\n')}
default: return FAIL;
}
if (out === FAIL) return FAIL;
${finish(emitter, schema, path, 'unknown')}`);
  }
  if (!traits.has('$ZodUnion') || def.inclusive === false) throw new UnsupportedSchemaError(path, 'this kind of union');
  const names = options.map((option, index) => compile(emitter, option, `${path}<${index}>`));
  return emitter.fn(`let out: unknown = FAIL;
${names.map((name) => `if (out === FAIL) out = ${name}(v);`).join('\n')}
if (out === FAIL) return FAIL;
${finish(emitter, schema, path, 'unknown')}`);
}

/**
 * The source of `src/models/generated/topology-fast-parse.ts`.
 *
 * @param schema - The schema to compile (the topology's; tests pass others).
 * @returns Formatted TypeScript.
 */
export async function fastParseSource(schema: unknown = topologySchema()): Promise<string> {
  const emitter = new Emitter();
  const entry = compile(emitter, schema as Internals, '');
  return format(emitter.source(entry), { parser: 'typescript', filepath: FILE, printWidth: 120, singleQuote: true });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(FILE, await fastParseSource());
}
