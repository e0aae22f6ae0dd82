import { readFileSync } from 'node:fs';
import { formatIssues, TopologyError } from '../models/issue.js';
import type { TopologyIssue } from '../models/issue.js';
import { ArtifactSetError } from '../generators/artifact-set-error.js';
import type { CliArgs } from './args.js';
import { parseCliArgs, USAGE, UsageError } from './args.js';
import { createProgressPrinter, quietProgress } from './progress.js';
import type { Output } from './output.js';
import { printJson } from './output.js';
import type { CliEnvVariables } from './targets.js';
import { TARGETS } from './targets.js';

/** Exit codes: 0 success, 1 invalid input or failure, 2 stale output or planned changes. */
export type ExitCode = 0 | 1 | 2;

/** What the CLI needs from its surroundings, so tests can run it in-process. */
export interface CliEnvironment {
  /** Where to print. */
  readonly output: Output;
  /** Loads the built-in example topology. */
  readonly builtInExample: () => Promise<unknown>;
  /** Where credentials and endpoints come from (`process.env` for the real CLI). */
  readonly env: CliEnvVariables;
}

function printIssues(env: CliEnvironment, args: CliArgs, source: string, issues: readonly TopologyIssue[]): void {
  if (args.json) printJson(env.output, { source, issues });
  else if (issues.length > 0) env.output.err(formatIssues(issues, source));
}

async function runTarget(args: CliArgs, env: CliEnvironment): Promise<ExitCode> {
  const { formatPlan, planHasChanges, planToJson, readArtifactSet } = await import('./engine.js');
  const open = Object.hasOwn(TARGETS, args.target ?? '') ? TARGETS[args.target ?? ''] : undefined;
  if (!open) throw new UsageError(`unknown target "${args.target}" (known: ${Object.keys(TARGETS).join(', ')})`);
  const set = await readArtifactSet(args.out);
  const warnings: string[] = [];
  const logger = {
    warn: (message: string): void => {
      warnings.push(message);
      env.output.err(`warning: ${message}`);
    },
  };
  const onWait = args.quiet ? quietProgress : createProgressPrinter((line) => env.output.err(line));
  const session = await open(args, env.env, (message) => env.output.err(message), logger, onWait);
  const noted = (): { warnings?: string[] } => (warnings.length ? { warnings } : {});
  try {
    if (args.command === 'plan') {
      const plan = await session.plan(set);
      if (args.json) printJson(env.output, { ...planToJson(plan), ...noted() });
      else env.output.out(formatPlan(plan, { color: args.color }));
      return planHasChanges(plan) ? 2 : 0;
    }
    const result = await session.apply(set);
    if (args.json) {
      printJson(env.output, {
        ...planToJson(result.plan),
        applied: result.applied,
        skipped: result.skipped,
        ...noted(),
      });
    } else {
      env.output.out(formatPlan(result.plan, { color: args.color }));
      env.output.out(`applied ${result.applied.length} change${result.applied.length === 1 ? '' : 's'}`);
      for (const change of result.skipped)
        env.output.err(`skipped: ${change.kind} ${change.id} (${change.note ?? ''})`);
    }
    // An adoption left undone means the live system still differs from --out without the user's consent to change it.
    return result.skipped.some((change) => change.action === 'adopt') ? 2 : 0;
  } finally {
    await session.close();
  }
}

async function runStatus(args: CliArgs, env: CliEnvironment): Promise<ExitCode> {
  const { createOmniClient, omniClientOptionsFromEnv, waitForClusterReady } = await import('../clients/omni/index.js');
  const client = await createOmniClient(omniClientOptionsFromEnv(env.env));
  try {
    const cluster = args.cluster ?? '';
    const onWait = args.quiet ? quietProgress : createProgressPrinter((line) => env.output.err(line));
    const readiness = await waitForClusterReady(client, cluster, { timeoutMs: args.timeoutSeconds * 1000, onWait });
    if (args.json) printJson(env.output, readiness);
    else {
      const sets = Object.keys(readiness.machineSets).sort();
      env.output.out(
        `cluster ${cluster} is ready: ${sets.length} machine set${sets.length === 1 ? '' : 's'} (${sets.join(', ')}) running`,
      );
    }
    return 0;
  } finally {
    client.close();
  }
}

