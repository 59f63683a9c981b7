import type { CodegenConfig } from '@graphql-codegen/cli';

/** Typed GraphQL documents for the tests, from the published schema. Run: npm run codegen */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['test/**/*.ts', '!test/graphql/**'],
  generates: {
    'test/graphql/': {
      preset: 'client',
      config: {
        scalars: { DateTime: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
      presetConfig: { fragmentMasking: false },
    },
  },
  emitLegacyCommonJSImports: false,
};

export default config;
