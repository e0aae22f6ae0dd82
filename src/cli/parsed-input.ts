/**
 * What parsing a topology file gives: the value, or issues that name a line and a column but never quote the
 * input (a syntax error can sit inside a secret).
 *
 * @module
 */
import type { TopologyIssue } from '../models/issue.js';
import type { SourcePositions } from './source-positions.js';

/** A parsed topology file: its value with where each of its paths is, or the issues that stopped parsing. */
export type ParsedInput =
  | { readonly success: true; readonly value: unknown; readonly positions: SourcePositions }
  | { readonly success: false; readonly issues: readonly TopologyIssue[] };

/** Where something is in a text, both counted from 1. */
export interface TextPosition {
  /** The line. */
  readonly line: number;
  /** The column, in UTF-16 code units. */
  readonly column: number;
}

/**
 * Finds the line and column of an offset.
 *
 * @param text - The whole text.
 * @param offset - A 0-based offset into it.
 * @returns The 1-based line and column.
 */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * A failed parse with one issue for the whole file.
 *
 * @param rule - The rule id (`json`, `yaml`, `input-limit`, ...).
 * @param message - What is wrong; it must not quote the input.
 * @param path - Where in the topology, when known.
 * @param position - Where in the file, when known.
 * @returns The failed parse.
 */
export function parseFailure(rule: string, message: string, path = '', position?: TextPosition): ParsedInput {
  return { success: false, issues: [{ path, rule, message, severity: 'error', ...position }] };
}

/** The UTF-8 byte order mark some Windows editors write first; it is not part of the document. */
const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Drops a leading byte order mark, which JSON.parse would report as an invisible unexpected character.
 *
 * @param text - A file's text.
 * @returns The text without a leading byte order mark.
 */
export function withoutByteOrderMark(text: string): string {
  return text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
}