function generateFrom<T>(
  source: string,
  locate: (issues: readonly TopologyIssue[]) => readonly TopologyIssue[],
  run: () => T,
): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof TopologyError && error.source === undefined)
      throw new TopologyError(locate(error.issues), source);
    throw error;
  }
}

async function runCommand(args: CliArgs, env: CliEnvironment): Promise<ExitCode> {
  const engine = await import('./engine.js');
  const { checkTopology, findStaleFiles, generate, loadTopology, RULES, topologyJsonSchema, writeArtifacts } = engine;
  if (args.command === 'schema') {
    printJson(env.output, topologyJsonSchema());
    return 0;
  }
  if (args.command === 'plan' || args.command === 'apply') return runTarget(args, env);
  if (args.command === 'status') return runStatus(args, env);
  if (args.command === 'emulate') return (await import('./emulate.js')).runEmulate(env.output, args.json);
  const unknownRules = args.skipRules.filter((id) => !RULES.some((rule) => rule.id === id));
  if (unknownRules.length > 0) {
    const known = RULES.map((rule) => rule.id).sort();
    throw new UsageError(`--skip-rule: no rule ${unknownRules.join(', ')} (rules: ${known.join(', ')})`);
  }
  const { topology, source, locate } = await loadTopology(args.file, env.builtInExample);
  const skip = { skip: args.skipRules };
  if (args.command === 'validate') {
    const issues = locate(checkTopology(topology, skip));
    printIssues(env, args, source, issues);
    const failed = issues.some((issue) => issue.severity === 'error');
    if (!args.json && !failed)
      env.output.out(`${source}: valid (${issues.length} warning${issues.length === 1 ? '' : 's'})`);
    return failed ? 1 : 0;
  }
  // check: a manifest that vouches for the folder spares generating and comparing (warnings are still printed).
  const current = args.command === 'check' && (await engine.isCurrentByManifest(topology, skip, args.out));
  const result = current
    ? { artifacts: [], warnings: checkTopology(topology, skip).filter((issue) => issue.severity === 'warning') }
    : generateFrom(source, locate, () => generate(topology, skip));
  const warnings = locate(result.warnings);
  if (!args.json) printIssues(env, args, source, warnings);
  if (args.command === 'generate') {
    const written = await writeArtifacts(result, args.out, { force: args.force });
    if (args.json) printJson(env.output, { source, out: args.out, warnings, ...written });
    else {
      env.output.out(
        `${source}: ${result.artifacts.length} artifacts in ${args.out} (${written.written.length} written, ${written.unchanged.length} unchanged, ${written.removed.length} removed)`,
      );
    }
    return 0;
  }
  const stale = current ? [] : await findStaleFiles(result, args.out);
  if (args.json) printJson(env.output, { source, out: args.out, stale });
  else if (stale.length === 0) env.output.out(`${args.out} is up to date with ${source}`);
  else {
    for (const file of stale) env.output.out(file.diff);
    env.output.err(
      `${args.out} is stale: ${stale.length === 1 ? '1 file differs' : `${stale.length} files differ`}; run talos-topology generate`,
    );
  }
  return stale.length === 0 ? 0 : 2;
}

/** The package's version, read from its `package.json` (two folders up from both `src/cli` and `dist/cli`). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/**
 * Runs the CLI: parses arguments, runs the command, prints results, and turns every expected failure into a clear
 * one-line-per-problem message (never a stack trace).
 *
 * @param argv - Arguments after the program name.
 * @param env - Output and the built-in example.
 * @returns The exit code.
 */
export async function runCli(argv: readonly string[], env: CliEnvironment): Promise<ExitCode> {
  try {
    const args = parseCliArgs(argv);
    if (!args) {
      env.output.out(USAGE);
      return 0;
    }
    if (args === 'version') {
      env.output.out(packageVersion());
      return 0;
    }
    return await runCommand(args, env);
  } catch (error) {
    if (error instanceof TopologyError) {
      env.output.err(formatIssues(error.issues, error.source));
    } else if (error instanceof UsageError) {
      env.output.err(`talos-topology: ${error.message}\nrun talos-topology --help for the commands and options`);
    } else if (error instanceof ArtifactSetError) {
      env.output.err(`talos-topology: ${error.message}`);
    } else {
      env.output.err(`talos-topology: ${(error as Error).message ?? String(error)}`);
    }
    return 1;
  }
}
