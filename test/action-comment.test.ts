/**
 * The action's comment body (scripts/action/comment-body.mjs) stays within GitHub's limit on a comment, 65,536
 * characters, whatever the CLI printed.
 */
import { describe, expect, it } from 'vitest';

interface Step {
  readonly name: string;
  readonly status: 'ok' | 'failed' | 'skipped';
  readonly line: string;
  readonly output?: string;
}
// A plain ES module without types: loaded by URL, as the action's Node loads it.
const { commentBody, COMMENT_LIMIT } = (await import(
  new URL('../scripts/action/comment-body.mjs', import.meta.url).href
)) as { commentBody: (steps: readonly Step[], plan: string) => string; COMMENT_LIMIT: number };

describe("the action's comment", () => {
  it("keeps the end of a long failure output and the whole bounded plan within GitHub's limit", () => {
    const output = Array.from({ length: 5000 }, (_, index) => `diff line ${index} \`\`\`\``).join('\n');
    const plan = `### plan\n\n${'x'.repeat(59_990)}\n`;
    const body = commentBody(
      [
        { name: 'validate', status: 'ok', line: 'the topology is valid' },
        { name: 'check', status: 'failed', line: '`out/` is stale', output: `${output}\nout is stale: 2 files differ` },
      ],
      plan,
    );
    expect(COMMENT_LIMIT).toBe(65_536);
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.startsWith('<!-- talos-topology -->\n- ✅ **validate**')).toBe(true);
    // The end of the output (where the command says what failed) survives; the fence outlasts the backticks in it.
    expect(body).toContain('out is stale: 2 files differ\n`````\n');
    expect(body).not.toContain('diff line 0 ');
    expect(body).toContain(plan.trimEnd());
  });
});
