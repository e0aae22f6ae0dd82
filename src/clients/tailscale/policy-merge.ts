import type { Edit, JSONPath, Node, ParseError } from 'jsonc-parser';
import {
  applyEdits,
  findNodeAtLocation,
  getNodeValue,
  modify,
  parseTree,
  printParseErrorCode,
  visit,
} from 'jsonc-parser';
import type { FieldDiff, UnmanagedObject } from '../../plan/change.js';
import { compareText } from '../../plan/change.js';
import { sortKeysDeep } from '../../generators/serialize.js';
import { markedTopology, policyEntryMarker, renderPolicyValue } from '../../generators/tailscale-policy-marker.js';

/** The policy sections the generated snippet has entries in. */
export type PolicySection = 'grants' | 'tagOwners' | 'tests';

const SECTIONS: readonly PolicySection[] = ['grants', 'tagOwners', 'tests'];

/** What merging the generated snippet into the live policy gives. */
export interface PolicyMergeResult {
  /** The topology whose marker the snippet's entries carry. */
  readonly topology: string;
  /** The merged policy: the live text with only the topology's entries added, rewritten or removed. */
  readonly text: string;
  /**
   * One difference per field of a generated entry that changes, sorted by path: `grants[<dst>].ip`,
   * `tagOwners.<tag>`, `tests[<src>].accept`. An entry added has only `after`, one removed only `before`.
   */
  readonly fields: readonly FieldDiff[];
  /** Entries of the managed sections the merge leaves alone, with why. */
  readonly unmanaged: readonly UnmanagedObject[];
  /** Tags the topology wants in `tagOwners` that a person (or another topology) already lists: left to them. */
  readonly heldTags: readonly string[];
}

/** A policy text that is not HuJSON, or not a policy object: where it breaks and how. */
export class TailnetPolicySyntaxError extends Error {
  /** What the text is, e.g. `the live tailnet policy` or `tailscale/policy.hujson`. */
  readonly source: string;
  /** 1-based line of the first problem, when it has a place. */
  readonly line: number | undefined;
  /** 1-based column of the first problem, when it has a place. */
  readonly column: number | undefined;

  /**
   * @param source - What the text is.
   * @param reason - What is wrong.
   * @param position - Line and column (1-based) of the problem, when it has a place.
   */
  constructor(source: string, reason: string, position?: { readonly line: number; readonly column: number }) {
    const where = position ? `, line ${position.line}, column ${position.column}` : '';
    super(`${source}${where}: ${reason}`);
    this.name = new.target.name;
    this.source = source;
    this.line = position?.line;
    this.column = position?.column;
  }
}

/** A parsed policy: its tree and where each comment is. */
interface ParsedPolicy {
  readonly text: string;
  readonly root: Node;
  readonly comments: readonly { readonly offset: number; readonly end: number }[];
}

