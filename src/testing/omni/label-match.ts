/**
 * COSI label-query and ID-query matching, written for the emulator independently of the client's query builder.
 *
 * @module
 */
import type { IDQuery, LabelQuery, LabelTerm } from '@talos-sdk/omni-client/generated/cosi/resource.js';
import { LabelTerm_Operation } from '@talos-sdk/omni-client/generated/cosi/resource.js';

/**
 * Tells whether labels satisfy a list of queries: no queries match everything; otherwise any query whose terms
 * all hold matches.
 *
 * @param labels - The resource's labels.
 * @param queries - The queries of a List or Watch.
 * @returns `true` when the resource is selected.
 */
export function matchesLabelQueries(labels: Readonly<Record<string, string>>, queries: readonly LabelQuery[]): boolean {
  if (queries.length === 0) return true;
  return queries.some((query) => query.terms.every((term) => matchesTerm(labels, term)));
}

/**
 * Tells whether an ID satisfies an ID query (an unanchored regular expression, like Go's `MatchString`).
 *
 * @param id - The resource ID.
 * @param query - The query, if any.
 * @returns `true` when there is no query or the ID matches.
 */
export function matchesIdQuery(id: string, query: IDQuery | undefined): boolean {
  if (!query || query.regexp === '') return true;
  return new RegExp(query.regexp).test(id);
}

function matchesTerm(labels: Readonly<Record<string, string>>, term: LabelTerm): boolean {
  const present = Object.hasOwn(labels, term.key);
  const value = labels[term.key] ?? '';
  const first = term.value[0] ?? '';
  let result: boolean;
  switch (term.op) {
    case LabelTerm_Operation.EXISTS:
      result = present;
      break;
    case LabelTerm_Operation.NOT_EXISTS:
      result = !present;
      break;
    case LabelTerm_Operation.EQUAL:
      result = present && value === first;
      break;
    case LabelTerm_Operation.IN:
      result = present && term.value.includes(value);
      break;
    case LabelTerm_Operation.LT:
      result = present && value < first;
      break;
    case LabelTerm_Operation.LTE:
      result = present && value <= first;
      break;
    case LabelTerm_Operation.LT_NUMERIC:
    case LabelTerm_Operation.LTE_NUMERIC: {
      const left = Number(value);
      const right = Number(first);
      result =
        present &&
        value !== '' &&
        Number.isFinite(left) &&
        Number.isFinite(right) &&
        (term.op === LabelTerm_Operation.LT_NUMERIC ? left < right : left <= right);
      break;
    }
    default:
      result = false;
  }
  return term.invert ? !result : result;
}
