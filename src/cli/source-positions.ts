/**
 * Where each path of a YAML or JSON topology sits in its file, so every issue (schema, reference or rule) can name a
 * line and a column. The parsers record one offset per key or sequence item while they read; lines are counted only
 * for the issues reported, with one pass over the text and a binary search per issue.
 *
 * @module
 */
import type { TopologyIssue } from '../models/issue.js';
import type { TextPosition } from './parsed-input.js';

/** Where one key or sequence item starts, and the members inside it. */
export interface PositionNode {
  /** Its 0-based offset in the text (`-1` for the root, which is the whole file). */
  readonly offset: number;
  /** Its members by key or index as text, when it is a mapping or a sequence. */
  members: Map<string, PositionNode> | undefined;
}

/**
 * The offset of every key and sequence item a file declares, as a tree that follows the document (no path strings
 * are built while parsing; a path is split only when an issue is located).
 */
export class SourcePositions {
  /** The document's root: its members are the top-level keys. */
  readonly root: PositionNode = { offset: -1, members: undefined };
  readonly #text: string;
  #lineStarts: number[] | undefined;

  /**
   * @param text - The parsed text (without a byte order mark), offsets count from its start.
   */
  constructor(text: string) {
    this.#text = text;
  }

  /**
   * Records where a member starts: a mapping key, or a sequence item. The first record of a member wins.
   *
   * @param parent - The container's node.
   * @param member - The key, or the index as text.
   * @param offset - Its 0-based offset in the text.
   * @returns The member's node.
   */
  add(parent: PositionNode, member: string, offset: number): PositionNode {
    parent.members ??= new Map();
    let node = parent.members.get(member);
    if (!node) {
      node = { offset, members: undefined };
      parent.members.set(member, node);
    }
    return node;
  }

  /**
   * Finds a dotted path, or its nearest ancestor that the file declares (a default the file leaves out is reported at
   * the object it belongs in). The root has no position: it is the whole file.
   *
   * @param path - A dotted issue path (`guests.holly.vmid`, `sites.0.name`); a key may itself hold dots.
   * @returns Its line and column, or `undefined` when neither it nor an ancestor is in the file.
   */
  positionOf(path: string): TextPosition | undefined {
    const segments = path === '' ? [] : path.split('.');
    let node = this.root;
    for (let index = 0; index < segments.length;) {
      let next: PositionNode | undefined;
      let key = '';
      let end = index;
      // The shortest run of segments that names a member, so a key with dots in it is found too.
      while (!next && end < segments.length) {
        key = end === index ? (segments[end] ?? '') : `${key}.${segments[end] ?? ''}`;
        next = node.members?.get(key);
        end += 1;
      }
      if (!next) break;
      node = next;
      index = end;
    }
    return node.offset < 0 ? undefined : this.#positionAt(node.offset);
  }

  /**
   * Adds the line and column of its path to each issue that has none.
   *
   * @param issues - Issues about the parsed file.
   * @returns The same issues, located where the file declares their path or its nearest ancestor.
   */
  locate(issues: readonly TopologyIssue[]): TopologyIssue[] {
    return issues.map((issue) => {
      if (issue.line !== undefined) return issue;
      const position = this.positionOf(issue.path);
      return position ? { ...issue, line: position.line, column: position.column } : issue;
    });
  }

  #positionAt(offset: number): TextPosition {
    const text = this.#text;
    if (!this.#lineStarts) {
      const starts = [0];
      for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
      this.#lineStarts = starts;
    }
    const starts = this.#lineStarts;
    // The last line start at or before the offset.
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
  }
}