/** One entry of a managed section. */
interface PolicyEntry {
  readonly section: PolicySection;
  /** The entry's identity: a grant by its `dst`, a test by its `src`, a tag owner by its tag. */
  readonly id: string;
  readonly value: unknown;
  /** The element, or for `tagOwners` the property (key and value). */
  readonly node: Node;
  /** Where `modify` finds the value. */
  readonly path: JSONPath;
  /** The topology its marker names, `undefined` for an unmarked entry (a person's). */
  readonly marker: string | undefined;
  /** Offset of the marker comment, when there is one. */
  readonly markerOffset: number | undefined;
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

function parsePolicy(text: string, source: string): ParsedPolicy {
  const errors: ParseError[] = [];
  // HuJSON is JSON plus `//` and `/* */` comments and trailing commas (Tailscale's policy syntax reference, KB 1337).
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const [first] = errors;
  if (first) {
    // `CommaExpected` → `comma expected`
    const reason = printParseErrorCode(first.error)
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase();
    throw new TailnetPolicySyntaxError(source, `${reason} (HuJSON)`, position(text, first.offset));
  }
  if (root?.type !== 'object') throw new TailnetPolicySyntaxError(source, 'the policy must be one object, `{ … }`');
  const comments: { offset: number; end: number }[] = [];
  visit(text, { onComment: (offset, length) => void comments.push({ offset, end: offset + length }) });
  return { text, root, comments };
}

function entryId(section: PolicySection, value: unknown, key: string | undefined): string {
  const field = section === 'grants' ? 'dst' : 'src';
  if (key !== undefined) return key;
  const identity = (value as Record<string, unknown> | null)?.[field];
  if (typeof identity === 'string') return identity;
  if (Array.isArray(identity) && identity.every((item) => typeof item === 'string')) return identity.join(',');
  return JSON.stringify(sortKeysDeep(value));
}

/** The comment directly above a node: only white space between its end and the node. */
function commentAbove(policy: ParsedPolicy, offset: number): { offset: number; end: number } | undefined {
  const above = policy.comments.filter((comment) => comment.end <= offset).at(-1);
  return above && policy.text.slice(above.end, offset).trim() === '' ? above : undefined;
}

function sectionEntries(policy: ParsedPolicy, section: PolicySection, source: string): PolicyEntry[] {
  const container = findNodeAtLocation(policy.root, [section]);
  if (!container) return [];
  const expected = section === 'tagOwners' ? 'object' : 'array';
  if (container.type !== expected) {
    throw new TailnetPolicySyntaxError(
      source,
      `"${section}" must be ${expected === 'object' ? 'an object' : 'a list'}`,
      position(policy.text, container.offset),
    );
  }
  return (container.children ?? []).map((node, index) => {
    const key = section === 'tagOwners' ? String(node.children?.[0]?.value) : undefined;
    const valueNode = section === 'tagOwners' ? node.children?.[1] : node;
    const value = valueNode ? getNodeValue(valueNode) : undefined;
    const comment = commentAbove(policy, node.offset);
    const marker = comment ? markedTopology(policy.text.slice(comment.offset, comment.end)) : undefined;
    return {
      section,
      id: entryId(section, value, key),
      value,
      node,
      path: [section, key ?? index],
      marker,
      markerOffset: marker === undefined ? undefined : comment?.offset,
    };
  });
}

function entryPath(section: PolicySection, id: string): string {
  return section === 'tagOwners' ? `tagOwners.${id}` : `${section}[${id}]`;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeysDeep(a)) === JSON.stringify(sortKeysDeep(b));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The fields of an entry that change: per field for an object, the whole value otherwise. */
function updateDiffs(path: string, before: unknown, after: unknown): FieldDiff[] {
  if (!isRecord(before) || !isRecord(after)) return [{ path, before, after }];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compareText);
  return keys
    .filter((key) => !same(before[key], after[key]))
    .map((key) => ({
      path: `${path}.${key}`,
      ...(key in before ? { before: before[key] } : {}),
      ...(key in after ? { after: after[key] } : {}),
    }));
}

/** The layout of the live file, so inserted text looks like its neighbours. */
interface Layout {
  /** One indentation level: a tab (Tailscale's default file uses tabs) or the spaces the file indents with. */
  readonly unit: string;
  readonly eol: string;
}

function layoutOf(text: string): Layout {
  const indented = /^([ \t]+)\S/m.exec(text)?.[1];
  return { unit: indented?.startsWith(' ') ? indented : '\t', eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The white space a line starts with. */
function lineIndent(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))?.[0] ?? '';
}

/** The offset of the next token: white space and comments skipped. */
function skipTrivia(policy: ParsedPolicy, offset: number): number {
  let at = offset;
  for (;;) {
    while (at < policy.text.length && ' \t\r\n'.includes(policy.text.charAt(at))) at++;
    const comment = policy.comments.find((candidate) => candidate.offset === at);
    if (!comment) return at;
    at = comment.end;
  }
}

/**
 * Where a line ends (before its `\r\n` or `\n`) when only white space and comments are left on it from `offset`;
 * otherwise `offset`. Text inserted there goes after a person's trailing comment, not between it and its entry.
 */
function endOfQuietLine(policy: ParsedPolicy, offset: number): number {
  const { text } = policy;
  let at = offset;
  for (;;) {
    while (at < text.length && ' \t'.includes(text.charAt(at))) at++;
    const comment = policy.comments.find((candidate) => candidate.offset === at);
    if (!comment || text.slice(comment.offset, comment.end).includes('\n')) break;
    at = comment.end;
  }
  const lineEnds = at === text.length || text.charAt(at) === '\n' || text.startsWith('\r\n', at);
  return lineEnds ? at : offset;
}

/** Removes an entry with its marker line and its comma; the lines around it are kept as they are. */
function removalEdit(policy: ParsedPolicy, entry: PolicyEntry): Edit {
  const { text } = policy;
  const from = entry.markerOffset ?? entry.node.offset;
  const start = text.slice(lineStart(text, from), from).trim() === '' ? lineStart(text, from) : from;
  let end = entry.node.offset + entry.node.length;
  const next = skipTrivia(policy, end);
  if (text.charAt(next) === ',') end = next + 1;
  const newline = text.indexOf('\n', end);
  const lineEnd = newline === -1 ? text.length : newline + 1;
  if (text.slice(end, lineEnd).trim() === '') end = lineEnd;
  return { offset: start, length: end - start, content: '' };
}

/**
 * Inserts entries at the end of a list or object, each on its own lines at its neighbours' indentation. A missing
 * comma after the last entry is added; HuJSON allows a trailing comma, so the file's own style is kept.
 */
