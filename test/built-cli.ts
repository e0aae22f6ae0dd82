import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI, as `npm run build` (and `npm ci`, through `prepare`) writes it. */
export const BUILT_CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

/** What one run of the built CLI printed, and its exit code. */
export interface BuiltCliResult {
  /** The exit code. */
  readonly code: number | null;
  /** Everything on stdout. */
  readonly out: string;
  /** Everything on stderr. */
  readonly err: string;
}

/**
 * Runs the built CLI as a subprocess, the way a user runs it.
 *
 * @param argv - The arguments, as after `talos-topology`.
 * @param env - Variables added to a minimal environment (`PATH` only, so no credential of the machine leaks in).
 * @returns The exit code and what it printed.
 */
export function runBuiltCli(argv: readonly string[], env: Record<string, string> = {}): Promise<BuiltCliResult> {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run npm run build first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUILT_CLI, ...argv], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}
