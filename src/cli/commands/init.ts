import { constants } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../args.js';
import type { CommandRun } from '../context.js';
import { printOk } from '../output.js';
import { STARTER_TYPESCRIPT, STARTER_YAML } from '../starter-topology.js';

/**
 * `init [file] [--yaml|--ts] [--force]`: writes the commented starter topology (see `starter-topology.ts`), refusing
 * to overwrite an existing file without `--force`.
 *
 * @param context - The command line and the surroundings.
 * @returns The exit code.
 * @throws {@link UsageError} when the file exists and `--force` was not given.
 */
export const runInit: CommandRun = async ({ args, env }) => {
  const name = args.file ?? (args.typescript ? 'topology.ts' : 'topology.yaml');
  const file = resolve(env.cwd ?? '.', name);
  const typescript = args.typescript || name.endsWith('.ts');
  if (!/\.(ya?ml|ts)$/.test(name) || (args.typescript && !name.endsWith('.ts'))) {
    throw new UsageError(`init writes a .yaml, .yml or .ts topology (with --ts: .ts), not ${name}`);
  }
  try {
    // O_EXCL: the check and the write are one step, so a file created meanwhile is not overwritten either.
    const flag = args.force ? 'w' : constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
    await writeFile(file, typescript ? STARTER_TYPESCRIPT : STARTER_YAML, { flag });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UsageError(`${name} already exists; pass --force to overwrite it`);
    }
    throw new Error(`cannot write ${name} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (args.json) printOk(env.output, { file: name });
  else env.output.out(`wrote ${name}: change the values marked CHANGE, then run talos-topology validate`);
  return 0;
};
