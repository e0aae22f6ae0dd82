/**
 * Parses a JSON topology. `JSON.parse` keeps the last of two equal keys silently (YAML refuses them) and quotes the
 * input around a syntax error; this scanner checks the syntax first, without recursion, and reports duplicate keys
 * with their path and lines, and syntax errors with a line and a column only.
 *
 * @module
 */
import { INPUT_LIMITS } from '../models/input-bounds.js';
import type { TopologyIssue } from '../models/issue.js';
import type { ParsedInput } from './parsed-input.js';
import { parseFailure, positionAt, withoutByteOrderMark } from './parsed-input.js';
import type { PositionNode } from './source-positions.js';
import { SourcePositions } from './source-positions.js';

/** At most this many duplicate keys are reported. */
const MAX_DUPLICATE_ISSUES = 50;

/** An object or array being scanned. */
interface Container {
  readonly kind: 'object' | 'array';
  /** The path of the container. */
  readonly path: readonly string[];
  /** Its node in the position index. */
  readonly node: PositionNode;
  /** The node of the current member. */
  memberNode: PositionNode | undefined;
  /** Keys seen so far with the line of each (objects). */
  readonly keys: Map<string, number>;
  /** The current key, or the current index as text. */
  member: string;
  /** Items seen so far (arrays). */
  items: number;
}

/** Stops the scan at a syntax error, with the offset it was found at. */
class SyntaxAt extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * Parses JSON topology text.
 *
 * @param source - The file's text (a leading byte order mark is ignored).
 * @returns The value with the position of every key and array item, or issues: rule `json` for a syntax error
 *   (line and column, never the text), rule `duplicate-key` for each key declared twice in one object, rule
 *   `input-limit` for nesting deeper than {@link INPUT_LIMITS}.
 */
export function parseJson(source: string): ParsedInput {
  const text = withoutByteOrderMark(source);
  const positions = new SourcePositions(text);
  let issues: TopologyIssue[];
  try {
    issues = scan(text, positions);
  } catch (error) {
    if (!(error instanceof SyntaxAt)) throw error;
    const position = positionAt(text, error.offset);
    return parseFailure(
      'json',
      `is not valid JSON: ${error.reason} at line ${position.line}, column ${position.column}`,
      '',
      position,
    );
  }
  if (issues.length > 0) return { success: false, issues: positions.locate(issues) };
  return { success: true, value: JSON.parse(text) as unknown, positions };
}

/**
 * Checks JSON syntax without building values.
 *
 * @param text - JSON text.
 * @param positions - Receives the offset of every key and array item.
 * @returns Duplicate-key and nesting issues.
 * @throws SyntaxAt at the first syntax error.
 */
function scan(text: string, positions: SourcePositions): TopologyIssue[] {
  const issues: TopologyIssue[] = [];
  const stack: Container[] = [];
  let offset = 0;
  let line = 1;
  let lineStart = 0;

  const skipWhitespace = (): void => {
    for (;;) {
      const char = text[offset];
      if (char === '\n') {
        line += 1;
        lineStart = offset + 1;
      } else if (char !== ' ' && char !== '\t' && char !== '\r') return;
      offset += 1;
    }
  };
  const fail = (reason: string): never => {
    throw new SyntaxAt(offset, offset >= text.length ? 'unexpected end of the file' : reason);
  };
  const scanString = (): string => {
    const start = offset;
    offset += 1;
    for (;;) {
      const code = text.charCodeAt(offset);
      if (Number.isNaN(code)) fail('unterminated string');
      if (code === 0x22) break;
      if (code < 0x20) fail('control character in a string (escape it)');
      if (code === 0x5c) {
        const escape = text[offset + 1] ?? '';
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(offset + 2, offset + 6))) fail('bad \\u escape in a string');
          offset += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(escape) || escape === '') fail('bad escape in a string');
        offset += 2;
        continue;
      }
      offset += 1;
    }
    offset += 1;
    return text.slice(start, offset);
  };
  const scanScalar = (): void => {
    const char = text[offset] ?? '';
    if (char === '"') {
      scanString();
      return;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, offset)) {
        offset += literal.length;
        return;
      }
    }
    const number = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    number.lastIndex = offset;
    if (!number.test(text) || number.lastIndex === offset) fail('unexpected character');
    offset = number.lastIndex;
  };
  const memberPath = (): readonly string[] => {
    const top = stack.at(-1);
    return top ? [...top.path, top.member] : [];
  };
  const scanKey = (container: Container): void => {
    skipWhitespace();
    if (text[offset] !== '"') fail('expected a key in double quotes');
    const keyLine = line;
    const keyOffset = offset;
    const key = JSON.parse(scanString()) as string;
    container.memberNode = positions.add(container.node, key, keyOffset);
    const first = container.keys.get(key);
    if (first !== undefined && issues.length < MAX_DUPLICATE_ISSUES) {
      issues.push({
        path: [...container.path, key].join('.'),
        rule: 'duplicate-key',
        message: `is declared twice in one object (lines ${first} and ${keyLine}); JSON would keep only the last: remove one`,
        severity: 'error',
        line: keyLine,
        column: keyOffset - lineStart + 1,
      });
    } else if (first === undefined) container.keys.set(key, keyLine);
    container.member = key;
    skipWhitespace();
    if (text[offset] !== ':') fail("expected ':' after a key");
    offset += 1;
  };

  // Each turn reads one value: a scalar, or the opening of a container; then closes what ends after it.
  for (;;) {
    skipWhitespace();
    const char = text[offset];
    const parent = stack.at(-1);
    if (parent?.kind === 'array') parent.memberNode = positions.add(parent.node, parent.member, offset);
    if (char === '{' || char === '[') {
      const path = memberPath();
      if (stack.length >= INPUT_LIMITS.maxDepth) {
        issues.push({
          path: path.join('.'),
          rule: 'input-limit',
          message: `nests deeper than ${INPUT_LIMITS.maxDepth} levels (line ${line})`,
          severity: 'error',
        });
        return issues;
      }
      offset += 1;
      const container: Container = {
        kind: char === '{' ? 'object' : 'array',
        path,
        node: parent?.memberNode ?? positions.root,
        memberNode: undefined,
        keys: new Map(),
        member: '0',
        items: 0,
      };
      stack.push(container);
      skipWhitespace();
      if (text[offset] === (char === '{' ? '}' : ']')) {
        offset += 1;
        stack.pop();
      } else {
        if (container.kind === 'object') scanKey(container);
        continue;
      }
    } else {
      scanScalar();
    }
    // After a value: a comma continues its container, a bracket closes it.
    for (;;) {
      const top = stack.at(-1);
      skipWhitespace();
      if (!top) {
        if (offset < text.length) fail('unexpected text after the end of the document');
        return issues;
      }
      const close = top.kind === 'object' ? '}' : ']';
      if (text[offset] === close) {
        offset += 1;
        stack.pop();
        continue;
      }
      if (text[offset] !== ',') fail(`expected ',' or '${close}'`);
      offset += 1;
      if (top.kind === 'object') scanKey(top);
      else top.member = String((top.items += 1));
      break;
    }
  }
}
