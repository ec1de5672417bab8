// Types for Cairn's operations, from the committed schema.graphql (the SDL `cairn export-schema`
// prints). tests/clients/test_typed_clients.py sets CAIRN_CODEGEN_OUT to a temporary directory, so the
// generated file is never committed; `npm run codegen` by hand writes ./generated/ (gitignored).
import type { CodegenConfig } from "@graphql-codegen/cli";
import * as path from "node:path";

const out = process.env.CAIRN_CODEGEN_OUT ?? path.join(__dirname, "generated");

const config: CodegenConfig = {
  schema: path.join(__dirname, "..", "..", "..", "schema.graphql"),
  documents: path.join(__dirname, "..", "operations", "*.graphql"),
  emitLegacyCommonJSImports: false,
  generates: {
    [path.join(out, "graphql.ts")]: {
      plugins: ["typescript", "typescript-operations"],
      config: {
        // Every custom scalar must be mapped: an unmapped one would silently become `any`.
        strictScalars: true,
        scalars: {
          DateTime: "string",
          JSON: "unknown",
          BigInt: "number",
          Upload: "File",
        },
        enumsAsTypes: true,
        // A nullable field the operation selected is always present (null or a value), never
        // `undefined`: the server sends every selected field.
        avoidOptionals: { field: true },
        useTypeImports: true,
      },
    },
  },
};

export default config;
