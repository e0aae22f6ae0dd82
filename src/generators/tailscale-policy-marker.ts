/**
 * The marker that tells a generated tailnet policy entry from a person's: a HuJSON line comment directly above the
 * entry, `// talos-topology:<topology>`. A comment is the one place an entry can carry it: the policy file has no
 * free-form field, and the Tailscale API stores the HuJSON text verbatim, comments included (the admin console shows
 * them, and terraform-provider-tailscale passes HuJSON through "with comments being preserved", commit 838159a).
 *
 * @module
 */

const MARKER_PREFIX = 'talos-topology:';
const MARKER_PATTERN = /^\/\/[ \t]*talos-topology:([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)[ \t]*$/;

/**
 * The marker comment of a topology's entries.
 *
 * @param topologyName - The topology's name.
 * @returns One line comment, without a newline, e.g. `// talos-topology:spaceships`.
 */
export function policyEntryMarker(topologyName: string): string {
  return `// ${MARKER_PREFIX}${topologyName}`;
}

/**
 * The topology a comment marks an entry for.
 *
 * @param comment - A comment's text, `//` or `/*` included.
 * @returns The topology's name, or `undefined` when the comment is not a marker.
 */
export function markedTopology(comment: string): string | undefined {
  return MARKER_PATTERN.exec(comment)?.[1];
}

/**
 * JSON text of a policy value laid out on lines, every line after the first indented by `indent`, so that it can be
 * written where a line already starts with `indent`.
 *
 * @param value - A JSON-like value.
 * @param unit - One level of indentation (a tab, or spaces).
 * @param indent - The indentation of the line the value starts on.
 * @param eol - The line ending.
 * @returns The text.
 */
export function renderPolicyValue(value: unknown, unit: string, indent: string, eol: string): string {
  return JSON.stringify(value, null, unit).split('\n').join(`${eol}${indent}`);
}
