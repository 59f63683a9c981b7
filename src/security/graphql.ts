import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { createComplexityRule } from '@pothos/plugin-complexity';
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  validate,
  visit,
  type DocumentNode,
  type ExecutionArgs,
  type ValidationRule,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { readBodyText } from '../http/body.js';

/**
 * Limits on what one GraphQL request may ask (GraphQL Armor: depth, aliases, tokens, directives; a
 * cost that counts list sizes), on how it is sent (JSON POSTs only; body size), and on what it may
 * learn about the schema (introspection and "Did you mean …?" suggestions, which would give the
 * schema away when introspection is off). Batched operations stay off (Yoga's default): a JSON
 * array body is refused.
 */
export function graphqlHardening(config: Config): Plugin[] {
  const limits = config.graphql;
  const plugins: Plugin[] = [
    jsonPostsOnly(),
    graphqlBodyLimit(limits.maxBodyBytes),
    maxTokensPlugin({ n: limits.maxTokens }),
    maxDepthPlugin({ n: limits.maxDepth, ignoreIntrospection: true }),
    maxAliasesPlugin({ n: limits.maxAliases }),
    {
      onValidate: ({ addValidationRule }) => {
        addValidationRule(ShortAliasesRule);
        addValidationRule(NoThenAliasRule);
      },
    },
    listAwareCostLimit(limits.maxCost),
    maxDirectivesPlugin({ n: 20 }),
  ];
  if (!limits.introspection) {
    plugins.push(
      { onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) },
      withoutSuggestions(),
    );
  }
  return plugins;
}

/**
 * POSTs must be JSON: a browser sends JSON cross-site only after a CORS preflight, which the edge
 * answers for the configured origins alone. The CORS-simple types (text/plain, urlencoded, multipart)
 * are sent from any page without one, so accepting them would let any site run mutations (CSRF).
 * GET stays for queries; Yoga never runs a mutation from a GET.
 */
const JSON_MEDIA_TYPES = new Set(['application/json', 'application/graphql+json']); // what Yoga parses as JSON

function jsonPostsOnly(): Plugin {
  return {
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== '/graphql' || request.method !== 'POST') return;
      const mediaType = request.headers.get('content-type')?.split(';', 1)[0]!.trim();
      if (mediaType !== undefined && JSON_MEDIA_TYPES.has(mediaType)) return;
      endResponse(
        graphqlErrorResponse(415, 'UNSUPPORTED_MEDIA_TYPE', 'GraphQL requests must be sent as JSON: POST with Content-Type: application/json.'),
      );
    },
  };
}

const MAX_ALIAS_LENGTH = 64;

/**
 * Aliases of at most MAX_ALIAS_LENGTH characters: an alias is repeated as a key in every item of a
 * list, so a long one would multiply the answer's size (a 6 KB alias in 500 items: 3 MB) at a cost
 * of 1.
 */
const ShortAliasesRule: ValidationRule = (context) => ({
  Field(node) {
    if (node.alias && node.alias.value.length > MAX_ALIAS_LENGTH) {
      context.reportError(
        new GraphQLError(`Aliases must be at most ${MAX_ALIAS_LENGTH} characters long.`, { nodes: [node.alias] }),
      );
    }
  },
});

/**
 * No alias `then`: Yoga's executor takes any object with a `then` property for a promise and calls
 * it, so `{ then: __typename }`, from anyone, failed as an internal error (a 500 and an error in the
 * log). Refused before execution instead, as any other alias Bouncer cannot answer under.
 */
const NoThenAliasRule: ValidationRule = (context) => ({
  Field(node) {
    if (node.alias?.value === 'then') {
      context.reportError(new GraphQLError('"then" cannot be used as an alias: choose another name.', { nodes: [node.alias] }));
    }
  },
});

/**
 * Refuses, before execution, an operation whose cost exceeds `maxCost`. Each field costs 1 (fields
 * may declare more); what is selected inside a list counts once per item of the largest page its
 * arguments allow (paged lists: `first` or its default; see graphql/paging.ts), so nested lists
 * multiply. Computed by @pothos/plugin-complexity from the costs the schema's fields declare.
 * At execution, not validation: the cost depends on the variables, and Yoga caches validation
 * results per document.
 */
