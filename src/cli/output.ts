import { processStreamAccess, standardStreamWriter } from './standard-stream-writer.js';

/** Where the CLI prints; tests pass their own. */
export interface Output {
  /** Prints to standard output. */
  out(text: string): void;
  /** Prints to standard error. */
  err(text: string): void;
}

const writeOut = standardStreamWriter(1, processStreamAccess(1));
const writeErr = standardStreamWriter(2, processStreamAccess(2));

/** Standard output and error of the process, each text ending in a newline. */
export const processOutput: Output = {
  out: (text) => writeOut(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => writeErr(text.endsWith('\n') ? text : `${text}\n`),
};

/**
 * Prints a value as indented JSON.
 *
 * @param output - Where to print.
 * @param value - The value.
 */
export function printJson(output: Output, value: unknown): void {
  output.out(JSON.stringify(value, null, 2));
}

/**
 * Prints a command's result for `--json`: `{ "ok": true, ...result }`.
 *
 * @param output - Where to print.
 * @param result - The command's result fields.
 */
export function printOk(output: Output, result: Readonly<Record<string, unknown>>): void {
  printJson(output, { ok: true, ...result });
}

/**
 * The `example` field of `--json` output: present, and `true`, only for the built-in example.
 *
 * @param example - Whether the topology is the built-in example.
 * @returns `{ example: true }` or nothing.
 */
export function exampleField(example: boolean): { example?: true } {
  return example ? { example: true } : {};
}
