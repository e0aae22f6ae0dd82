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
import type { ParsedInput, TextPosition } from './parsed-input.js';
import { parseFailure, positionAt, withoutByteOrderMark } from './parsed-input.js';
import type { PositionNode } from './source-positions.js';
import { SourcePositions } from './source-positions.js';

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
 * @returns The value with the position of every key and sequence item, or one issue: rule `yaml` for a syntax
 *   error (its reason, line and column, never the text), `cycle` for an alias inside its own anchor, `input-limit`
 *   for nesting deeper than {@link INPUT_LIMITS} or more than {@link MAX_YAML_ALIASES} aliases.
 */
export function parseYaml(source: string): ParsedInput {
  const text = withoutByteOrderMark(source);
  const positions = new SourcePositions(text);
  const root: NodeFrame = { start: 0, children: [], result: undefined, kind: null, members: undefined };
  const open: NodeFrame[] = [root];
  try {
    const value: unknown = load(text, { listener: boundedEvents(text, open) });
    const document = root.children?.[0];
    positions.root.members = document?.members;
    return { success: true, value, positions };
  } catch (error) {
    if (error instanceof YamlLimit) {
      const position = positionAt(text, firstNonSpace(text, error.offset));
      return parseFailure(error.rule, `${error.reason} (line ${position.line})`, '', position);
    }
    if (error instanceof YAMLException && error.mark) {
      const mark = { line: error.mark.line + 1, column: error.mark.column + 1 };
      const opened = openedAt(text, open, error.reason);
      const note = opened ? ` (the ${opened.construct} opened at line ${opened.line}, column ${opened.column})` : '';
      // At the end of the file js-yaml's mark says nothing: the place to fix is where the construct opened.
      const position = opened && /end of the stream/.test(error.reason) ? opened : mark;
      return parseFailure(
        'yaml',
        `is not valid YAML: ${withoutInput(error.reason)} at line ${mark.line}, column ${mark.column}${note}`,
        '',
        { line: position.line, column: position.column },
      );
    }
    return parseFailure('yaml', 'is not valid YAML');
  }
}

/** The constructs js-yaml reports as left open, with the character that opens each. */
const OPEN_CONSTRUCTS: readonly (readonly [RegExp, string, string])[] = [
  [/within a flow collection|flow collection entries/, '[{', 'flow collection'],
  [/within a double quoted scalar/, '"', 'double-quoted string'],
  [/within a single quoted scalar/, "'", 'single-quoted string'],
];

/**
 * Finds where a construct that a syntax error says is unclosed (a flow collection, a quoted string) opened: the
 * innermost node still open when js-yaml stopped that starts with its opening character.
 *
 * @param text - The parsed text.
 * @param open - The nodes open when js-yaml stopped, outermost first.
 * @param reason - js-yaml's reason.
 * @returns The construct's name and position, or `undefined` when the error is about something else.
 */
function openedAt(
  text: string,
  open: readonly NodeFrame[],
  reason: string,
): (TextPosition & { readonly construct: string }) | undefined {
  const construct = OPEN_CONSTRUCTS.find(([pattern]) => pattern.test(reason));
  if (!construct) return undefined;
  for (let index = open.length - 1; index > 0; index--) {
    const start = firstNonSpace(text, open[index]?.start ?? 0);
    if (construct[1].includes(text[start] ?? '')) return { ...positionAt(text, start), construct: construct[2] };
  }
  return undefined;
}

/** One node js-yaml composed: where it opened, the nodes composed inside it, and what it became. */
interface NodeFrame {
  /** The offset at which js-yaml opened it. */
  readonly start: number;
  /**
   * Nodes opened inside it while it is open, in order: for a mapping, keys and values (and empty tries); for a
   * sequence, items. Dropped when it closes, once its members are known.
   */
  children: NodeFrame[] | undefined;
  /** The value it built. */
  result: unknown;
  /** `mapping`, `sequence`, `scalar`, or `null` for an empty node. */
  kind: string | null;
  /** Where each of its keys or items starts, once it has closed. */
  members: Map<string, PositionNode> | undefined;
}

/**
 * The positions of a closed node's members. js-yaml composes a mapping's key, then its value (an empty value or a
 * failed try at a next key is a node with kind `null`), so a key is a scalar child whose text is a key of the result
 * and a value is the child after it that holds exactly that key's value. An alias has no children: the paths inside
 * it take the alias's position. A block collection js-yaml tried as a mapping key and kept as the node itself nests
 * once more with the same result: the inner node's members are the node's.
 *
 * @param text - The parsed text.
 * @param frame - A node that has just closed.
 * @returns Its members' positions, or `undefined` for a scalar, an alias or an empty collection.
 */
function membersOf(text: string, frame: NodeFrame): Map<string, PositionNode> | undefined {
  const { children = [], result } = frame;
  const only = children.length === 1 ? children[0] : undefined;
  if (only && only.result === result) return only.members;
  if (frame.kind === 'sequence' && Array.isArray(result) && children.length === result.length) {
    const members = new Map<string, PositionNode>();
    children.forEach((item, index) => {
      members.set(String(index), { offset: firstNonSpace(text, item.start), members: item.members });
    });
    return members;
  }
  if (frame.kind !== 'mapping' || result === null || typeof result !== 'object') return undefined;
  const values = result as Record<string, unknown>;
  const members = new Map<string, PositionNode>();
  for (let index = 0; index < children.length; index++) {
    const key = children[index];
    const name = String(key?.result);
    if (key?.kind !== 'scalar' || !Object.hasOwn(values, name) || members.has(name)) continue;
    const value = children[index + 1];
    const paired = value !== undefined && Object.is(values[name], value.result);
    members.set(name, { offset: key.start, members: paired ? value.members : undefined });
    if (paired) index += 1;
  }
  return members;
}

/**
 * A js-yaml listener that counts nesting and aliases, and records the node tree under the first frame of `open`. A
 * collection reached a second time is an alias to it; if it was first reached inside the node now closing, an alias
 * sits inside its own anchor (a cycle).
 *
 * @param text - The parsed text.
 * @param open - The root frame, which receives the document's nodes; the nodes open at any moment follow it.
 * @returns The listener, with its own counters.
 */
function boundedEvents(text: string, open: NodeFrame[]): (event: 'open' | 'close', state: State) => void {
  const firstClosedAt = new Map<object, number>();
  let aliases = 0;
  return (event, state) => {
    if (event === 'open') {
      const frame: NodeFrame = {
        start: state.position,
        children: undefined,
        result: undefined,
        kind: null,
        members: undefined,
      };
      const parent = open.at(-1);
      if (parent) (parent.children ??= []).push(frame);
      open.push(frame);
      if (open.length - 1 > INPUT_LIMITS.maxDepth) {
        throw new YamlLimit(state.position, 'input-limit', `nests deeper than ${INPUT_LIMITS.maxDepth} levels`);
      }
      return;
    }
    const frame = open.length > 1 ? open.pop() : undefined;
    const start = frame?.start ?? 0;
    const result: unknown = state.result;
    if (frame) {
      frame.result = result;
      frame.kind = state.kind;
      frame.members = membersOf(text, frame);
      frame.children = undefined;
    }
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
