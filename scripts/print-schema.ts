import { writeFile } from 'node:fs/promises';
import { printSchema } from 'graphql';
import { schema } from '../src/graphql/schema.js';

/** Writes schema/schema.graphql, the published GraphQL contract, from the Pothos schema. */
export const SCHEMA_FILE = new URL('../schema/schema.graphql', import.meta.url);

export function printedSchema(): string {
  return `${printSchema(schema)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(SCHEMA_FILE, printedSchema());
  console.log('Wrote schema/schema.graphql');
}
