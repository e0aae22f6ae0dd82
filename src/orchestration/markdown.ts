/**
 * A report as GitHub-flavoured markdown for a pull-request comment or a job summary: a heading, notes, then one
 * collapsible section per target, bounded in size by shortening the largest sections first. Generic over what the
 * sections hold (a plan, drift), so every report renders and is bounded the same way.
 *
 * @module
 */
import { stripVTControlCharacters } from 'node:util';
import { redactSecretShapes } from '../models/secret-patterns.js';

/**
 * GitHub refuses an issue or pull-request comment whose body is longer than 65,536 characters (its REST API answers
 * 422 "body is too long"); this leaves room for what a caller puts around the document (a marker, a status line).
 */
export const MARKDOWN_COMMENT_LIMIT = 60_000;

/** One collapsible section: `<details><summary>title: summary</summary>` around its body. */
export interface MarkdownSection {
  /** What the section is about, e.g. the target `proxmox:matrix` (plain text). */
  readonly title: string;
  /** One line shown while the section is folded, e.g. its counts (plain text). */
  readonly summary: string;
  /** The section's content as plain text, shown verbatim in a fenced code block; shortened first when too long. */
  readonly body: string;
}

/** A report as markdown sees it. */
export interface MarkdownDocument {
  /** The heading line, e.g. the totals (plain text). */
  readonly heading: string;
  /** Lines listed under the heading, e.g. the targets left out and why (plain text). */
  readonly notes: readonly string[];
  /** The sections, in order. */
  readonly sections: readonly MarkdownSection[];
}

/** How {@link renderMarkdown} bounds the document. */
export interface MarkdownOptions {
  /** The longest document, in UTF-16 code units (never fewer than characters); {@link MARKDOWN_COMMENT_LIMIT} by default. */
  readonly maxLength?: number;
  /** The command that shows everything, named wherever something was left out, e.g. `talos-topology plan`. */
  readonly fullCommand: string;
}

// CommonMark lets a backslash escape any ASCII punctuation; these are the ones that start emphasis, code, links and
// images (`[`; `(` and `!` mean nothing without it), HTML, tables (GFM `|`), strikethrough (`~`) and entities (`&`).
// Inline text never starts a line (it follows `### ` or `- `), so `#`, `-`, `+` and `1.` cannot open a block.
const MARKDOWN_PUNCTUATION = /[\\`*_[\]<>|~&]/g;
const HTML_SPECIAL: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * What every text goes through before it is placed: no secret shapes (as in issues), no colour or cursor escapes
 * (a message that carries one would show as garbage in markdown).
 */
function clean(text: string): string {
  return redactSecretShapes(stripVTControlCharacters(text));
}

/** Plain text as one line of markdown: line breaks become spaces and every markup character is escaped. */
function inlineText(text: string): string {
  return clean(text)
    .replace(/\s*\n\s*/g, ' ')
    .replace(MARKDOWN_PUNCTUATION, '\\$&');
}

/**
 * Plain text inside an HTML element on one line (`<summary>`): GitHub reads the `<details>` line as raw HTML, so
 * markdown escapes would show as backslashes, while `<` and `&` must become entities.
 */
function htmlText(text: string): string {
  return clean(text)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/[&<>"]/g, (character) => HTML_SPECIAL[character]!);
}

/** The longest run of a character in a text. */
function longestRun(text: string, character: string): number {
  let longest = 0;
  let run = 0;
  for (const each of text) {
    run = each === character ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

/** A code span CommonMark cannot end early: its backtick string is longer than any run of backticks inside. */
function codeSpan(text: string): string {
  const ticks = '`'.repeat(longestRun(text, '`') + 1);
  const padded = text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text;
  return `${ticks}${padded}${ticks}`;
}

/** A fenced code block whose fence is longer than any run of backticks in the body, so nothing in it can close it. */
function fencedBlock(body: string): string {
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return `${fence}text\n${body}\n${fence}`;
}

/** A body cut to at most `limit` code units at a line break, with how many lines were left out. */
interface ShortBody {
  readonly text: string;
  readonly leftOutLines: number;
}

function shorten(body: string, limit: number): ShortBody {
  if (body.length <= limit) return { text: body, leftOutLines: 0 };
  const lines = body.split('\n');
  let length = 0;
  let kept = 0;
  while (kept < lines.length && length + lines[kept]!.length + (kept ? 1 : 0) <= limit) {
    length += lines[kept]!.length + (kept ? 1 : 0);
    kept++;
  }
  return { text: lines.slice(0, kept).join('\n'), leftOutLines: lines.length - kept };
}

function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}

function renderSection(section: MarkdownSection, body: ShortBody, fullCommand: string): string {
  const parts = [
    `<details><summary><strong>${htmlText(section.title)}</strong>: ${htmlText(section.summary)}</summary>`,
    '',
  ];
  if (body.text !== '') parts.push(fencedBlock(body.text), '');
  if (body.leftOutLines > 0) {
    parts.push(
      `_${plural(body.leftOutLines, 'more line')} left out to keep this comment within GitHub's size limit; run ` +
        `${codeSpan(fullCommand)} to see them all._`,
      '',
    );
  }
  parts.push('</details>');
  return parts.join('\n');
}

