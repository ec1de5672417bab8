import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed operations from Cairn's schema: every graphql(`...`) in src/ is checked against
// ../schema.graphql and typed; documents are plain strings (no GraphQL parser shipped).
const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown', BigInt: 'number', Upload: 'File' },
      },
    },
  },
};
export default config;