function insertionEdits(
  policy: ParsedPolicy,
  container: Node,
  render: (indent: string) => readonly string[],
  layout: Layout,
): Edit[] {
  const { text } = policy;
  const keyOffset = container.parent?.type === 'property' ? container.parent.offset : container.offset;
  const containerIndent = lineIndent(text, keyOffset);
  const last = container.children?.at(-1);
  if (!last) {
    const at = endOfQuietLine(policy, container.offset + 1);
    const indent = containerIndent + layout.unit;
    const body = render(indent)
      .map((entry) => `${layout.eol}${indent}${entry}`)
      .join(',');
    const closesOnThisLine = !'\r\n'.includes(text.charAt(at));
    return [{ offset: at, length: 0, content: closesOnThisLine ? `${body}${layout.eol}${containerIndent}` : body }];
  }
  const lastEnd = last.offset + last.length;
  const ownLine = text.slice(lineStart(text, last.offset), last.offset).trim() === '';
  const indent = ownLine ? lineIndent(text, last.offset) : containerIndent + layout.unit;
  const next = skipTrivia(policy, lastEnd);
  const hasComma = text.charAt(next) === ',';
  const at = endOfQuietLine(policy, hasComma ? next + 1 : lastEnd);
  const body = `${render(indent)
    .map((entry) => `${layout.eol}${indent}${entry}`)
    .join(',')}${hasComma ? ',' : ''}`;
  if (hasComma) return [{ offset: at, length: 0, content: body }];
  if (at === lastEnd) return [{ offset: at, length: 0, content: `,${body}` }];
  return [
    { offset: lastEnd, length: 0, content: ',' },
    { offset: at, length: 0, content: body },
  ];
}

function renderEntry(entry: PolicyEntry, marker: string, layout: Layout, indent: string): string {
  const value = renderPolicyValue(entry.value, layout.unit, indent, layout.eol);
  const line = entry.section === 'tagOwners' ? `${JSON.stringify(entry.id)}: ${value}` : value;
  return `${marker}${layout.eol}${indent}${line}`;
}

function unmanagedReason(entry: PolicyEntry, wanted: PolicyEntry | undefined, marker: string): string {
  if (entry.marker !== undefined) return `marked for topology "${entry.marker}": kept`;
  if (entry.section === 'tagOwners' && wanted) {
    return same(entry.value, wanted.value)
      ? 'defined by a person with the owners the topology wants: kept, not taken over'
      : `defined by a person with owners ${JSON.stringify(entry.value)}: kept, not taken over (the topology wants ${JSON.stringify(wanted.value)})`;
  }
  if (wanted && same(entry.value, wanted.value)) {
    return `the generated entry without the marker: kept as a person's; put "${marker}" above it to hand it to the SDK`;
  }
  return "no talos-topology marker: a person's entry, kept";
}

/**
 * Merges the generated policy snippet into the live policy file. Only entries carrying the snippet's marker
 * (`// talos-topology:<topology>` directly above them) are the SDK's: a generated entry missing live is added with its
 * marker, a marked entry that differs is rewritten in place, a marked entry no longer generated is removed. Everything
 * else (a person's grants, ACLs, tag owners, comments, formatting, key order) is kept byte for byte. A tag a person
 * already defined in `tagOwners` is left to them and reported, never taken over (a second key for it would make the
 * file ambiguous). Merging the result again changes nothing.
 *
 * @param liveText - The tailnet policy file as the API returns it (HuJSON).
 * @param snippetText - The generated `tailscale/policy.hujson`.
 * @returns The merged text, the differences per generated entry, and the entries left alone.
 * @throws {@link TailnetPolicySyntaxError} when either text is not a HuJSON policy object (naming line and column),
 *   or when a snippet entry carries no marker.
 */
export function mergePolicy(liveText: string, snippetText: string): PolicyMergeResult {
  const { topology, wanted } = readSnippet(snippetText);
  return mergeEntries(liveText, topology, wanted);
}

/**
 * Takes the topology's entries out of the live policy file: every entry carrying the snippet's marker is removed with
 * its marker line and comma, exactly as {@link mergePolicy} removes an entry no longer generated; everything else is
 * kept byte for byte (a person's entries, another topology's, comments, formatting). Removing again changes nothing.
 *
 * @param liveText - The tailnet policy file as the API returns it (HuJSON).
 * @param snippetText - The generated `tailscale/policy.hujson` (only its marker is used).
 * @returns The text without the topology's entries, one difference per entry removed, and the entries left alone.
 * @throws {@link TailnetPolicySyntaxError} as {@link mergePolicy} does.
 */
export function removePolicyEntries(liveText: string, snippetText: string): PolicyMergeResult {
  return mergeEntries(liveText, readSnippet(snippetText).topology, []);
}

