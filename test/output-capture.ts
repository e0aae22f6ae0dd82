import { inspect } from 'node:util';
import { afterEach, beforeEach, vi } from 'vitest';

/** Everything a test's code printed, logged, warned or threw, as text to scan for secrets. */
export interface CapturedOutput {
  /** The captured texts, in order. */
  readonly printed: string[];
  /** Adds every rendering of an error (message, stack, JSON, inspected with causes) to `printed`. */
  record(error: unknown): void;
}

/**
 * Captures stdout, stderr, the console and process warnings around each test of the file that calls it.
 *
 * @returns The capture; `printed` is emptied before each test.
 */
export function captureOutput(): CapturedOutput {
  const printed: string[] = [];
  const onWarning = (warning: Error): void => void printed.push(`${warning.name} ${warning.message}`);
  beforeEach(() => {
    printed.length = 0;
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
        printed.push(String(chunk));
        return write(chunk as string, ...(rest as []));
      });
    }
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation(
        (...args: unknown[]) => void printed.push(args.map((arg) => inspect(arg, { depth: 10 })).join(' ')),
      );
    }
    process.on('warning', onWarning);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.off('warning', onWarning);
  });
  return {
    printed,
    record(error) {
      printed.push(
        String(error),
        (error as Error).stack ?? '',
        JSON.stringify(error),
        inspect(error, { depth: 10, showHidden: true }),
      );
    },
  };
}
