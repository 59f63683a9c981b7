import { builder } from './builder.js';
import './user.js';
import './account.js';
import './organization.js';
import '../tokens/api-token.js';
import './member.js';
import '../organizations/invitations.js';
import '../audit/graphql.js';
import '../webhooks/graphql.js';
import '../sessions/graphql.js';

export const schema = builder.toSchema({ sortSchema: false });
