/**
 * A unified diff of two texts, line by line, with three lines of context: what `check` prints for a stale file.
 *
 * @param path - The file's path, used in the `---`/`+++` header.
 * @param before - The text on disk (empty when the file is missing).
 * @param after - The text the generator produces.
 * @returns The diff, ending in a newline; empty when the texts are equal.
 */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a, b);
  const context = 3;
  const out = [`--- a/${path}`, `+++ b/${path}`];
  let index = 0;
  while (index < ops.length) {
    while (index < ops.length && ops[index]?.type === ' ') index++;
    if (index >= ops.length) break;
    const start = Math.max(0, index - context);
    let end = index;
    let quiet = 0;
    while (end < ops.length && quiet <= context * 2) {
      quiet = ops[end]?.type === ' ' ? quiet + 1 : 0;
      end++;
    }
    end = Math.min(ops.length, end - Math.max(0, quiet - context));
    const hunk = ops.slice(start, end);
    const oldStart = (hunk[0]?.oldLine ?? 0) + 1;
    const newStart = (hunk[0]?.newLine ?? 0) + 1;
    const oldCount = hunk.filter((op) => op.type !== '+').length;
    const newCount = hunk.filter((op) => op.type !== '-').length;
    out.push(
      `@@ -${oldCount ? oldStart : oldStart - 1},${oldCount} +${newCount ? newStart : newStart - 1},${newCount} @@`,
    );
    for (const op of hunk) out.push(`${op.type}${op.text}`);
    index = end;
  }
  return `${out.join('\n')}\n`;
}

interface LineOp {
  readonly type: ' ' | '-' | '+';
  readonly text: string;
  readonly oldLine: number;
  readonly newLine: number;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Longest-common-subsequence line diff; generated files are small, so the quadratic table is fine. */
function diffLines(a: readonly string[], b: readonly string[]): LineOp[] {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const table = new Uint32Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * cols + j] =
        a[i] === b[j]
          ? (table[(i + 1) * cols + j + 1] ?? 0) + 1
          : Math.max(table[(i + 1) * cols + j] ?? 0, table[i * cols + j + 1] ?? 0);
    }
  }
  const ops: LineOp[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ type: ' ', text: a[i] ?? '', oldLine: i++, newLine: j++ });
    } else if (i < a.length && (j === b.length || (table[(i + 1) * cols + j] ?? 0) >= (table[i * cols + j + 1] ?? 0))) {
      ops.push({ type: '-', text: a[i] ?? '', oldLine: i++, newLine: j });
    } else {
      ops.push({ type: '+', text: b[j] ?? '', oldLine: i, newLine: j++ });
    }
  }
  return ops;
}
