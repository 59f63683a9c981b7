import { useGraphQlJit } from '@envelop/graphql-jit';
import { BREAK, getOperationAST, getVariableValues, GraphQLError, visit, type DocumentNode, type ExecutionResult, type Source, type SourceLocation } from 'graphql';
import type { Plugin } from 'graphql-yoga';

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
 *   them otherwise (coercing them here first costs a few microseconds);
 * - a document with an alias `__proto__`: graphql-jit moves that key to the end of its object, and
 *   an answer's keys are in the document's order.
 * A compiled run's errors are given the shape graphql-js gives them (jitErrorsAsGraphqlJs).
 */
export function useJitForRepeatedDocuments(): Plugin {
  // Whether a document that ran once may be compiled (absent: it never ran).
  const compilable = new WeakMap<DocumentNode, boolean>();
  const jit = useGraphQlJit(
    {},
    {
      enableIf: ({ schema, document, operationName, variableValues }) => {
        const verdict = compilable.get(document);
        if (verdict === undefined) compilable.set(document, !hasProtoAlias(document));
        if (!verdict) return false;
        const operation = getOperationAST(document, operationName);
        if (!operation) return false;
        const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variableValues ?? {}, { maxErrors: 1 });
        return coerced.errors === undefined;
      },
    },
  );
  return {
    // An envelop plugin, which Yoga runs as its own (Yoga's type asks for Yoga's context only).
    onPluginInit: ({ addPlugin }) => addPlugin(jit as Plugin),
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          const source = args.document.loc?.source;
          if (source && 'stringify' in result && (result as ExecutionResult).errors?.length) {
            setResult(jitErrorsAsGraphqlJs(result as ExecutionResult, source));
          }
        },
      };
    },
  };
}

/** Whether a field of the document is answered under the key `__proto__`. */
function hasProtoAlias(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.alias?.value !== '__proto__') return;
      found = true;
      return BREAK;
    },
  });
  return found;
}

/**
 * graphql-jit's result (marked by its `stringify`) as graphql-js words it: `errors` first, and every
 * error with its locations in the document. graphql-jit keeps an error a resolver threw without the
 * field's nodes, and Yoga rebuilds every error from its nodes (or source and positions) before
 * sending it, so the locations would be lost; here they become positions in the document's source.
 */
function jitErrorsAsGraphqlJs({ errors, data, extensions }: ExecutionResult, source: Source): ExecutionResult {
  const located = errors!.map((error) =>
    error.nodes || !error.locations?.length
      ? error
      : new GraphQLError(error.message, {
          source,
          positions: error.locations.map((location) => positionOf(source.body, location)),
          path: error.path,
          originalError: error.originalError,
          extensions: error.extensions,
        }),
  );
  return { errors: located, data, ...(extensions && { extensions }) };
}

const LINE_BREAK = /\r\n|[\n\r]/g;

/** The offset of a line and column (both from 1, as graphql-js counts them) in a document's text. */
function positionOf(body: string, { line, column }: SourceLocation): number {
  let lineStart = 0;
  LINE_BREAK.lastIndex = 0;
  for (let current = 1; current < line; current++) {
    const lineBreak = LINE_BREAK.exec(body);
    if (!lineBreak) break;
    lineStart = lineBreak.index + lineBreak[0].length;
  }
  return lineStart + column - 1;
}
