/**
 * What a `.ts`/`.js` topology threw while it loaded, in one line with the line and column it points at: never a
 * stack trace, never the source text that Node puts in a SyntaxError's stack.
 *
 * @module
 */
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A place in a file: 1-based line and column. */
interface Position {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * What a module threw, in one line. Only an Error's own message is shown: a thrown string or object may be anything,
 * a secret included.
 */
function thrownMessage(error: unknown): string {
  if (error instanceof Error) return String(error.message).split('\n')[0] ?? '';
  return `it threw ${error === null ? 'null' : `a ${typeof error}`}, not an Error`;
}

/**
 * tsx's syntax errors come from esbuild: `Transform failed with 1 error:` and then `<file>:<line>:<column>: ERROR:
 * <text>`, the column counted from 0 (esbuild's `Location.column`, `lib/shared/types.ts`).
 */
function esbuildSyntaxError(error: Error): { text: string; position: Position } | undefined {
  const match = /^(.+):(\d+):(\d+): ERROR: (.+)$/m.exec(String(error.message));
  if (error.name !== 'TransformError' || match === null) return undefined;
  const [, file = '', line = '', column = '', text = ''] = match;
  return { text, position: { file, line: Number(line), column: Number(column) + 1 } };
}

/**
 * Node puts the place of a SyntaxError (V8's, and type stripping's `ERR_INVALID_TYPESCRIPT_SYNTAX`) at the top of
 * its stack: `<file>:<line>`, the source lines, and a line of `^` under the error (Node's `decorateErrorStack`).
 * Only the numbers are taken from it.
 */
function decoratedSyntaxErrorPosition(stack: string): Position | undefined {
  const lines = stack.split('\n');
  const header = /^(.+):(\d+)$/.exec(lines[0] ?? '');
  const caret = lines.findIndex((line) => /^\s*\^+\s*$/.test(line));
  if (header === null || caret < 0) return undefined;
  return {
    file: pathOf(header[1] ?? ''),
    line: Number(header[2]),
    column: (lines[caret] ?? '').indexOf('^') + 1,
  };
}

function pathOf(location: string): string {
  if (!location.startsWith('file:')) return location;
  try {
    return fileURLToPath(location.replace(/\?.*$/, ''));
  } catch {
    return location;
  }
}

/** The `at` frames of a stack trace, each a file (a path or a `file:` URL), a line and a column. */
function stackFrames(stack: string): Position[] {
  const frames: Position[] = [];
  for (const line of stack.split('\n')) {
    const match = /^\s+at (?:.*\()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (match === null) continue;
    frames.push({ file: pathOf(match[1] ?? ''), line: Number(match[2]), column: Number(match[3]) });
  }
  return frames;
}

/** This package's own code (`dist/` when built, `src/` in the tests): never the place a user's error points at. */
const OWN_CODE = resolve(dirname(fileURLToPath(import.meta.url)), '..') + sep;

/**
 * Where a runtime error points: the first frame inside the topology file, else the first inside the topology's
 * folder, outside `node_modules` and this package's code (a module of the user's that the topology imports).
 */
function runtimePosition(stack: string, file: string): Position | undefined {
  const topology = resolve(file);
  const folder = dirname(topology) + sep;
  const frames = stackFrames(stack);
  return (
    frames.find((frame) => resolve(frame.file) === topology) ??
    frames.find((frame) => {
      const path = resolve(frame.file);
      return path.startsWith(folder) && !path.startsWith(OWN_CODE) && !path.includes(`${sep}node_modules${sep}`);
    })
  );
}

function describePosition(position: Position, file: string): string {
  const at = `line ${position.line}, column ${position.column}`;
  const path = resolve(position.file);
  return path === resolve(file) ? `(${at})` : `(${relative(process.cwd(), path)}, ${at})`;
}

/**
 * Describes what a topology module threw while loading: the Error's own first line of message and where it points.
 *
 * @param error - What was thrown.
 * @param file - The topology file.
 * @returns One line, e.g. `Expression expected (line 2, column 19)`.
 */
export function moduleErrorMessage(error: unknown, file: string): string {
  if (!(error instanceof Error)) return thrownMessage(error);
  const esbuild = esbuildSyntaxError(error);
  if (esbuild !== undefined) return `${esbuild.text} ${describePosition(esbuild.position, file)}`;
  const stack = typeof error.stack === 'string' ? error.stack : '';
  const position =
    error instanceof SyntaxError
      ? (decoratedSyntaxErrorPosition(stack) ?? runtimePosition(stack, file))
      : runtimePosition(stack, file);
  const message = thrownMessage(error);
  return position === undefined ? message : `${message} ${describePosition(position, file)}`;
}
