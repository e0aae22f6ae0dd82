// The comment (and job summary) the action writes: the marker, a line per step (validate, check, plan), what a failed
// step printed, then the plan's own markdown (`plan --format markdown`, which bounds itself to 60,000 characters).
// GitHub refuses a comment body over 65,536 characters, so the rest is bounded here to what is left.
import { COMMENT_MARKER } from './github-comment.mjs';

/** GitHub's limit on a comment body. */
export const COMMENT_LIMIT = 65_536;
/** What `plan --format markdown` bounds itself to (MARKDOWN_COMMENT_LIMIT in src/orchestration/markdown.ts). */
const PLAN_LIMIT = 60_000;

const ICON = { ok: '✅', failed: '❌', skipped: '⏭️' };

/** Plain text in a fenced block whose fence is longer than any run of backticks inside, so nothing ends it early. */
function fenced(text) {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text}\n${fence}`;
}

/** The end of a command's output (where its error is), cut to `limit` characters at a line break. */
function tail(text, limit) {
  const trimmed = text.trimEnd();
  if (trimmed.length <= limit) return trimmed;
  const cut = trimmed.slice(trimmed.length - limit);
  return `...\n${cut.slice(cut.indexOf('\n') + 1)}`;
}

/**
 * Builds the comment.
 *
 * @param {{ name: string, status: 'ok' | 'failed' | 'skipped', line: string, output?: string }[]} steps - Each step's
 *   outcome, a line about it, and for a failed step what it printed.
 * @param {string} plan - The plan's markdown, or '' when the plan did not run.
 * @returns {string} The body, at most {@link COMMENT_LIMIT} characters.
 */
export function commentBody(steps, plan) {
  const head = [COMMENT_MARKER, ...steps.map((step) => `- ${ICON[step.status]} **${step.name}**: ${step.line}`)];
  const failed = steps.filter((step) => step.output);
  const room = COMMENT_LIMIT - PLAN_LIMIT - head.join('\n').length - 200 * Math.max(1, failed.length);
  const outputs = failed.map(
    (step) =>
      `<details><summary>${step.name} output</summary>\n\n${fenced(tail(step.output, Math.floor(room / Math.max(1, failed.length))))}\n\n</details>`,
  );
  return [head.join('\n'), ...outputs, plan.slice(0, PLAN_LIMIT)].filter(Boolean).join('\n\n').trimEnd() + '\n';
}
