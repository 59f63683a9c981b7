import { builder } from './builder.js';
import './user.js';
import './account.js';
import './organization.js';
import './api-token.js';
import './member.js';
import '../organizations/invitations.js';
import '../webhooks/graphql.js';

export const schema = builder.toSchema({ sortSchema: false });
