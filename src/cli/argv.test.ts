import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ArgvError, parseArgv } from './argv.js';
import type { ArgvOption } from './argv.js';

const OPTIONS: Record<string, ArgvOption> = {
  out: { type: 'string' },
  json: { type: 'boolean' },
  'skip-rule': { type: 'string', multiple: true },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  level: { type: 'string', short: 'l' },
};

/** What Node's `util.parseArgs` makes of a command line: the values and positionals, or that it refuses it. */
function nodeParse(args: string[], strict: boolean): { values: object; positionals: readonly string[] } | 'refused' {
  try {
    const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict });
    return { values: { ...values }, positionals };
  } catch {
    return 'refused';
  }
}

function ownParse(args: string[], strict: boolean): { values: object; positionals: readonly string[] } | 'refused' {
  try {
    const { values, positionals } = parseArgv(args, OPTIONS, strict);
    return { values: { ...values }, positionals };
  } catch (error) {
    if (!(error instanceof ArgvError)) throw error;
    return 'refused';
  }
}

// Command lines of every form the conventions cover, valid and not.
const LINES: string[][] = [
  [],
  ['validate'],
  ['validate', 'topology.yaml', '--json'],
  ['generate', '--out', 'dist'],
  ['generate', '--out=dist', 'topology.ts'],
  ['generate', '--out=', 'x'],
  ['generate', '--out'],
  ['generate', '--out', '-'],
  ['generate', '--out', '--json'],
  ['generate', '--out', '-x'],
  ['generate', '--out=-x'],
  ['--json', 'help'],
  ['validate', '--skip-rule', 'a', '--skip-rule=b', '--skip-rule', 'c'],
  ['validate', '--out', 'a', '--out', 'b'],
  ['validate', '--json=yes'],
  ['validate', '--bogus'],
  ['validate', '--bogus=1', 'file'],
  ['validate', '-h'],
  ['-hv'],
  ['-vx'],
  ['-x'],
  ['-', 'file'],
  ['validate', '--', '--json', '-h'],
  ['validate', '-l', 'debug'],
  ['validate', '-ldebug'],
  ['validate', '-hldebug'],
  ['validate', '-l'],
  ['validate', '-l', '-h'],
  ['validate', '--no-color', 'file'],
  ['--__proto__', 'x'],
  ['--constructor'],
  ['---json'],
  ['--=x'],
];

describe('parseArgv', () => {
  it.each(LINES.flatMap((line) => [true, false].map((strict) => [line, strict] as const)))(
    'reads %j as util.parseArgs does (strict: %s)',
    (line, strict) => {
      expect(ownParse([...line], strict)).toEqual(nodeParse([...line], strict));
    },
  );

  it('names the option and what is wrong, in one line', () => {
    const refusal = (line: string[]): ArgvError => {
      try {
        parseArgv(line, OPTIONS);
      } catch (error) {
        return error as ArgvError;
      }
      throw new Error(`${line.join(' ')} was accepted`);
    };
    expect(refusal(['--bogus'])).toMatchObject({
      kind: 'unknown',
      option: '--bogus',
      message: 'unknown option --bogus',
    });
    expect(refusal(['-x'])).toMatchObject({ kind: 'unknown', option: '-x' });
    expect(refusal(['--out'])).toMatchObject({ kind: 'value', message: '--out needs a value' });
    expect(refusal(['--json=1'])).toMatchObject({ kind: 'value', message: '--json takes no value' });
    expect(refusal(['--out', '-x']).message).toBe(
      '--out needs a value, and -x looks like an option; to give a value that starts with -, write --out=-x',
    );
  });
});
