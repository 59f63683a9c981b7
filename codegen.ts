import type { CodegenConfig } from '@graphql-codegen/cli';

/** Typed GraphQL documents for the tests and the dashboard, from the published schema. Run: npm run codegen */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  generates: {
    'test/graphql/': {
      documents: ['test/**/*.ts', '!test/graphql/**'],
      preset: 'client',
      config: {
        scalars: { DateTime: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
      presetConfig: { fragmentMasking: false },
    },
    // The browser gets plain query strings (documentMode: 'string'): no GraphQL library in the bundle.
    'dashboard/src/graphql/': {
      documents: ['dashboard/src/**/*.{ts,tsx}', '!dashboard/src/graphql/**'],
      preset: 'client',
      config: {
        scalars: { DateTime: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
        documentMode: 'string',
      },
      presetConfig: { fragmentMasking: false },
    },
  },
  emitLegacyCommonJSImports: false,
};

export default config;
