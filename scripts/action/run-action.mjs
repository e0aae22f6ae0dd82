// The GitHub Action's work (action.yml runs it with Node from the action's own folder; it needs no build and no
// dependency): `validate`, `check` (an out/ that differs from the topology fails the job) and `plan --format markdown`
// with the talos-topology CLI the project itself installed, then one pull-request comment kept up to date (found by
// its hidden marker, edited in place) and the job summary. Outside a pull request, or with `comment: false`, only the
// job summary is written.
//
// It reads what GitHub Actions sets for every step (GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_API_URL,
// GITHUB_STEP_SUMMARY; "Store information in variables" in GitHub's docs), the token as GITHUB_TOKEN, and the
// action's inputs as INPUT_TOPOLOGY, INPUT_OUT, INPUT_TARGETS and INPUT_COMMENT (action.yml passes them; a composite
// action's inputs are not in the environment by themselves). TALOS_TOPOLOGY_CLI names the CLI's main file instead of
// the project's installed one (the tests point it at a fresh build). Exit 0 when every step passed and the comment
// was written, else 1.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { commentBody } from './comment-body.mjs';
import { gitHubClient, upsertComment } from './github-comment.mjs';

const env = process.env;
const token = env.GITHUB_TOKEN ?? '';

/** Text for the log with the token taken out, should anything ever echo it. */
function safe(text) {
  return token ? text.replaceAll(token, '***') : text;
}

function log(text) {
  process.stdout.write(`${safe(text)}\n`);
}

/**
 * The CLI the project installed (`npm ci` in the working directory): its topology imports `defineTopology` from that
 * package, and `check` must compare out/ with what that same version generates.
 */
function installedCli() {
  if (env.TALOS_TOPOLOGY_CLI) return env.TALOS_TOPOLOGY_CLI;
  const require = createRequire(join(process.cwd(), 'package.json'));
  let manifest;
  try {
    manifest = require.resolve('@talos-sdk/topology/package.json');
  } catch {
    throw new Error(
      `@talos-sdk/topology is not installed in ${process.cwd()}: add it to the project's devDependencies and run ` +
        'npm ci before this action (its install input does that)',
    );
  }
  const { bin } = require(manifest);
  return resolve(dirname(manifest), bin['talos-topology']);
}

/** The CLI's environment: the job's (the targets' credentials), without the GitHub token, which the CLI never needs. */
function cliEnvironment() {
  const copy = { ...env, NO_COLOR: '1' };
  delete copy.GITHUB_TOKEN;
  delete copy.FORCE_COLOR;
  return copy;
}

function runCli(cli, argv) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...argv], { env: cliEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (err += chunk));
    child.on('error', fail);
    child.on('close', (code) => {
      // What the CLI printed is data: a line of it that looks like a workflow command (`::error::`) must not act as one
      // ("Stopping and starting workflow commands" in GitHub's docs).
      const resume = randomUUID();
      log(`::group::talos-topology ${argv.join(' ')} (exit ${code})`);
      log(`::stop-commands::${resume}`);
      if (out) log(out.trimEnd());
      if (err) log(err.trimEnd());
      log(`::${resume}::`);
      log('::endgroup::');
      done({ code, out, err });
    });
  });
}

/** The pull request's number from the event that started the job, or undefined for any other event. */
async function pullRequestNumber() {
  if (!env.GITHUB_EVENT_PATH) return undefined;
  const event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8'));
  return event.pull_request?.number;
}

/** Runs the three steps; a step runs only when the one before it passed, since it would report on a wrong basis. */
async function runSteps(cli) {
  const file = env.INPUT_TOPOLOGY ? [env.INPUT_TOPOLOGY] : [];
  const out = env.INPUT_OUT || 'out';
  const targets = (env.INPUT_TARGETS ?? '').split(/[\s,]+/).filter(Boolean);
  const steps = [];
  const skip = (name, why) => steps.push({ name, status: 'skipped', line: `not run: ${why}` });

  const validate = await runCli(cli, ['validate', ...file]);
  if (validate.code !== 0) {
    steps.push({
      name: 'validate',
      status: 'failed',
      line: 'the topology is not valid',
      output: validate.err || validate.out,
    });
    skip('check', 'the topology is not valid');
    skip('plan', 'the topology is not valid');
    return { steps, plan: '' };
  }
  steps.push({ name: 'validate', status: 'ok', line: 'the topology is valid' });

  const check = await runCli(cli, ['check', ...file, '--out', out]);
  if (check.code !== 0) {
    const stale = check.code === 2;
    steps.push({
      name: 'check',
      status: 'failed',
      line: stale
        ? `\`${out}/\` is stale: it differs from what the topology generates; run \`talos-topology generate --out ${out}\` and commit the result`
        : 'could not compare the output folder with the topology',
      output: `${check.out}${check.err}`,
    });
    skip(
      'plan',
      stale ? `\`${out}/\` is stale, so a plan of it would not be what the topology describes` : 'check failed',
    );
    return { steps, plan: '' };
  }
  steps.push({ name: 'check', status: 'ok', line: `\`${out}/\` is what the topology generates` });

  const targetArgs = targets.flatMap((target) => ['--target', target]);
  // --detailed-exitcode: 2 means changes are planned (a success here), 1 that a plan failed.
  const plan = await runCli(cli, ['plan', '--out', out, '--format', 'markdown', '--detailed-exitcode', ...targetArgs]);
  if (plan.code === 0 || plan.code === 2) {
    steps.push({ name: 'plan', status: 'ok', line: plan.code === 2 ? 'changes planned (below)' : 'no changes' });
  } else {
    steps.push({ name: 'plan', status: 'failed', line: 'a plan failed or no target was covered', output: plan.err });
  }
  return { steps, plan: plan.out };
}

async function main() {
  let passed = true;
  let body;
  try {
    const { steps, plan } = await runSteps(installedCli());
    passed = steps.every((step) => step.status === 'ok');
    body = commentBody(steps, plan);
  } catch (error) {
    passed = false;
    body = commentBody(
      [{ name: 'talos-topology', status: 'failed', line: 'the action could not run', output: error.message }],
      '',
    );
  }
  if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, body);
  const number = await pullRequestNumber();
  if (number === undefined || env.INPUT_COMMENT === 'false') {
    log(number === undefined ? 'not a pull request: the report is in the job summary only' : 'comment: false');
  } else if (!token) {
    log('::error::no token: set the github-token input (the default is the job token, github.token)');
    passed = false;
  } else {
    const client = gitHubClient({
      apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
      repository: env.GITHUB_REPOSITORY,
      token,
    });
    try {
      const done = await upsertComment(client, number, body);
      log(`comment ${done.action} on pull request #${number}${done.url ? `: ${done.url}` : ''}`);
    } catch (error) {
      log(`::error::could not write the pull-request comment: ${error.message}`);
      passed = false;
    }
  }
  if (!passed) log('::error::talos-topology: a step failed (see the summary)');
  process.exitCode = passed ? 0 : 1;
}

await main();
