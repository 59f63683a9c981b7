import type { ArgBuilder } from '@pothos/core';
import type { builder } from './builder.js';
import { badUserInput } from './errors.js';
import { parseId } from './input.js';

/**
 * The paging convention of the lists that keep their list shape (DESIGN.md "Lists are bounded"):
 * `first` (default 100, at most 500) and `after`, the id of the last item of the previous page.
 * An `after` that names nothing in the list gives an empty page: paging stays one query, and a
 * cursor from another list reveals nothing.
 */

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

export type Page<Id = number> = { first: number; after: Id | null };

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** `first` and `after`; the field's description states the convention (see pageDescription). */
export function pageArgs(arg: ArgBuilder<Types>) {
  return { first: arg.int({ defaultValue: DEFAULT_PAGE_SIZE }), after: arg.id() };
}

/** The paging sentence of a paged list's description. */
export const pageDescription = (afterWhat: string) =>
  `A page at a time: \`first\` 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}); \`after\` the ${afterWhat} of the last item of the previous page.`;

/**
 * The page the arguments ask for; out-of-range values are BAD_USER_INPUT, never clamped. `parseAfter`
 * reads the list's ids (parseId; parseTokenId for API tokens, whose ids are bigint).
 */
export function parsePage<Id = number>(
  args: { first?: number | null; after?: string | number | null },
  parseAfter: (id: string | number) => Id | null = parseId as (id: string | number) => Id | null,
): Page<Id> {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}.`, 'first');
  }
  if (args.after == null) return { first, after: null };
  const after = parseAfter(args.after);
  if (after === null) throw badUserInput('after must be an id from the previous page.', 'after');
  return { first, after };
}

/**
 * The cost of a paged list for the cost limit (security/graphql.ts): what is selected in it counts
 * once per item of the largest page the arguments can return. An out-of-range `first` costs the
 * maximum, so that the resolver, not the cost limit, tells the client what is wrong.
 * The list itself costs PAGE_QUERY_COST: each page is a database query of its own, so a list nested
 * in a list is one query per parent item (e.g. the memberships of each token's creator); this
 * bounds those queries to GRAPHQL_MAX_COST / PAGE_QUERY_COST per request.
 * A field's cost may read only its `first` argument: the cost limit keeps its verdicts per document
 * and the values of the variables passed as `first`.
 */
export const PAGE_QUERY_COST = 10;

/** The cost function of a paged list whose page size defaults to `defaultSize` and is at most `maxSize`. */
export function pagedComplexity(defaultSize: number, maxSize: number) {
  return (args: { first?: number | null }) => {
    const first = args.first ?? defaultSize;
    return { field: PAGE_QUERY_COST, multiplier: first >= 1 && first <= maxSize ? first : maxSize };
  };
}

export const pagedListComplexity = pagedComplexity(DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