/** The snippet's entries and the one topology their markers name. */
function readSnippet(snippetText: string): { topology: string; wanted: PolicyEntry[] } {
  const snippetSource = 'tailscale/policy.hujson';
  const snippet = parsePolicy(snippetText, snippetSource);
  const wanted = SECTIONS.flatMap((section) => sectionEntries(snippet, section, snippetSource));
  const topologies = [...new Set(wanted.map((entry) => entry.marker))];
  const [topology] = topologies;
  if (topology === undefined || topologies.length !== 1) {
    throw new TailnetPolicySyntaxError(snippetSource, 'every entry must carry one talos-topology marker');
  }
  return { topology, wanted };
}

/** Merges `wanted` (the topology's entries; none to remove them all) into the live policy: see {@link mergePolicy}. */
function mergeEntries(liveText: string, topology: string, wanted: readonly PolicyEntry[]): PolicyMergeResult {
  const liveSource = 'the live tailnet policy';
  const live = parsePolicy(liveText, liveSource);
  const layout = layoutOf(liveText);
  const marker = policyEntryMarker(topology);
  const tabs = layout.unit === '\t';
  const formattingOptions = { insertSpaces: !tabs, tabSize: tabs ? 4 : layout.unit.length, eol: layout.eol };

  const fields: FieldDiff[] = [];
  const unmanaged: UnmanagedObject[] = [];
  const rewrites: Edit[] = [];
  const additions: PolicyEntry[] = [];
  const heldTags: string[] = [];
  for (const section of SECTIONS) {
    const entries = sectionEntries(live, section, liveSource);
    const claimed = new Set<PolicyEntry>();
    for (const desired of wanted.filter((entry) => entry.section === section)) {
      const path = entryPath(section, desired.id);
      const ours = entries.find((entry) => entry.marker === topology && entry.id === desired.id && !claimed.has(entry));
      if (ours) {
        claimed.add(ours);
        if (same(ours.value, desired.value)) continue;
        rewrites.push(...modify(liveText, ours.path, desired.value, { formattingOptions }));
        fields.push(...updateDiffs(path, ours.value, desired.value));
        continue;
      }
      const theirs = entries.filter((entry) => entry.marker !== topology && entry.id === desired.id);
      if (section === 'tagOwners' && theirs.length > 0) {
        heldTags.push(desired.id);
        continue;
      }
      if (theirs.some((entry) => entry.marker === undefined && same(entry.value, desired.value))) continue;
      additions.push(desired);
      fields.push({ path, after: desired.value });
    }
    for (const entry of entries) {
      if (entry.marker === topology) {
        if (claimed.has(entry)) continue;
        rewrites.push(removalEdit(live, entry));
        fields.push({ path: entryPath(section, entry.id), before: entry.value });
        continue;
      }
      const desired = wanted.find((want) => want.section === section && want.id === entry.id);
      unmanaged.push({ kind: `policy ${section}`, id: entry.id, reason: unmanagedReason(entry, desired, marker) });
    }
  }

  const rewritten = applyEdits(liveText, rewrites);
  const text = additions.length === 0 ? rewritten : insertAdditions(rewritten, additions, marker, layout);
  // Our edits keep the file HuJSON; should one ever not, this stops it before it reaches the tailnet.
  parsePolicy(text, 'the merged tailnet policy');
  return {
    topology,
    text,
    fields: fields.sort((a, b) => compareText(a.path, b.path)),
    unmanaged,
    heldTags,
  };
}

/** Second pass, on the text with rewrites and removals applied: appends the new entries to their sections. */
function insertAdditions(text: string, additions: readonly PolicyEntry[], marker: string, layout: Layout): string {
  const policy = parsePolicy(text, 'the merged tailnet policy');
  const edits: Edit[] = [];
  const missing: PolicySection[] = [];
  for (const section of SECTIONS) {
    const entries = additions.filter((entry) => entry.section === section);
    if (entries.length === 0) continue;
    const container = findNodeAtLocation(policy.root, [section]);
    if (!container) {
      missing.push(section);
      continue;
    }
    edits.push(
      ...insertionEdits(
        policy,
        container,
        (indent) => entries.map((entry) => renderEntry(entry, marker, layout, indent)),
        layout,
      ),
    );
  }
  if (missing.length > 0) {
    const renderSections = (indent: string): string[] =>
      missing.map((section) => {
        const inner = indent + layout.unit;
        const [open, close] = section === 'tagOwners' ? ['{', '}'] : ['[', ']'];
        const body = additions
          .filter((entry) => entry.section === section)
          .map((entry) => `${layout.eol}${inner}${renderEntry(entry, marker, layout, inner)}`)
          .join(',');
        return `${JSON.stringify(section)}: ${open}${body}${layout.eol}${indent}${close}`;
      });
    edits.push(...insertionEdits(policy, policy.root, renderSections, layout));
  }
  return applyEdits(text, edits);
}
