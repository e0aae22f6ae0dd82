import { describe, expect, it } from 'vitest';
import type { CliArgs } from './args.js';
import { parseCliArgs } from './args.js';
import type { AskPerson } from './approval.js';
import { approve } from './approval.js';
import type { CommandContext } from './context.js';

function contextFor(argv: string[], ask?: AskPerson): CommandContext {
  const line = parseCliArgs(argv);
  if (line.kind !== 'run') throw new Error('expected a command');
  const args: CliArgs = line.args;
  const output = { out: () => undefined, err: () => undefined };
  return { args, env: { output, env: {}, ...(ask ? { ask } : {}) } };
}

describe('approve', () => {
  it('approves up front with --yes or --auto-approve, without asking', async () => {
    const ask: AskPerson = () => Promise.reject(new Error('must not ask'));
    expect(await approve(contextFor(['apply', '--yes'], ask), 'apply these changes')).toBe(true);
    expect(await approve(contextFor(['apply', '--auto-approve'], ask), 'apply these changes')).toBe(true);
  });

  it('asks a person and approves only on "yes"', async () => {
    const questions: string[] = [];
    const answering =
      (answer: string): AskPerson =>
      (question) => {
        questions.push(question);
        return Promise.resolve(answer);
      };
    expect(await approve(contextFor(['apply'], answering('yes\n')), 'apply these changes')).toBe(true);
    expect(await approve(contextFor(['apply'], answering('y')), 'apply these changes')).toBe(false);
    expect(await approve(contextFor(['apply'], answering('')), 'apply these changes')).toBe(false);
    expect(questions[0]).toBe('Do you want to apply these changes? Only "yes" approves: ');
  });

  it('refuses with the flag to pass when nobody can be asked', async () => {
    const nobody: AskPerson = () => Promise.resolve(undefined);
    for (const context of [contextFor(['apply']), contextFor(['apply'], nobody)]) {
      await expect(approve(context, 'apply these changes')).rejects.toMatchObject({
        name: 'ApprovalRequiredError',
        message: expect.stringMatching(/stdin is not a terminal.*--yes \(or --auto-approve\)/),
      });
    }
  });
});
