/**
 * Approval before a command changes live systems: `--yes` (or `--auto-approve`) approves up front; otherwise a person
 * at a terminal is asked and only the answer `yes` approves, as Terraform does; with no terminal to ask on, the
 * command refuses rather than guess.
 *
 * @module
 */
import type { CommandContext } from './context.js';

/** Asks a person one question on the terminal and resolves with the line they typed. */
export type AskPerson = (question: string) => Promise<string>;

/** The refusal of a change that needs approval when nobody can give it: no `--yes` and stdin is not a terminal. */
export class ApprovalRequiredError extends Error {
  /** Always `ApprovalRequiredError`. */
  override readonly name = 'ApprovalRequiredError';
}

/**
 * Asks on the process's own terminal: the question goes to stderr, so `--json` output on stdout stays one object.
 *
 * @returns An asker when stdin is a terminal, else `undefined` (nobody to ask).
 */
export function terminalAsker(): AskPerson | undefined {
  if (!process.stdin.isTTY) return undefined;
  return async (question) => {
    // Loaded here, not at start-up: only a command that changes live systems asks anything.
    const { createInterface } = await import('node:readline/promises');
    const lines = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await lines.question(question);
    } finally {
      lines.close();
    }
  };
}

/**
 * Decides whether the command may go on.
 *
 * @param context - The command line (`--yes`) and the surroundings (`ask`, set when stdin is a terminal).
 * @param action - What is about to happen, as the question words it (`apply these changes`, `destroy these objects`).
 * @returns `true` when approved; `false` when the person answered anything but `yes`.
 * @throws {@link ApprovalRequiredError} when there is no `--yes` and nobody to ask.
 */
export async function approve(context: CommandContext, action: string): Promise<boolean> {
  if (context.args.yes) return true;
  const ask = context.env.ask;
  if (!ask) {
    throw new ApprovalRequiredError(
      `${context.args.command} needs approval and stdin is not a terminal to ask on: ` +
        'pass --yes (or --auto-approve) to approve up front, as in CI',
    );
  }
  const answer = await ask(`Do you want to ${action}? Only "yes" approves: `);
  return answer.trim() === 'yes';
}
