/**
 * Splits a command line into option values and positionals, with the conventions of Node's `util.parseArgs` (the
 * Open Group utility conventions plus GNU long options): `--name value` and `--name=value` for an option that takes a
 * value, `--flag` for one that does not, `-h` and groups such as `-hv` for short flags, `--` before arguments that are
 * never options, and a lone `-` as an argument. It is the CLI's own because `util.parseArgs` is a module Node loads
 * on first use: about 0.6 ms of a 22 ms start on Node 20, spent on every run (measured with `node -e`, against a bare
 * start), while the CLI's whole share of `validate` is 12 ms.
 *
 * @module
 */

/** How an option is written: whether it takes a value, its one-letter form, whether it may repeat. */
export interface ArgvOption {
  /** `string`: takes a value; `boolean`: a flag. */
  readonly type: 'string' | 'boolean';
  /** The one-letter form (`h` for `-h`). */
  readonly short?: string;
  /** Repeatable: its values are collected in order. */
  readonly multiple?: boolean;
}

/** What a command line holds. */
export interface ParsedArgv {
  /** Each option given, by long name: `true` for a flag, the value, or every value of a repeatable option. */
  readonly values: Readonly<Record<string, string | boolean | string[]>>;
  /** The arguments that are not options, in order. */
  readonly positionals: readonly string[];
}

/** A command line that does not fit its options, with the option as written (`--bogus`, `-x`). */
export class ArgvError extends Error {
  /** Always `ArgvError`. */
  override readonly name = 'ArgvError';

  /**
   * @param kind - `unknown`: no such option; `value`: a value missing, given to a flag, or ambiguous.
   * @param option - The option as written.
   * @param message - What is wrong, in one line.
   */
  constructor(
    readonly kind: 'unknown' | 'value',
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Parses a command line.
 *
 * Strict (the default): an option not in `options` is an {@link ArgvError} (`unknown`); so are an option that takes a
 * value without one, a flag given `=value`, and a value taken from the next argument that looks like an option
 * (`--out -x`, where `-x` was most likely meant as an option: write `--out=-x`). Not strict: an unknown option is a
 * flag (or its `=value`), and any next argument is a value; nothing is refused (to find the command word first).
 *
 * @param argv - The arguments after the program name.
 * @param options - The options, by long name.
 * @param strict - Refuse what does not fit (default `true`).
 * @returns The option values and the positionals.
 * @throws {@link ArgvError} in strict mode.
 */
export function parseArgv(
  argv: readonly string[],
  options: Readonly<Record<string, ArgvOption>>,
  strict = true,
): ParsedArgv {
  const values: Record<string, string | boolean | string[]> = {};
  const positionals: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, option] of Object.entries(options)) if (option.short) byShort.set(option.short, name);
  const store = (name: string, option: ArgvOption | undefined, value: string | boolean): void => {
    if (option?.multiple) {
      const list = values[name];
      values[name] = [...(Array.isArray(list) ? list : []), String(value)];
    } else values[name] = value;
  };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (arg.length < 2 || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    // `--name=value`, with a name of one character at least (`--=x` is an option named `=x`, as for parseArgs).
    const equals = long ? arg.indexOf('=', 3) : -1;
    // `-hv` is `-h -v`; a short option that takes a value takes the rest of the group (`-oDIR`), else the next argument.
    const written = long ? [equals < 0 ? arg : arg.slice(0, equals)] : [...arg.slice(1)].map((letter) => `-${letter}`);
    for (let position = 0; position < written.length; position++) {
      const option = written[position]!;
      const name = long ? option.slice(2) : (byShort.get(option.slice(1)) ?? option.slice(1));
      const spec = Object.hasOwn(options, name) ? options[name] : undefined;
      const inline = long ? (equals < 0 ? undefined : arg.slice(equals + 1)) : undefined;
      if (!spec) {
        if (strict) throw new ArgvError('unknown', option, `unknown option ${option}`);
        store(name, undefined, inline ?? true);
        continue;
      }
      if (spec.type === 'boolean') {
        if (inline !== undefined && strict) throw new ArgvError('value', option, `${option} takes no value`);
        store(name, spec, inline ?? true);
        continue;
      }
      const rest = long ? undefined : arg.slice(position + 2);
      let value = inline ?? (rest || undefined);
      if (value === undefined && index + 1 < argv.length) {
        value = argv[++index]!;
        if (strict && value.length > 1 && value.startsWith('-')) {
          throw new ArgvError(
            'value',
            option,
            `${option} needs a value, and ${value} looks like an option; to give a value that starts with -, write --${name}=${value}`,
          );
        }
      }
      if (value === undefined) {
        if (strict) throw new ArgvError('value', option, `${option} needs a value`);
        store(name, spec, true);
      } else store(name, spec, value);
      break;
    }
  }
  return { values, positionals };
}
