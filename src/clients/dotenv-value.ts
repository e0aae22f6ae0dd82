/**
 * How a secret is written as a value of a Docker Compose `.env` file so that Compose reads it back unchanged, and how
 * such a value is read again. Compose's env-file syntax (docs.docker.com/compose/env-file, "Syntax for environment
 * files in Docker Compose"): unquoted and double-quoted values are interpolated (`$NAME`, `${NAME}`), an unquoted
 * value loses a ` #…` comment and its surrounding spaces, while a single-quoted value is used literally; inside double
 * quotes `\"` is a quote and `\\` a backslash; `\` also escapes the closing quote of a single-quoted value.
 *
 * @module
 */

/**
 * The text to put after `NAME=` so that Compose reads exactly `value`: single-quoted when the value holds no `'` and
 * does not end in `\`; otherwise double-quoted with `\` and `"` escaped, which only works without `$` (Compose's
 * documentation gives no literal form of `$` inside double quotes).
 *
 * @param name - The variable, named in the error.
 * @param value - The value (one line).
 * @returns The quoted value.
 * @throws Error naming the variable, never the value, when no quoting keeps the value literal.
 */
export function quoteDotenvValue(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`${name} spans several lines; a .env value must be one line`);
  if (!value.includes("'") && !value.endsWith('\\')) return `'${value}'`;
  if (value.includes('$')) {
    throw new Error(
      `${name} holds both a single quote (or a final backslash) and a dollar sign, which no Docker Compose .env quoting keeps literally; choose another value`,
    );
  }
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/**
 * Reads a value written by {@link quoteDotenvValue} back; any other text (an unquoted value, e.g. written by hand) as
 * it is.
 *
 * @param text - What follows `NAME=` on the line.
 * @returns The value.
 */
export function unquoteDotenvValue(text: string): string {
  const single = /^'([^']*)'$/.exec(text);
  if (single) return single[1] ?? '';
  const double = /^"((?:[^"\\]|\\.)*)"$/.exec(text);
  if (double) return (double[1] ?? '').replace(/\\(.)/g, '$1');
  return text;
}
