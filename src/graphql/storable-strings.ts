import { GraphQLError, Kind, type ASTNode, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isStorableText } from '../db/text.js';
import { badUserInput } from './errors.js';

/**
 * Every string that enters GraphQL — a literal in the document or a value in the variables, at any
 * depth of input objects and lists — must be text the database can store (see db/text.ts). Checked
 * here once for every argument, rather than by each resolver: the validation rule refuses literals
 * (cached with the document), the execute hook refuses variables before any resolver runs.
 */
export function useStorableStrings(): Plugin {
  return {
    onValidate: ({ addValidationRule }) => addValidationRule(StorableStringLiterals),
    onExecute({ args, setResultAndStopExecution }) {
      const found = firstUnstorable(args.variableValues, null);
      if (found) setResultAndStopExecution({ errors: [unstorableError(found.field)] });
    },
  };
}

const unstorableError = (field: string | null) =>
  badUserInput(
    `${field ?? 'A string'} must not contain invalid characters (NUL or unpaired UTF-16 surrogates).`,
    field ?? undefined,
  );

const StorableStringLiterals: ValidationRule = (context) => ({
  StringValue(node, _key, parent, _path, ancestors) {
    if (isStorableText(node.value)) return;
    const error = unstorableError(nameOfNearest(parent ? [...ancestors, parent] : ancestors));
    context.reportError(new GraphQLError(error.message, { nodes: node, extensions: error.extensions }));
  },
});

/** The input field or argument a literal is given for. */
function nameOfNearest(ancestors: ReadonlyArray<ASTNode | ReadonlyArray<ASTNode>>): string | null {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const node = ancestors[i]!;
    if ('kind' in node && (node.kind === Kind.OBJECT_FIELD || node.kind === Kind.ARGUMENT)) return node.name.value;
  }
  return null;
}

/** The first string in a variables value that cannot be stored, with the object key it is under. */
function firstUnstorable(value: unknown, field: string | null): { field: string | null } | null {
  if (typeof value === 'string') return isStorableText(value) ? null : { field };
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = firstUnstorable(item, field);
      if (found) return found;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const found = firstUnstorable(item, key);
      if (found) return found;
    }
  }
  return null;
}