function renderWith(
  document: MarkdownDocument,
  bodies: readonly string[],
  cap: number,
  shown: number,
  fullCommand: string,
): string {
  const parts = [`### ${inlineText(document.heading)}`];
  if (document.notes.length) parts.push(document.notes.map((note) => `- ${inlineText(note)}`).join('\n'));
  document.sections.slice(0, shown).forEach((section, index) => {
    parts.push(renderSection(section, shorten(bodies[index]!, cap), fullCommand));
  });
  const hidden = document.sections.length - shown;
  if (hidden > 0) {
    parts.push(`_${plural(hidden, 'more section')} left out; run ${codeSpan(fullCommand)} to see them all._`);
  }
  return `${parts.join('\n\n')}\n`;
}

/**
 * Renders a report as markdown within a size bound. When the whole document is too long, the sections' bodies are
 * shortened to one common length (so the largest lose the most, and small ones stay whole), each saying how many
 * lines it left out and which command shows them; only when even empty bodies are too long are whole sections left
 * out from the end. Every text passes the redaction of secret shapes that topology issues get (a plan holds no
 * secret, but a comment is public), and colour escapes are removed.
 *
 * @param document - The heading, notes and sections, as plain text.
 * @param options - The bound and the command that shows everything.
 * @returns Markdown ending in a newline, at most `maxLength` long (unless the heading and notes alone are longer).
 *
 * @example
 * ```ts
 * renderMarkdown(
 *   { heading: 'plan: 1 to create', notes: [], sections: [{ title: 'unifi', summary: '1 to create', body: '+ a' }] },
 *   { fullCommand: 'talos-topology plan' },
 * );
 * // ### plan: 1 to create
 * //
 * // <details><summary><strong>unifi</strong>: 1 to create</summary>
 * // ...
 * ```
 */
export function renderMarkdown(document: MarkdownDocument, options: MarkdownOptions): string {
  const maxLength = options.maxLength ?? MARKDOWN_COMMENT_LIMIT;
  const bodies = document.sections.map((section) => clean(section.body).trimEnd());
  const all = document.sections.length;
  const longest = Math.max(0, ...bodies.map((body) => body.length));
  const fits = (cap: number, shown = all): boolean =>
    renderWith(document, bodies, cap, shown, options.fullCommand).length <= maxLength;
  if (fits(longest)) return renderWith(document, bodies, longest, all, options.fullCommand);
  if (fits(0)) {
    // The longest common body length that fits: the length grows with the cap, so a binary search finds it.
    let low = 0;
    let high = longest;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (fits(middle)) low = middle;
      else high = middle - 1;
    }
    return renderWith(document, bodies, low, all, options.fullCommand);
  }
  let shown = all;
  while (shown > 0 && !fits(0, shown)) shown--;
  return renderWith(document, bodies, 0, shown, options.fullCommand);
}