function listAwareCostLimit(maxCost: number): Plugin {
  // The verdict depends on the document, the operation and the page sizes it asks for (fields'
  // costs read only their `first` argument; see paging.ts). Yoga hands the same parsed document to
  // every request with the same text, so repeated requests skip the walk. Keyed by the page-size
  // variables alone: other variables may hold secrets (passwords, invitation links) not to be kept.
  const verdicts = new WeakMap<DocumentNode, { pageSizeVariables: string[]; byKey: Map<string, readonly GraphQLError[]> }>();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      let known = verdicts.get(args.document);
      if (!known) verdicts.set(args.document, (known = { pageSizeVariables: pageSizeVariables(args.document), byKey: new Map() }));
      const variables = args.variableValues ?? {};
      const key = `${args.operationName ?? ''}|${known.pageSizeVariables.map((name) => variables[name]).join('|')}`;
      let errors = known.byKey.get(key);
      if (!errors) {
        errors = costErrors(args, maxCost);
        if (known.byKey.size >= MAX_VERDICTS_PER_DOCUMENT) known.byKey.clear();
        known.byKey.set(key, errors);
      }
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
  };
}

const MAX_VERDICTS_PER_DOCUMENT = 64;

/** The variables a document passes as `first` (page sizes): the only ones a cost depends on. */
function pageSizeVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(node) {
      if (node.name.value === 'first' && node.value.kind === Kind.VARIABLE) names.add(node.value.name.value);
    },
  });
  return [...names];
}

function costErrors(args: ExecutionArgs, maxCost: number): readonly GraphQLError[] {
  const costRule = createComplexityRule({
    context: args.contextValue as object,
    variableValues: args.variableValues ?? {},
    operationName: args.operationName,
    validate: ({ complexity }, reportError) => {
      if (complexity <= maxCost) return;
      reportError(
        new GraphQLError(
          `The query's cost is ${complexity}, above the limit of ${maxCost}: each item of a list counts what is selected in it; ask for smaller pages (first) or fewer nested lists.`,
          { extensions: { code: 'QUERY_TOO_COSTLY', cost: complexity, maxCost } },
        ),
      );
    },
  });
  // Only the cost error: invalid variables are left to execution, which answers them as usual.
  return validate(args.schema, args.document, [costRule]).filter((error) => error.extensions.code === 'QUERY_TOO_COSTLY');
}

/**
 * With introspection off, graphql-js's "Did you mean …?" hints (field, argument, type, enum value and
 * input field names, in documents and in variables alike) would give the schema away. Every result
 * passes here, validation and variable errors included, so they are stripped in this one place.
 */
const SUGGESTION = / ?Did you mean [\s\S]*$/;

function withoutSuggestions(): Plugin {
  const strip = (error: GraphQLError) =>
    SUGGESTION.test(error.message)
      ? new GraphQLError(error.message.replace(SUGGESTION, ''), {
          nodes: error.nodes,
          source: error.source,
          positions: error.positions,
          path: error.path,
          originalError: error.originalError,
          extensions: error.extensions,
        })
      : error;
  return {
    onExecutionResult({ result, setResult }) {
      if (!result || !('errors' in result) || !result.errors?.some((error) => SUGGESTION.test(error.message))) return;
      setResult({ ...result, errors: result.errors.map(strip) });
    },
  };
}

function graphqlErrorResponse(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

const tooLarge = (limit: number) =>
  graphqlErrorResponse(413, 'PAYLOAD_TOO_LARGE', `The request body must not be larger than ${limit} bytes.`);

/**
 * Refuses GraphQL bodies over the limit: by Content-Length when declared (Node's parser never reads
 * past it), otherwise by reading the chunked body up to the limit. A refused body is drained before
 * the 413 is sent (readBodyText), so that the client reads the answer.
 */
function graphqlBodyLimit(limit: number): Plugin {
  return {
    // Synchronous unless a body must be read: an async hook would cost every request a promise.
    onRequest({ request, url, endResponse, setRequest }) {
      if (url.pathname !== '/graphql' || request.method !== 'POST') return;
      const declared = request.headers.get('content-length');
      if (declared !== null && Number(declared) <= limit) return;
      return readBodyText(request.body as AsyncIterable<Uint8Array> | null, declared, limit).then((text) => {
        if (text === null) return endResponse(tooLarge(limit));
        setRequest(new Request(request.url, { method: request.method, headers: request.headers, body: text }));
      });
    },
  };
}
