/**
 * The README documents every flag and environment variable the CLI's help prints, and nothing the help does not.
 * Everything is derived from the help text (every command `help` lists, then `help <command>`), so a new command or
 * option is covered as soon as it is in the help.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCliWith } from './run-cli.js';

const LONG_FLAG = /(?<![\w-])--[a-z][a-z-]*[a-z]/g;
const SHORT_FLAG = /^ {2}(-[a-z]),/gm;
const VARIABLE = /(?<![\w[])[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9](?![\w\]])/g;

async function helpTexts(): Promise<string[]> {
  const general = (await runCliWith({}, 'help')).out;
  const commandsSection = general.slice(
    general.indexOf('commands:'),
    general.indexOf('\n\n', general.indexOf('commands:')),
  );
  const commands = [...commandsSection.matchAll(/^ {2}([a-z][a-z-]*) /gm)].map((match) => match[1]!);
  expect(commands).toContain('generate');
  const perCommand = await Promise.all(
    commands
      .filter((command) => command !== 'help')
      .map(async (command) => (await runCliWith({}, 'help', command)).out),
  );
  return [general, ...perCommand];
}

function all(pattern: RegExp, texts: readonly string[]): Set<string> {
  return new Set(texts.flatMap((text) => [...text.matchAll(pattern)].map((match) => match[1] ?? match[0])));
}

async function readmeCliSection(): Promise<string> {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('\n## CLI\n');
  expect(start).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  // Commands of other tools quoted in the text (`npm install --save-dev tsx`) are not the CLI's flags.
  return readme.slice(start, end).replace(/`npm [^`]*`/g, '');
}

/** The variables of the README's variables table: its rows that start with a target, `colour` or `records`. */
function tableVariables(section: string): Set<string> {
  const rows = section.split('\n').filter((line) => /^\| (`[a-z][a-z0-9]*`|colour|records) +\|/.test(line));
  expect(rows.length).toBeGreaterThanOrEqual(4);
  return all(VARIABLE, rows);
}

describe('README CLI section and --help', () => {
  it('documents every flag the help of any command prints, and no flag the CLI does not have', async () => {
    const help = await helpTexts();
    const section = await readmeCliSection();
    const helpFlags = all(LONG_FLAG, help);
    const readmeFlags = all(LONG_FLAG, [section]);
    expect([...helpFlags].filter((flag) => !readmeFlags.has(flag))).toEqual([]);
    expect([...readmeFlags].filter((flag) => !helpFlags.has(flag))).toEqual([]);
    for (const short of all(SHORT_FLAG, help)) expect(section).toContain(`\`${short}\``);
  });

  it('lists in the credentials table every variable the help prints, and the help every variable of the table', async () => {
    const helpVariables = all(VARIABLE, await helpTexts());
    const readmeVariables = tableVariables(await readmeCliSection());
    expect(helpVariables.size).toBeGreaterThan(10);
    expect([...helpVariables].filter((name) => !readmeVariables.has(name))).toEqual([]);
    expect([...readmeVariables].filter((name) => !helpVariables.has(name))).toEqual([]);
  });
});
