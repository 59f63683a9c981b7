import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST, getVariableValues, type DocumentNode } from 'graphql';

/**
 * Executes the documents the dashboard sends again and again with graphql-jit: each is compiled once
 * into a function that runs its fields without graphql-js's per-field bookkeeping (a resolve info,
 * an arguments object and a path for every field of every token in a list), which allocates and
 * costs most of a token list's execution.
 *
 * graphql-js still runs:
 * - a document's first execution: compiling costs more than one run, and a document seen once (a
 *   scanner's, a person's in GraphiQL) never pays for it. Documents are the ones Yoga's parser cache
 *   keeps, so the compiled ones are as bounded as that cache (held by a WeakMap of the documents);
 * - any request whose variables do not coerce: graphql-js's errors for them are the contract (400,
 *   the messages, the hints that security/graphql.ts removes in production), and graphql-jit words
 *   them otherwise. Coercing them here first costs a few microseconds.
 */
export function useJitForRepeatedDocuments(): ReturnType<typeof useGraphQlJit> {
  const seen = new WeakSet<DocumentNode>();
  return useGraphQlJit(
    {},
    {
      enableIf: ({ schema, document, operationName, variableValues }) => {
        if (!seen.has(document)) {
          seen.add(document);
          return false;
        }
        const operation = getOperationAST(document, operationName);
        if (!operation) return false;
        const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variableValues ?? {}, { maxErrors: 1 });
        return coerced.errors === undefined;
      },
    },
  );
}
