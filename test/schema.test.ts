import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { printedSchema, SCHEMA_FILE } from '../scripts/print-schema.js';

describe('schema/schema.graphql', () => {
  it('is the schema the server serves (run `npm run generate` after changing it)', async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(printedSchema());
  });

  it('keeps the fixed names of the contract', () => {
    const schema = printedSchema();
    for (const line of [
      'enum Role {\n  OWNER\n  ADMIN\n  MEMBER\n}',
      'apiTokens(organizationId: ID!, includeRevoked: Boolean = false, first: Int = 100, after: ID): [ApiToken!]!',
      'createApiToken(input: CreateApiTokenInput!): CreateApiTokenPayload!',
      'revokeApiToken(id: ID!): ApiToken!',
      'signUp(input: SignUpInput!): AuthPayload!',
      'signIn(input: SignInInput!): AuthPayload!',
      'signOut: Boolean!',
      'me: User',
      'organization(id: ID!): Organization',
    ]) {
      expect(schema).toContain(line);
    }
  });
});
