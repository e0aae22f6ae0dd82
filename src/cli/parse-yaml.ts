/**
 * Parses a YAML topology with bounds js-yaml does not have. js-yaml resolves an alias to the very object its
 * anchor built (`state.result = state.anchorMap[alias]` in js-yaml's `lib/loader.js`, `readAlias`), and stores a
 * collection's anchor before reading its content, so a 342-byte alias bomb loads as a small graph that every later
 * walk expands, and an alias inside its own anchor makes a cycle. The loader's parse events are counted here: depth,
 * aliases, and an alias read inside its own anchor, each refused at its line. The expanded size is bounded after
 * loading, by `safeDefineTopology`.
 *
 * @module
 */
import type { State } from 'js-yaml';
import { YAMLException, load } from 'js-yaml';
import { INPUT_LIMITS } from '../models/input-bounds.js';
import type { ParsedInput } from './parsed-input.js';
import { parseFailure, positionAt, withoutByteOrderMark } from './parsed-input.js';

/** The most aliases (`*name`) a YAML topology may use; real topologies use a handful. */
export const MAX_YAML_ALIASES = 10_000;

/** Stops loading at a limit, with the offset of the node that broke it. */
class YamlLimit extends Error {
  constructor(
    readonly offset: number,
    readonly rule: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * js-yaml reasons that quote the input (a tag, an alias or a directive name), reworded without it. Every other reason
 * is fixed text in js-yaml's `lib/loader.js`.
 */
const QUOTING_REASONS: readonly (readonly [string, string])[] = [
  ['unknown tag', 'unknown tag (a topology is plain YAML: mappings, sequences, strings, numbers, booleans, null)'],
  ['unacceptable node kind for', 'a tag is applied to the wrong kind of node'],
  ['cannot resolve a node with', 'a value does not match its explicit tag'],
  ['unidentified alias', 'an alias names no anchor declared before it'],
  ['undeclared tag handle', 'a tag handle is not declared'],
  ['there is a previously declared suffix', 'a tag handle is declared twice'],
  ['tag prefix is malformed', 'a tag prefix is malformed'],
  ['tag name', 'a tag name is malformed'],
];

/**
 * Parses YAML topology text (one document).
 *
 * @param source - The file's text (a leading byte order mark is ignored).
 * @returns The value, or one issue: rule `yaml` for a syntax error (its reason, line and column, never the text),
 *   `cycle` for an alias inside its own anchor, `input-limit` for nesting deeper than {@link INPUT_LIMITS} or more
 *   than {@link MAX_YAML_ALIASES} aliases.
 */
export function parseYaml(source: string): ParsedInput {
  const text = withoutByteOrderMark(source);
  try {
    return { success: true, value: load(text, { listener: boundedEvents() }) };
  } catch (error) {
    if (error instanceof YamlLimit) {
      const { line } = positionAt(text, firstNonSpace(text, error.offset));
      return parseFailure(error.rule, `${error.reason} (line ${line})`);
    }
    if (error instanceof YAMLException && error.mark) {
      return parseFailure(
        'yaml',
        `is not valid YAML: ${withoutInput(error.reason)} at line ${error.mark.line + 1}, column ${error.mark.column + 1}`,
      );
    }
    return parseFailure('yaml', 'is not valid YAML');
  }
}

/**
 * A js-yaml listener that counts nesting and aliases. A collection reached a second time is an alias to it; if it
 * was first reached inside the node now closing, an alias sits inside its own anchor (a cycle).
 *
 * @returns The listener, with its own counters.
 */
function boundedEvents(): (event: 'open' | 'close', state: State) => void {
  const open: number[] = [];
  const firstClosedAt = new Map<object, number>();
  let aliases = 0;
  return (event, state) => {
    if (event === 'open') {
      open.push(state.position);
      if (open.length > INPUT_LIMITS.maxDepth) {
        throw new YamlLimit(state.position, 'input-limit', `nests deeper than ${INPUT_LIMITS.maxDepth} levels`);
      }
      return;
    }
    const start = open.pop() ?? 0;
    const result: unknown = state.result;
    if (result === null || typeof result !== 'object') return;
    const first = firstClosedAt.get(result);
    if (first === undefined) {
      firstClosedAt.set(result, start);
      return;
    }
    if (first > start) {
      throw new YamlLimit(first, 'cycle', 'an alias refers to a node that contains it (a cycle); a topology is a tree');
    }
    aliases += 1;
    if (aliases > MAX_YAML_ALIASES) {
      throw new YamlLimit(start, 'input-limit', `uses more than ${MAX_YAML_ALIASES} aliases`);
    }
  };
}

/** Skips the separation space before a node, so a line names the node, not the end of the line before it. */
function firstNonSpace(text: string, offset: number): number {
  const space = /[ \t\r\n]*/y;
  space.lastIndex = offset;
  space.test(text);
  return space.lastIndex;
}

/**
 * A js-yaml reason without the input it may quote.
 *
 * @param reason - The reason of a YAMLException (without js-yaml's source snippet).
 * @returns The reason, reworded when it would quote the input.
 */
function withoutInput(reason: string): string {
  const quoting = QUOTING_REASONS.find(([prefix]) => reason.startsWith(prefix));
  if (quoting) return quoting[1];
  return /^[\w ,;().-]+$/.test(reason) ? reason : 'syntax error';
}
