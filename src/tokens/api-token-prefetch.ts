import { Kind, parse, type FieldNode, type ValueNode } from 'graphql';
import type { Alongside } from '../auth/bearer.js';
import { hashSecret } from '../auth/tokens.js';
import { parseId, parseTokenIdArg } from '../graphql/input.js';
import { parsePage } from '../graphql/paging.js';
import type { AccessToken } from '../generated/prisma/client.js';
import { apiTokensFromOwnerRows, apiTokensOfTokenOwner } from './api-tokens.js';

/**
 * The dashboard's token list in the round trip of the request's authentication. A query whose only
 * root field is `apiTokens` reads its page with a statement run alongside the token look-up
 * (bearer.ts authenticate): the statement reads the list for the presented token's owner only while
 * that token is live, and the page is used only once the token was verified (principalFor) and the
 * resolver's own arguments are the ones it was read for; otherwise the resolver reads it as usual.
 * Authentication is unchanged: one verification of the token row, read in this round trip.
 */

/** The arguments of a prefetched page, as the resolver compares them. */
export type ApiTokensKey = { organizationId: number; includeRevoked: boolean; first: number; after: bigint | null };
export type Prefetched = { apiTokens: { key: ApiTokensKey; tokens: AccessToken[] | null } };

type Params = { query?: string; variables?: Record<string, unknown> | null; operationName?: string | null };

/** The `apiTokens` field of query texts seen (null: not such a query), a bounded cache. */
const fields = new Map<string, FieldNode | null>();
const MAX_CACHED = 100;
const MAX_QUERY_LENGTH = 2000;

function onlyApiTokensField(query: string, operationName: string | null | undefined): FieldNode | null {
  const cacheKey = `${operationName ?? ''}\n${query}`;
  let field = fields.get(cacheKey);
  if (field !== undefined) return field;
  field = null;
  try {
    const operations = parse(query, { noLocation: true }).definitions;
    const operation = operations.length === 1 ? operations[0] : undefined;
    if (operation?.kind === Kind.OPERATION_DEFINITION && operation.operation === 'query' && (!operationName || operation.name?.value === operationName)) {
      const [selection, ...others] = operation.selectionSet.selections;
      if (others.length === 0 && selection?.kind === Kind.FIELD && selection.name.value === 'apiTokens' && !selection.directives?.length) {
        field = selection;
      }
    }
  } catch {
    // Not parsable: Yoga has answered it already.
  }
  if (fields.size >= MAX_CACHED) fields.clear();
  fields.set(cacheKey, field);
  return field;
}

/** An argument's value: literal, or the variable as sent (undefined when absent). */
function argument(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const value: ValueNode | undefined = field.arguments?.find((arg) => arg.name.value === name)?.value;
  if (!value) return undefined;
  switch (value.kind) {
    case Kind.VARIABLE:
      return variables[value.name.value];
    case Kind.NULL:
      return null;
    case Kind.INT:
      return Number(value.value);
    case Kind.STRING:
    case Kind.BOOLEAN:
      return value.value;
    default:
      return Symbol('unsupported');
  }
}

/** The page key a request asks for, when it is a plain `apiTokens` query with valid arguments. */
function requestedKey(params: Params): ApiTokensKey | null {
  const { query } = params;
  if (!query || query.length > MAX_QUERY_LENGTH || !query.includes('apiTokens')) return null;
  const field = onlyApiTokensField(query, params.operationName);
  if (!field) return null;
  const variables = params.variables ?? {};
  const organization = argument(field, 'organizationId', variables);
  const includeRevoked = argument(field, 'includeRevoked', variables) ?? false;
  const first = argument(field, 'first', variables);
  const after = argument(field, 'after', variables);
  if ((typeof organization !== 'string' && typeof organization !== 'number') || typeof includeRevoked !== 'boolean') return null;
  if (!(first === undefined || first === null || Number.isInteger(first))) return null;
  if (!(after === undefined || after === null || typeof after === 'string' || typeof after === 'number')) return null;
  const organizationId = parseId(organization);
  if (organizationId === null) return null;
  try {
    const page = parsePage({ first: first as number | null | undefined, after: after as string | number | null | undefined }, parseTokenIdArg);
    return { organizationId, includeRevoked, ...page };
  } catch {
    return null;
  }
}

/** For the GraphQL context: the statement to run alongside the token look-up, and what it read. */
export function apiTokensAlongside(params: Params): { alongside: Alongside; prefetched: (rows: unknown[]) => Prefetched | undefined } | null {
  const key = requestedKey(params);
  if (!key) return null;
  return {
    alongside: (credentials, now) =>
      apiTokensOfTokenOwner(credentials.id, hashSecret(credentials.secret), now, key.organizationId, key.includeRevoked, key),
    prefetched: (rows) => {
      const tokens = apiTokensFromOwnerRows(rows);
      return tokens === undefined ? undefined : { apiTokens: { key, tokens } };
    },
  };
}

/** The prefetched page if it was read for exactly these arguments. */
export function prefetchedApiTokens(prefetched: Prefetched | undefined, key: ApiTokensKey): AccessToken[] | null | undefined {
  const found = prefetched?.apiTokens;
  if (!found) return undefined;
  const same =
    found.key.organizationId === key.organizationId &&
    found.key.includeRevoked === key.includeRevoked &&
    found.key.first === key.first &&
    found.key.after === key.after;
  return same ? found.tokens : undefined;
}
