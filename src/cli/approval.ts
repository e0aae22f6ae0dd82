/**
 * Approval before a command changes live systems: `--yes` (or `--auto-approve`) approves up front; otherwise a person
 * at a terminal is asked and only the answer `yes` approves, as Terraform does; with no terminal to ask on, the
 * command refuses rather than guess.
 *
 * @module
 */
import type { CommandContext } from './context.js';

/**
 * Asks a person one question on the terminal.
 *
 * @returns The line they typed, or `undefined` when there is nobody to ask (stdin is not a terminal).
 */
export type AskPerson = (question: string) => Promise<string | undefined>;

/** The refusal of a change that needs approval when nobody can give it: no `--yes` and stdin is not a terminal. */
export class ApprovalRequiredError extends Error {
  /** Always `ApprovalRequiredError`. */
  override readonly name = 'ApprovalRequiredError';
}

/**
 * Asks on the process's own terminal. The question goes to stderr, so `--json` output on stdout stays one object.
 * stdin is looked at only here: creating `process.stdin` loads Node's stream and terminal code, which the commands
 * that ask nothing (and `--help`) should not pay for at start-up.
 *
 * @param question - The question, ending where the answer is typed.
 * @returns The line typed, or `undefined` when stdin is not a terminal.
 */
export const askOnTerminal: AskPerson = async (question) => {
  if (!process.stdin.isTTY) return undefined;
  const { createInterface } = await import('node:readline/promises');
  const lines = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await lines.question(question);
  } finally {
    lines.close();
  }
};

/**
 * Decides whether the command may go on.
 *
 * @param context - The command line (`--yes`) and the surroundings (`ask`: {@link askOnTerminal} in the real CLI).
 * @param action - What is about to happen, as the question words it (`apply these changes`, `destroy these objects`).
 * @returns `true` when approved; `false` when the person answered anything but `yes`.
 * @throws {@link ApprovalRequiredError} when there is no `--yes` and nobody to ask.
 */
export async function approve(context: CommandContext, action: string): Promise<boolean> {
  if (context.args.yes) return true;
  const answer = await context.env.ask?.(`Do you want to ${action}? Only "yes" approves: `);
  if (answer === undefined) {
    throw new ApprovalRequiredError(
      `${context.args.command} needs approval and stdin is not a terminal to ask on: ` +
        'pass --yes (or --auto-approve) to approve up front, as in CI',
    );
  }
  return answer.trim() === 'yes';
}
